from datetime import date

import factory

from accounts.models import Membership, Organisation, Role, User
from participants.models import Participant
from placements.models import Assignment, Placement, Project, Qualification


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.HOST
    country = "PT"
    city = "Braga"

    @factory.post_generation
    def schools(self, create, extracted, **kwargs):
        """In the address book of the tests' one school (or of `schools=[...]`); `schools=False`: of none. A school
        is in its own (Organisation.save), and in no other's unless given."""
        if not create or extracted is False or (self.kind == Organisation.Kind.SENDING and not extracted):
            return
        self.schools.add(*(extracted or [SchoolFactory()]))


class SchoolFactory(OrganisationFactory):
    """The tests' one school unless a test makes another: projects and users share it."""

    class Meta:
        django_get_or_create = ["name"]

    name = "Liceul Tehnologic Bacău"
    kind = Organisation.Kind.SENDING
    country = "RO"
    city = "Bacău"


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification
        django_get_or_create = ["name"]

    name = "Maintenance mechanic"
    eqf_level = 3


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = "Social inclusion through practical training of disadvantaged groups"
    reference = factory.Sequence(lambda n: f"2026-1-RO01-KA122-VET-{n:09d}")
    start_date = date(2026, 9, 1)
    end_date = date(2028, 2, 29)
    sending_organisation = factory.SubFactory(SchoolFactory)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Flow {n}")
    qualification = factory.SubFactory(QualificationFactory)
    receiving_partner = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.RECEIVING)
    city = "Braga"
    country = "PT"
    start_date = date(2027, 3, 1)
    end_date = date(2027, 3, 26)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Ana"
    last_name = "Pop"
    role = Role.STAFF
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def school(self, create, extracted, **kwargs):
        """A member of the tests' one school (or of `school=`), with their role there; `school=False`: of none."""
        if create and extracted is not False:
            Membership.objects.get_or_create(
                user=self, organisation=extracted or SchoolFactory(), defaults={"role": self.role}
            )


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    project = factory.SubFactory(ProjectFactory)
    first_name = factory.Sequence(lambda n: f"Ștefan{n}")
    last_name = "Lăcătuș"
    date_of_birth = date(2006, 5, 4)
    gender = Participant.Gender.MALE
    qualification = factory.SubFactory(QualificationFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    participant = factory.SubFactory(ParticipantFactory)
    placement = factory.SubFactory(PlacementFactory)
