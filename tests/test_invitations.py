"""Mentors join by invitation, in their language: the coordinator gives name, address and host company; the
mentor gets through the outbox a link that works once and for a while, chooses their own password and lands on
Today; the coordinator sees who has not joined and sends it again. Only a hash of the token is stored."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import invitations
from accounts.models import Invitation, Role, User
from outbox.models import OutgoingMessage

from .factories import OrganisationFactory


@pytest.fixture
def invited(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("accounts:mentor_invite"),
        {"first_name": "Ana", "last_name": "Sousa", "email": "ana.sousa@example.pt", "organisation": world.host.pk},
    )
    assert response.status_code == 302
    return User.objects.get(email="ana.sousa@example.pt")


def link_in(message):
    return re.search(r"https?://\S+/join/(\S+)/", message.body)


def test_the_invited_mentor_has_no_password_and_reads_the_mail_in_portuguese(world, invited):
    assert invited.role == Role.MENTOR and invited.organisation == world.host
    assert not invited.has_usable_password()
    assert (invited.language, invited.time_zone) == ("pt", "Europe/Lisbon")  # Metalúrgica do Cávado is in Portugal
    message = OutgoingMessage.objects.get(purpose="mentor_invitation", to="ana.sousa@example.pt")
    assert message.language == "pt"
    assert "Abra esta ligação para escolher a sua palavra-passe" in message.body
    assert link_in(message)


def test_only_a_hash_of_the_token_is_stored(invited):
    token = link_in(OutgoingMessage.objects.get(purpose="mentor_invitation")).group(1)
    stored = Invitation.objects.get(account=invited)
    assert stored.token_hash == invitations.token_hash(token)
    assert token not in stored.token_hash


def test_the_mentor_chooses_a_password_lands_on_today_and_the_link_is_used_up(invited, client):
    token = link_in(OutgoingMessage.objects.get(purpose="mentor_invitation")).group(1)
    page = client.get(reverse("accounts:join", args=[token]))
    assert page.status_code == 200
    assert "Escolha a sua palavra-passe" in page.content.decode()
    password = "a-long-pass-phrase-from-braga"
    response = client.post(
        reverse("accounts:join", args=[token]), {"new_password1": password, "new_password2": password}
    )
    assert response.status_code == 302 and response["Location"] == reverse("attendance:today")
    invited.refresh_from_db()
    assert invited.check_password(password)
    assert client.get(reverse("attendance:today")).status_code == 200
    client.logout()
    assert client.get(reverse("accounts:join", args=[token])).status_code == 404


def test_an_expired_link_does_not_work(invited, client):
    token = link_in(OutgoingMessage.objects.get(purpose="mentor_invitation")).group(1)
    Invitation.objects.filter(account=invited).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(reverse("accounts:join", args=[token])).status_code == 404


def test_sending_again_replaces_the_link(world, invited, client_for, client):
    first = link_in(OutgoingMessage.objects.get(purpose="mentor_invitation")).group(1)
    coordinator = client_for(world.coordinator)
    listing = coordinator.get(reverse("accounts:user_list")).content.decode()
    assert "not joined yet" in listing
    assert coordinator.post(reverse("accounts:invitation_resend", args=[invited.pk])).status_code == 302
    second = link_in(OutgoingMessage.objects.filter(purpose="mentor_invitation").latest("pk")).group(1)
    assert first != second
    assert client.get(reverse("accounts:join", args=[first])).status_code == 404
    assert client.get(reverse("accounts:join", args=[second])).status_code == 200


def test_a_mentor_who_joined_gets_no_new_invitation(world, invited, client_for):
    Invitation.objects.filter(account=invited).update(accepted_at=timezone.now())
    response = client_for(world.coordinator).post(reverse("accounts:invitation_resend", args=[invited.pk]))
    assert response.status_code == 404


def test_another_schools_coordinator_cannot_send_it_again(world, invited, client_for):
    from accounts.models import Membership

    other_school = OrganisationFactory(kind="sending", name="Another school")
    stranger = User.objects.create(username="stranger", role=Role.COORDINATOR)
    Membership.objects.create(user=stranger, organisation=other_school, role=Role.COORDINATOR)
    response = client_for(stranger).post(reverse("accounts:invitation_resend", args=[invited.pk]))
    assert response.status_code == 404
    assert OutgoingMessage.objects.filter(purpose="mentor_invitation").count() == 1


def test_nobody_types_a_password_for_a_mentor(world, client_for):
    data = {
        "username": "mentor.porto",
        "first_name": "Ana",
        "last_name": "Sousa",
        "role": "mentor",
        "organisation": world.host.pk,
        "password1": "a-long-pass-phrase-2026",
        "password2": "a-long-pass-phrase-2026",
    }
    response = client_for(world.coordinator).post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert "Invite a mentor instead" in " ".join(response.context["form"].errors["role"])
    assert not User.objects.filter(username="mentor.porto").exists()


def test_an_address_with_an_account_is_refused_on_the_form(world, client_for):
    world.mentor.email = "rui@example.pt"
    world.mentor.save()
    response = client_for(world.coordinator).post(
        reverse("accounts:mentor_invite"),
        {"first_name": "Rui", "last_name": "G", "email": "RUI@example.pt", "organisation": world.host.pk},
    )
    assert response.status_code == 200
    assert "exists already" in " ".join(response.context["form"].errors["email"])
    assert not OutgoingMessage.objects.filter(purpose="mentor_invitation").exists()
