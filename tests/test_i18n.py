import subprocess
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from conference.models import Event

from .sites import on_site


def test_language_switcher_shows_the_app_in_romanian(world, client_for):
    client = client_for(world.coordinator)
    response = client.post(reverse("set_language"), {"language": "ro", "next": reverse("participants:list")})
    assert response.status_code == 302
    page = client.get(reverse("participants:list")).content.decode()
    assert 'lang="ro"' in page
    assert "Participanți" in page
    assert "Adaugă participant" in page


def test_english_dates_put_the_day_first(world, client_for):
    html = client_for(world.coordinator).get(reverse("placements:list")).content.decode()
    assert "01/03/2027" in html


def test_romanian_translation_is_complete_and_uses_comma_below_letters():
    po = Path(settings.BASE_DIR) / "locale" / "ro" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    text = po.read_text(encoding="utf-8")
    assert not set("şţŞŢ") & set(text), "Romanian needs ș and ț with a comma below, not the cedilla forms"


def test_portuguese_catalogue_compiles_and_has_no_fuzzy_entries():
    po = Path(settings.BASE_DIR) / "locale" / "pt" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
    assert "#, fuzzy" not in po.read_text(encoding="utf-8")


def test_public_home_page_in_portuguese(world, client):
    client.cookies["django_language"] = "pt"
    html = client.get(on_site("public:home")).content.decode()
    assert 'lang="pt"' in html
    assert "Boas práticas" in html
    assert "Cofinanciado pela União Europeia" in html
    assert "Nem a União Europeia nem a EACEA podem ser tidos como responsáveis por eles." in html


def test_conference_registration_page_in_portuguese(world, client):
    event = Event.objects.create(
        project=world.project,
        title="Second Chance at work",
        starts_at=timezone.now() + timedelta(days=30),
        ends_at=timezone.now() + timedelta(days=30, hours=4),
        venue="Sala de festivități",
        address="Strada Mioriței 12",
        city="Bacău",
        capacity=2,
        published=True,
    )
    client.cookies["django_language"] = "pt"
    html = client.get(on_site("conference:register", event.pk)).content.decode()
    assert "O seu endereço de e-mail" in html
    assert "Boas práticas" in html
    assert "Cofinanciado pela União Europeia" in html
