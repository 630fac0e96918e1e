"""Small confusions of a new project's first hour (issue 22): file sizes, My trip's room and map, the account
form after an error."""

from types import SimpleNamespace

from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def test_file_sizes_read_kb_and_mb_in_romanian_not_ko():
    with translation.override("ro"):
        assert "KB" in filesizeformat(2048) and "MB" in filesizeformat(3 * 1024 * 1024)
        assert "KO" not in filesizeformat(2048)


def trip_body(room_name, printing):
    room = SimpleNamespace(
        name=room_name,
        accommodation=SimpleNamespace(name="Residencial Avenida", address="Braga", host_phone="", host_contact=""),
    )
    context = {
        "room": room,
        "host": SimpleNamespace(name="Metalúrgica do Cávado"),
        "map_qr": "<svg data-qr></svg>",
        "map_url": "https://www.openstreetmap.org/",
        "printing": printing,
    }
    with translation.override("ro"):
        return render_to_string("preparation/partials/my_trip_body.html", context)


def test_my_trip_names_a_room_once():
    assert "cameră Camera 102" not in trip_body("Camera 102", printing=False)
    assert "Camera 102" in trip_body("Camera 102", printing=False)
    assert "cameră 12" in trip_body("12", printing=False)


def test_the_map_code_is_printed_and_the_phone_gets_a_link_instead():
    on_phone = trip_body("12", printing=False)
    assert "data-qr" not in on_phone and "https://www.openstreetmap.org/" in on_phone
    assert "data-qr" in trip_body("12", printing=True)


def test_the_account_form_says_why_the_passwords_are_typed_again(world, client_for):
    data = {
        "username": "",
        "first_name": "Ioana",
        "last_name": "Pop",
        "role": "staff",
        "password1": "a-long-password-2027",
        "password2": "a-long-password-2027",
    }
    page = client_for(world.coordinator).post(reverse("accounts:user_create"), data)
    html = page.content.decode()
    assert page.status_code == 200 and "data-passwords-not-kept" in html and 'value="Ioana"' in html
