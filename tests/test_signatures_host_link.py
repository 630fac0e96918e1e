"""A host company's representative signs a learning agreement from a link e-mailed to them and a one-time code
sent to the same address, both through the outbox: only hashes are kept, the link expires and signs once, the
code expires and three wrong codes end it; only the host's own contact people receive a link."""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutgoingMessage
from placements.models import ContactPerson
from signatures import services
from signatures.models import HostSigningLink, SignatureEvent

from .factories import OrganisationFactory
from .test_signatures import STROKES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def contact(running):
    running.contact = ContactPerson.objects.create(
        organisation=running.host, name="Joana Costa", email="joana@metalurgica.example"
    )
    return running


def send_link(world, client_for, contact=None):
    response = client_for(world.coordinator).post(
        reverse("signatures:send_host_link", args=[world.assignment.pk]), {"contact": (contact or world.contact).pk}
    )
    assert response.status_code == 302
    message = OutgoingMessage.objects.filter(purpose="signing_link").latest("pk")
    sent = mail.outbox[-1]  # the outbox sent it once the request's transaction committed (and kept no text)
    assert sent.to == [message.to] and message.body == ""
    return message, re.search(r"/sign/agreement/([^/\s]+)/", sent.body).group(1)


def ask_code(client, token):
    assert client.post(reverse("signatures:host_sign", args=[token]), {"action": "code"}).status_code == 200
    message = OutgoingMessage.objects.filter(purpose="signing_code").latest("pk")
    sent = mail.outbox[-1]
    assert sent.to == [message.to] and message.body == ""
    return message, re.search(r"\b(\d{6})\b", sent.body).group(1)


def sign(client, world, token, code, **more):
    data = {
        "code": code,
        "typed_name": "Joana Costa",
        "consent": "1",
        "shown_hash": services.agreement_states([world.assignment])[world.assignment.pk]["hash"],
    }
    return client.post(reverse("signatures:host_sign", args=[token]), data | more, HTTP_USER_AGENT="Office PC")


def test_the_representative_signs_from_the_link_with_the_code_sent_to_the_same_address(contact, client_for):
    message, token = send_link(contact, client_for)
    assert message.to == "joana@metalurgica.example" and message.sensitive and message.language == "pt"
    client = client_for(None)
    page = client.get(reverse("signatures:host_sign", args=[token]))
    assert page.status_code == 200 and contact.learner.full_name in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin" and page["X-Robots-Tag"] == "noindex"  # the token stays here
    code_message, code = ask_code(client, token)
    assert code_message.to == message.to and code_message.expires_at <= timezone.now() + timedelta(minutes=15)
    response = sign(client, contact, token, code)
    assert response.status_code == 200 and "data-signed" in response.content.decode()
    event = SignatureEvent.objects.get()
    assert (event.document, event.role, event.method, event.collected_by) == (
        "learning-agreement",
        "host",
        "email-code",
        None,
    )
    assert "joana@metalurgica.example" in event.signer_name and contact.host.name in event.signer_name
    assert event.user_agent == "Office PC" and services.chain_is_intact()


def test_only_hashes_are_kept(contact, client_for):
    _message, token = send_link(contact, client_for)
    _code_message, code = ask_code(client_for(None), token)
    link = HostSigningLink.objects.get()
    assert token not in repr(list(HostSigningLink.objects.values())) and link.token_hash != token
    assert code not in (link.code_hash, link.token_hash) and len(link.code_hash) == 64


def test_the_link_signs_once(contact, client_for):
    _message, token = send_link(contact, client_for)
    client = client_for(None)
    _code_message, code = ask_code(client, token)
    sign(client, contact, token, code)
    again = client.get(reverse("signatures:host_sign", args=[token]))
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert sign(client, contact, token, code).status_code == 410
    assert SignatureEvent.objects.count() == 1


def test_an_expired_link_and_an_unknown_one_sign_nothing(contact, client_for):
    _message, token = send_link(contact, client_for)
    HostSigningLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client_for(None).get(reverse("signatures:host_sign", args=[token]))
    assert page.status_code == 410 and "expired" in page.content.decode()
    assert client_for(None).get(reverse("signatures:host_sign", args=["x" * 43])).status_code == 404


def test_an_expired_code_and_three_wrong_codes_sign_nothing(contact, client_for):
    _message, token = send_link(contact, client_for)
    client = client_for(None)
    _code_message, code = ask_code(client, token)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert "Tries left: 2" in sign(client, contact, token, wrong).content.decode()
    sign(client, contact, token, wrong)
    assert "ask for a new code" in sign(client, contact, token, wrong).content.decode()
    assert sign(client, contact, token, code).status_code == 400  # the code is gone after three wrong ones
    _code_message, code = ask_code(client, token)
    HostSigningLink.objects.update(code_expires_at=timezone.now() - timedelta(seconds=1))
    assert sign(client, contact, token, code).status_code == 400
    assert not SignatureEvent.objects.exists()


def test_only_a_coordinator_sends_and_only_to_the_hosts_own_contacts(contact, client_for):
    url = reverse("signatures:send_host_link", args=[contact.assignment.pk])
    assert client_for(contact.mentor).post(url, {"contact": contact.contact.pk}).status_code == 403
    assert client_for(None).post(url, {"contact": contact.contact.pk}).status_code == 302
    other = ContactPerson.objects.create(
        organisation=OrganisationFactory(name="Elsewhere"), name="Not the host", email="x@elsewhere.example"
    )
    response = client_for(contact.coordinator).post(url, {"contact": other.pk}, follow=True)
    assert "contact people with an e-mail address" in response.content.decode()
    other_url = reverse("signatures:send_host_link", args=[contact.other_assignment.pk])
    from .factories import SchoolFactory, UserFactory

    stranger = UserFactory(username="stranger", role="coordinator", school=SchoolFactory(name="Colegiul Iași"))
    assert client_for(stranger).post(url, {"contact": contact.contact.pk}).status_code == 404
    assert client_for(contact.coordinator).post(other_url, {"contact": contact.contact.pk}).status_code == 302
    assert not OutgoingMessage.objects.filter(purpose="signing_link").exists()
    assert not HostSigningLink.objects.exists()


def test_a_second_code_within_a_minute_is_not_sent(contact, client_for):
    _message, token = send_link(contact, client_for)
    client = client_for(None)
    ask_code(client, token)
    again = client.post(reverse("signatures:host_sign", args=[token]), {"action": "code"})
    assert again.status_code == 429 and "less than a minute ago" in again.content.decode()
    assert OutgoingMessage.objects.filter(purpose="signing_code").count() == 1
    HostSigningLink.objects.update(code_expires_at=timezone.now() + timedelta(minutes=13))  # two minutes later
    ask_code(client, token)
    assert OutgoingMessage.objects.filter(purpose="signing_code").count() == 2


def test_the_page_with_the_code_form_has_the_pad_and_the_typed_name(contact, client_for):
    _message, token = send_link(contact, client_for)
    client = client_for(None)
    assert 'id="pad"' not in client.get(reverse("signatures:host_sign", args=[token])).content.decode()
    page = client.post(reverse("signatures:host_sign", args=[token]), {"action": "code"}).content.decode()
    assert 'id="pad"' in page and 'name="strokes"' in page and "signature_pad.umd.min.js" in page
    assert "css/signatures.css" in page and 'value="Joana Costa"' in page  # the typed name, ready for the keyboard


def test_the_representative_draws_the_signature_kept_as_strokes_and_svg(contact, client_for):
    _message, token = send_link(contact, client_for)
    client = client_for(None)
    _code_message, code = ask_code(client, token)
    response = sign(client, contact, token, code, strokes=json.dumps(STROKES))
    assert response.status_code == 200 and "data-signed" in response.content.decode()
    event = SignatureEvent.objects.get()
    assert (event.role, event.method) == ("host", "email-code-drawn")
    assert event.strokes == services.clean_strokes(json.dumps(STROKES)) and len(event.strokes) == 2
    assert event.svg.startswith("<svg") and "M10.0 20.0 L30.0 25.0" in event.svg and "<circle" in event.svg
    assert event.typed_name == "Joana Costa" and "joana@metalurgica.example" in event.signer_name
    assert services.chain_is_intact()
    # The strokes are in what the event's hash covers, like the other signers'.
    assert services.event_fields(event)["strokes"] == services.digest(services.canonical(event.strokes))


def test_neither_drawn_nor_typed_nor_unreadable_strokes_sign_nothing(contact, client_for):
    _message, token = send_link(contact, client_for)
    client = client_for(None)
    _code_message, code = ask_code(client, token)
    empty = sign(client, contact, token, code, typed_name="  ")
    assert empty.status_code == 400 and "Draw your signature, or type your full name." in empty.content.decode()
    broken = sign(client, contact, token, code, strokes=json.dumps([{"points": [{"x": "<svg>", "y": 1}]}]))
    assert broken.status_code == 400 and "could not be read" in broken.content.decode()
    assert not SignatureEvent.objects.exists()
    assert sign(client, contact, token, code).status_code == 200  # the link and the code still sign


def test_the_agreement_pdf_shows_the_hosts_drawn_signature_and_its_evidence(contact, client_for):
    from io import BytesIO

    from pypdf import PdfReader

    from .test_printouts import flat
    from .test_signatures_agreement import made_by_the_worker

    assert not draws_the_strokes(made_by_the_worker(contact.coordinator, contact.assignment))
    _message, token = send_link(contact, client_for)
    client = client_for(None)
    _code_message, code = ask_code(client, token)
    sign(client, contact, token, code, strokes=json.dumps(STROKES))
    event = SignatureEvent.objects.get()
    pdf = made_by_the_worker(contact.coordinator, contact.assignment)
    text = flat(pdf)
    assert f"Signed electronically · {event.code}" in text
    # The drawn signature stands in the host's box instead of the typed name, which is printed with the time.
    assert draws_the_strokes(pdf)
    # The evidence page says how the representative signed (read in reading order: the table's cells wrap).
    evidence = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).split())
    assert "Link sent by e-mail, a one-time code sent to the same address, and drawn signature" in evidence
    assert "Joana Costa <joana@metalurgica.example>" in evidence


def draws_the_strokes(pdf):
    """Whether the PDF draws STROKES' line: the drawn signature is an SVG image, which the PDF draws as paths in
    the image's own coordinates (a move to the first point, a line to the second, a stroke)."""
    from io import BytesIO

    from pypdf import PdfReader

    pages = PdfReader(BytesIO(pdf)).pages
    return any("\n10 20 m\n30 25 l\nS\n" in page.get_contents().get_data().decode("latin-1") for page in pages)
