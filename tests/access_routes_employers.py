"""Access-matrix entries for employers and partners; merged into ROUTES by test_access.py. The office reads;
only coordinators write (an empty form is a 400; the outcome of an introduction, POST only, goes back)."""

from .access_expect import expect

OFFICE = expect(302, 403, 403, 200, 200)
OFFICE_NO_POST = expect(302, 403, 403, 405, 405)
COORDINATOR = expect(302, 403, 403, 403, 200)
COORDINATOR_INVALID = expect(302, 403, 403, 403, 400)
POST_ONLY = expect(302, 403, 403, 403, 405)
POST_REDIRECTS = expect(302, 403, 403, 403, 302)


def an_employer(world):
    from accounts.models import Organisation

    from .factories import OrganisationFactory

    school = world.project.sending_organisation  # an employer of the world's school's address book
    employer = Organisation.objects.filter(kind="employer", schools=school).first() or OrganisationFactory(
        name="Mecanica Siret SA", kind="employer", country="RO", city="Bacău", schools=[school]
    )
    return {"pk": employer.pk}


def an_introduction(world):
    from datetime import date

    from accounts.models import Organisation
    from employers.models import Introduction

    employer = Organisation.objects.get(pk=an_employer(world)["pk"])
    introduction = Introduction.objects.create(
        organisation=employer,
        participant=world.learner,
        consent_on=date(2026, 1, 5),
        consent_recorded_by=world.coordinator,
        introduced_on=date(2026, 1, 6),
    )
    return {"pk": introduction.pk}


def an_agreement(world):
    from datetime import date

    from accounts.models import Organisation
    from employers.models import Agreement

    employer = Organisation.objects.get(pk=an_employer(world)["pk"])
    agreement = Agreement.objects.create(
        organisation=employer,
        title="Hiring graduates",
        scope="Interviews",
        starts_on=date(2026, 1, 1),
        ends_on=date(2028, 1, 1),
        renewal_due_on=date(2027, 10, 1),
    )
    return {"pk": agreement.pk}


EMPLOYERS_ROUTES = {
    "employers:list": (None, OFFICE, OFFICE_NO_POST),
    "employers:detail": (an_employer, OFFICE, OFFICE_NO_POST),
    "employers:profile": (an_employer, COORDINATOR, expect(302, 403, 403, 403, 302)),
    "employers:contact_add": (an_employer, COORDINATOR, COORDINATOR_INVALID),
    "employers:offer_create": (an_employer, COORDINATOR, COORDINATOR_INVALID),
    "employers:introduce": (an_employer, COORDINATOR, COORDINATOR_INVALID),
    "employers:outcome": (an_introduction, POST_ONLY, POST_REDIRECTS),
    "employers:agreements": (None, OFFICE, OFFICE_NO_POST),
    "employers:agreement_create": (None, COORDINATOR, COORDINATOR_INVALID),
    "employers:agreement_edit": (an_agreement, COORDINATOR, COORDINATOR_INVALID),
}
