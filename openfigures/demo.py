"""The demo's funder: the National Agency's account, which reads the open figures of the demo's first school."""

from accounts.models import Membership, Organisation, Role, User

OBSERVER = ("agentia.nationala", "Agenția", "Națională", Role.OBSERVER)
SCHOOL_OID = "E10000101"


def load_observer(password):
    school = Organisation.objects.filter(oid=SCHOOL_OID, kind=Organisation.Kind.SENDING).first()
    if school is None:
        return None
    username, first, last, role = OBSERVER
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "role": role}
    )
    if created:
        user.set_password(password)
        user.save()
    Membership.objects.get_or_create(user=user, organisation=school, defaults={"role": role})
    return user
