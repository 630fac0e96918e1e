from datetime import date, timedelta

import pytest
from django.urls import reverse

from participants.models import Barrier, Participant, fold

VALID = {
    "first_name": "Ștefania",
    "last_name": "Țăranu-Brâncoveanu",
    "date_of_birth": "2007-04-12",
    "gender": "female",
    "email": "",
    "phone": "+40 744 000 000",
    "address": "",
    "emergency_contact_name": "Ana Țăranu",
    "emergency_contact_relation": "mother",
    "emergency_contact_phone": "+40 744 000 001",
    "special_needs": "",
    "id_document_number": "ZC 123456",
    "id_document_expiry": "2031-01-01",
    "health_insurance_number": "",
    "health_insurance_expiry": "",
    "consent_data_processing_on": "2026-09-20",
    "consent_dissemination_on": "",
    "consent_given_by": "guardian",
}


def form_data(world, **changes):
    return {**VALID, "project": world.project.pk, "qualification": world.placement.qualification_id, **changes}


def test_coordinator_adds_participant_with_romanian_name(world, client_for):
    barrier = Barrier.objects.get(code="discrimination")
    data = form_data(world, barriers=[barrier.pk])
    response = client_for(world.coordinator).post(reverse("participants:create"), data)
    participant = Participant.objects.get(last_name="Țăranu-Brâncoveanu")
    assert response.status_code == 302
    assert response.url == participant.get_absolute_url()
    assert participant.first_name == "Ștefania"
    assert list(participant.barriers.all()) == [barrier]


def test_every_change_to_a_participant_records_who_made_it(world, client_for):
    client_for(world.coordinator).post(reverse("participants:create"), form_data(world))
    participant = Participant.objects.get(last_name="Țăranu-Brâncoveanu")
    record = participant.history.get()
    assert record.history_type == "+"
    assert record.history_user == world.coordinator


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"last_name": "x" * 101}, "last_name", "at most 100 characters"),
        ({"date_of_birth": "not a date"}, "date_of_birth", "Enter a valid date."),
        ({"date_of_birth": (date.today() + timedelta(days=1)).isoformat()}, "date_of_birth", "must be in the past"),
        ({"date_of_birth": "2020-01-01"}, "date_of_birth", "at least 14 years old"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"gender": "unknown"}, "gender", "Select a valid choice."),
        ({"consent_data_processing_on": "2099-01-01"}, "consent_data_processing_on", "cannot be dated in the future"),
        (
            {"consent_given_by": "learner", "date_of_birth": "2010-01-01"},
            "consent_given_by",
            "parent or legal guardian",
        ),
        ({"barriers": ["999999"]}, "barriers", "Select a valid choice."),
    ],
)
def test_bad_participant_input_is_refused_on_its_field_and_nothing_is_saved(world, client_for, changes, field, message):
    before = Participant.objects.count()
    response = client_for(world.coordinator).post(reverse("participants:create"), form_data(world, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert Participant.objects.count() == before


def test_learner_page_shows_who_changed_which_fields(world, client_for):
    client = client_for(world.coordinator)
    client.post(reverse("participants:edit", args=[world.learner.pk]), form_data(world, special_needs="Hearing aid"))
    history = client.get(reverse("participants:detail", args=[world.learner.pk])).context["history"]
    latest = history[0]
    assert latest.history_user == world.coordinator
    assert "special needs" in [str(name) for name in latest.changed_fields]


def test_coordinator_edits_participant(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("participants:edit", args=[world.learner.pk]), form_data(world, first_name="Ionuț")
    )
    assert response.status_code == 302
    world.learner.refresh_from_db()
    assert world.learner.first_name == "Ionuț"


@pytest.mark.parametrize("role", ["staff", "mentor", "other_mentor"])
def test_only_the_coordinator_can_change_a_participant(world, client_for, role):
    client_for(world.user(role)).post(
        reverse("participants:edit", args=[world.learner.pk]), form_data(world, first_name="X")
    )
    client_for(world.user(role)).post(reverse("participants:archive", args=[world.learner.pk]))
    world.learner.refresh_from_db()
    assert world.learner.first_name == "Ștefan"
    assert not world.learner.is_archived


def test_archiving_is_refused_while_the_learner_is_expected_on_a_placement(world, client_for):
    client = client_for(world.coordinator)
    page = client.get(reverse("participants:archive", args=[world.learner.pk])).content.decode()
    assert "Withdraw them first" in page
    client.post(reverse("participants:archive", args=[world.learner.pk]))
    world.learner.refresh_from_db()
    assert not world.learner.is_archived


def test_archiving_keeps_the_participant_and_hides_them_from_the_active_list(world, client_for):
    world.assignment.status = "completed"
    world.assignment.save()
    client = client_for(world.coordinator)
    client.post(reverse("participants:archive", args=[world.learner.pk]))
    world.learner.refresh_from_db()
    assert world.learner.is_archived
    names = [p.pk for p in client.get(reverse("participants:list")).context["participants"]]
    assert world.learner.pk not in names
    archived = [p.pk for p in client.get(reverse("participants:list"), {"state": "archived"}).context["participants"]]
    assert archived == [world.learner.pk]
    client.post(reverse("participants:restore", args=[world.learner.pk]))
    world.learner.refresh_from_db()
    assert not world.learner.is_archived


def test_archived_learner_is_hidden_from_their_mentor(world, client_for):
    world.learner.archive()
    response = client_for(world.mentor).get(reverse("participants:detail", args=[world.learner.pk]))
    assert response.status_code == 404


def test_search_ignores_diacritics(world, client_for):
    response = client_for(world.coordinator).get(reverse("participants:list"), {"q": "stefan turcanu"})
    assert [p.pk for p in response.context["participants"]] == [world.learner.pk]
    response = client_for(world.coordinator).get(reverse("participants:list"), {"q": "Mădălina"})
    assert [p.pk for p in response.context["participants"]] == [world.other_learner.pk]


def test_fold_reduces_romanian_and_portuguese_letters():
    assert fold("Ștefan Țurcanu") == "stefan turcanu"
    assert fold("João Conceição") == "joao conceicao"


def test_list_filters_and_sorts(world, client_for):
    client = client_for(world.coordinator)
    by_gender = client.get(reverse("participants:list"), {"gender": "female"}).context["participants"]
    assert [p.pk for p in by_gender] == [world.other_learner.pk]
    by_qual = client.get(reverse("participants:list"), {"qualification": world.placement.qualification_id})
    assert [p.pk for p in by_qual.context["participants"]] == [world.learner.pk]
    descending = client.get(reverse("participants:list"), {"sort": "-name"}).context["participants"]
    assert [p.last_name for p in descending] == ["Țurcanu", "Stănescu"]
    unassigned = client.get(reverse("participants:list"), {"assigned": "no"}).context["participants"]
    assert list(unassigned) == []


def test_mentor_sees_only_their_learners_in_the_list(world, client_for):
    response = client_for(world.mentor).get(reverse("participants:list"))
    assert [p.pk for p in response.context["participants"]] == [world.learner.pk]
    assert "Stănescu" not in response.content.decode()


def test_restricted_data_is_shown_to_the_coordinator_only(world, client_for):
    world.learner.special_needs = "Hearing impairment"
    world.learner.id_document_number = "ZC 999111"
    world.learner.save()
    url = reverse("participants:detail", args=[world.learner.pk])
    assert "ZC 999111" in client_for(world.coordinator).get(url).content.decode()
    for role in ("staff", "mentor"):
        page = client_for(world.user(role)).get(url).content.decode()
        assert "ZC 999111" not in page
        assert "Hearing impairment" not in page


def test_mentor_sees_emergency_contact_but_not_home_contact(running, client_for):
    world = running  # the emergency contact is shown to the mentor around the placement only
    world.learner.emergency_contact_phone = "+40 711 222 333"
    world.learner.phone = "+40 799 888 777"
    world.learner.save()
    page = client_for(world.mentor).get(reverse("participants:detail", args=[world.learner.pk])).content.decode()
    assert "+40 711 222 333" in page
    assert "+40 799 888 777" not in page


def test_participant_model_stores_no_ethnicity():
    names = {f.name for f in Participant._meta.get_fields()}
    assert not {n for n in names if "ethnic" in n or "roma" in n}


def test_age_on_counts_whole_years(world):
    world.learner.date_of_birth = date(2008, 3, 1)
    assert world.learner.age_on(date(2026, 2, 28)) == 17
    assert world.learner.age_on(date(2026, 3, 1)) == 18


def test_the_reason_for_a_withdrawal_is_shown_to_coordinators_only(world, client_for):
    from django.urls import reverse

    world.assignment.status = "withdrawn"
    world.assignment.withdrawal_reason = "Hospitalised for asthma"
    world.assignment.save()
    url = reverse("participants:detail", args=[world.learner.pk])
    assert "Hospitalised for asthma" in client_for(world.coordinator).get(url).content.decode()
    for user in (world.staff, world.mentor):
        assert "Hospitalised for asthma" not in client_for(user).get(url).content.decode()


def test_the_learners_page_shows_what_placements_and_privacy_contribute_in_its_order(world, client_for):
    """participants imports neither app: the placements, the files and the personal data come through
    common.sections, the placements first (before the other apps' panels), the personal data last."""
    html = client_for(world.coordinator).get(reverse("participants:detail", args=[world.learner.pk])).content.decode()
    places = [html.index(f'id="{name}"') for name in ("h-restricted", "h-placements", "h-files", "h-data", "h-history")]
    assert places == sorted(places)
    assert "Flow 1 – Mechanics" in html
    assert reverse("privacy:file_add", args=[world.learner.pk]) in html
    mentor_page = client_for(world.mentor).get(reverse("participants:detail", args=[world.learner.pk]))
    assert mentor_page.status_code == 200
    assert "Flow 1 – Mechanics" in mentor_page.content.decode()
    assert 'id="h-files"' not in mentor_page.content.decode()


def test_the_personal_data_log_that_participants_write_to_refuses_an_unknown_action(world):
    from common.sections import PERSONAL_DATA_LOG, the_one

    with pytest.raises(ValueError):
        the_one(PERSONAL_DATA_LOG, world.learner, world.coordinator, "peeked")
    the_one(PERSONAL_DATA_LOG, world.learner, world.coordinator, "viewed")
    assert list(world.learner.data_log.values_list("action", flat=True)) == ["viewed"]
