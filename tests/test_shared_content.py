"""Shared content in each reader's language: a qualification's units and learning outcomes are kept in several
languages, rated by a Portuguese mentor in Portuguese and read by a Romanian reader in Romanian; the learning
agreement, which both sign, shows every language."""

from django.urls import reverse
from django.utils import translation

from assessments.models import Outcome, Unit

from .test_assessments import make_framework, round_url


def test_the_coordinator_gives_an_outcome_its_portuguese(world, client_for):
    unit = make_framework(world.placement.qualification, units=1, per_unit=1)[0].unit
    response = client_for(world.coordinator).post(
        reverse("assessments:outcome_create", args=[unit.pk]),
        {
            "unit": unit.pk,
            "kind": "skills",
            "text": "Unge rulmenții după schemă.",
            "text_pt": "Lubrifica os rolamentos segundo o esquema.",
            "text_ro": "",
            "text_en": "Greases the bearings from the chart.",
        },
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(text__startswith="Unge")
    assert outcome.text_translations == {
        "pt": "Lubrifica os rolamentos segundo o esquema.",
        "en": "Greases the bearings from the chart.",
    }


def test_a_unit_title_keeps_its_translations_through_the_edit_form(world, client_for):
    unit = Unit.objects.create(qualification=world.placement.qualification, title="Întreținere", position=1)
    url = reverse("assessments:unit_edit", args=[unit.pk])
    client = client_for(world.coordinator)
    assert client.post(url, {"title": "Întreținere", "title_pt": "Manutenção"}).status_code == 302
    unit.refresh_from_db()
    assert unit.title_translations == {"pt": "Manutenção"}
    assert 'value="Manutenção"' in client.get(url).content.decode()


def test_the_portuguese_mentor_rates_in_portuguese_and_a_romanian_reader_reads_romanian(world, client_for):
    outcome = make_framework(world.placement.qualification, units=1, per_unit=1)[0]
    outcome.text = "Curăță filtrul de aer."
    outcome.text_translations = {"pt": "Limpa o filtro de ar."}
    outcome.save()
    unit = outcome.unit
    unit.title, unit.title_translations = "Întreținere preventivă", {"pt": "Manutenção preventiva"}
    unit.save()
    world.mentor.language = "pt"
    world.mentor.save()
    html = client_for(world.mentor).get(round_url(world.assignment)).content.decode()
    assert "Limpa o filtro de ar." in html and "Manutenção preventiva" in html
    assert "Curăță filtrul de aer." not in html
    world.coordinator.language = "ro"
    world.coordinator.save()
    html = client_for(world.coordinator).get(round_url(world.assignment)).content.decode()
    assert "Curăță filtrul de aer." in html
    assert "Limpa o filtro de ar." not in html


def test_the_learning_agreement_shows_the_text_in_every_language_once(world):
    outcome = Outcome(text="Curăță filtrul de aer.", text_translations={"pt": "Limpa o filtro de ar.", "ro": ""})
    assert outcome.every_text == [("", "Curăță filtrul de aer."), ("pt", "Limpa o filtro de ar.")]
    with translation.override("pt"):
        assert outcome.shown_text == "Limpa o filtro de ar."
    with translation.override("en"):
        assert outcome.shown_text == "Curăță filtrul de aer."  # no English: as it was written
