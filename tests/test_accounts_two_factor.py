"""Two-factor sign-in (django-otp): required for coordinators, chosen by others; enrolment, the code step,
backup codes, reset by a coordinator."""

import importlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.models import BackupCodes, SecurityEvent, hash_backup_code

from .conftest import PASSWORD


def password_step(username):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def authenticator(user):
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def backup_code(user, code="k7m2q9xa"):
    device = BackupCodes.objects.create(user=user, name="Backup codes")
    device.add_codes([code])
    return code


def shown_codes(response):
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())


def verify(client, code, next_url=None):
    data = {"code": code} | ({"next": next_url} if next_url else {})
    return client.post(reverse("accounts:two_factor_verify"), data)


def wrong_code_for(device):
    right = int(twofactor.current_code(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


# Coordinators without an authenticator set one up first


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("dashboard"),
        lambda w: reverse("participants:detail", args=[w.learner.pk]),
        lambda w: reverse("accounts:two_factor"),
        lambda w: reverse("accounts:two_factor_verify"),
        lambda w: "/admin/",
        lambda w: "/no-such-page/",
    ],
)
def test_a_coordinator_without_authenticator_is_sent_to_set_one_up_from_any_url(world, url):
    client = password_step("coordinator")
    target = url(world)
    response = client.get(target)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two_factor_enrol"))
    assert f"next={target.replace('/', '%2F')}" in response.url


def test_a_post_or_htmx_request_before_enrolment_does_nothing_and_is_sent_on(world):
    client = password_step("coordinator")
    response = client.post(reverse("participants:archive", args=[world.learner.pk]))
    assert response.url == reverse("accounts:two_factor_enrol")
    world.learner.refresh_from_db()
    assert world.learner.archived_at is None
    assert client.get(reverse("participants:list"), HTTP_HX_REQUEST="true")["HX-Redirect"] == reverse(
        "accounts:two_factor_enrol"
    )


def test_the_enrolment_page_shows_a_qr_code_and_the_key_as_text_and_no_navigation(world):
    client = password_step("coordinator")
    page = client.get(reverse("accounts:two_factor_enrol"))
    html = page.content.decode()
    key = client.session[twofactor.ENROL_SESSION_KEY]
    assert "<svg" in html and 'viewBox="' in html and " style=" not in html
    assert twofactor.key_for_humans(key) in html
    assert 'id="mainnav"' not in html
    assert page["Cache-Control"] == "no-store"
    assert client.get(reverse("accounts:two_factor_enrol")).content.decode().count(twofactor.key_for_humans(key))


def test_a_right_code_turns_two_factor_on_shows_the_backup_codes_once_and_opens_the_pages(world):
    client = password_step("coordinator")
    client.get(reverse("accounts:two_factor_enrol"))
    key = client.session[twofactor.ENROL_SESSION_KEY]
    code = f"{TOTP(bytes.fromhex(key)).token():06d}"
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": code, "next": "/participants/"})
    assert response.status_code == 200
    codes = shown_codes(response)
    assert (
        len(codes) == twofactor.BACKUP_CODE_COUNT == StaticToken.objects.filter(device__user=world.coordinator).count()
    )
    html = response.content.decode()
    assert 'href="/participants/"' in html
    assert TOTPDevice.objects.get(user=world.coordinator).key == key
    assert client.get(reverse("dashboard")).status_code == 200
    assert SecurityEvent.objects.filter(action=SecurityEvent.Action.TWO_FACTOR_ENROLLED).count() == 1
    assert twofactor.ENROL_SESSION_KEY not in client.session
    assert all(c not in client.get(reverse("accounts:two_factor")).content.decode() for c in codes)


def test_a_wrong_code_at_enrolment_turns_nothing_on(world):
    client = password_step("coordinator")
    client.get(reverse("accounts:two_factor_enrol"))
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": "12345x"})
    assert "This code does not match" in response.content.decode()
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert client.get(reverse("dashboard")).status_code == 302


# Accounts with an authenticator give a code before any page


def test_a_coordinator_with_an_authenticator_must_give_a_code_before_any_page(world):
    device = authenticator(world.coordinator)
    client = password_step("coordinator")
    learner = reverse("participants:detail", args=[world.learner.pk])
    response = client.get(learner)
    assert response.url == f"{reverse('accounts:two_factor_verify')}?next={learner.replace('/', '%2F')}"
    page = client.get(response.url)
    assert page.status_code == 200 and 'id="mainnav"' not in page.content.decode()
    response = verify(client, twofactor.current_code(device), next_url=learner)
    assert response.url == learner
    assert client.get(learner).status_code == 200


def test_a_wrong_code_is_refused_and_guessing_is_slowed_down(world):
    device = authenticator(world.coordinator)
    client = password_step("coordinator")
    response = verify(client, wrong_code_for(device))
    assert "This code is not right" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302
    response = verify(client, twofactor.current_code(device))
    assert "Too many wrong codes. Wait" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_code_is_accepted_only_once(world):
    device = authenticator(world.coordinator)
    code = twofactor.current_code(device)
    first = password_step("coordinator")
    assert verify(first, code).status_code == 302
    second = password_step("coordinator")
    assert "This code is not right" in verify(second, code).content.decode()


def test_a_backup_code_works_once_and_says_how_many_are_left(world):
    authenticator(world.coordinator)
    code = backup_code(world.coordinator)
    client = password_step("coordinator")
    response = verify(client, code.upper())
    assert response.status_code == 302
    assert "You signed in with a backup code; 0 are left." in client.get(reverse("dashboard")).content.decode()
    assert SecurityEvent.objects.filter(action=SecurityEvent.Action.BACKUP_CODE_USED).count() == 1
    again = password_step("coordinator")
    assert "This code is not right" in verify(again, code).content.decode()


def test_the_code_page_never_sends_to_another_site(world):
    device = authenticator(world.coordinator)
    client = password_step("coordinator")
    response = verify(client, twofactor.current_code(device), next_url="https://evil.example/")
    assert response.url == reverse("dashboard")


def test_signing_out_is_possible_before_the_code(world):
    authenticator(world.coordinator)
    client = password_step("coordinator")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).url.startswith(reverse("login"))


def test_a_mentor_is_not_asked_for_a_code(world):
    client = password_step("mentor")
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_mentor_who_chose_two_factor_gives_a_code_too(world):
    device = authenticator(world.mentor)
    client = password_step("mentor")
    assert client.get(reverse("dashboard")).url.startswith(reverse("accounts:two_factor_verify"))
    verify(client, twofactor.current_code(device))
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_mentor_may_set_it_up_and_turn_it_off_but_a_coordinator_may_not_turn_it_off(world, client_for):
    client = client_for(world.mentor)
    client.get(reverse("accounts:two_factor_enrol"))
    key = client.session[twofactor.ENROL_SESSION_KEY]
    client.post(reverse("accounts:two_factor_enrol"), {"code": f"{TOTP(bytes.fromhex(key)).token():06d}"})
    assert twofactor.is_enrolled(world.mentor)
    refused = client.post(reverse("accounts:two_factor_turn_off"))
    assert refused.status_code == 200 and 'aria-invalid="true"' in refused.content.decode()
    assert twofactor.is_enrolled(world.mentor)
    code = twofactor.current_code(twofactor.authenticator_of(world.mentor))
    assert client.post(reverse("accounts:two_factor_turn_off"), {"current_code": code}).status_code == 302
    assert not twofactor.is_enrolled(world.mentor) and not StaticDevice.objects.filter(user=world.mentor).exists()
    coordinator = client_for(world.coordinator)
    assert coordinator.post(reverse("accounts:two_factor_turn_off")).status_code == 403
    assert twofactor.is_enrolled(world.coordinator)


def test_replacing_an_authenticator_needs_a_code_of_the_current_one(world, client_for):
    """A session left open must not be enough to swap in someone else's authenticator."""
    client = client_for(world.coordinator)
    current = TOTPDevice.objects.get(user=world.coordinator)
    page = client.get(reverse("accounts:two_factor_enrol")).content.decode()
    assert 'name="current_code"' in page
    key = client.session[twofactor.ENROL_SESSION_KEY]
    new_code = f"{TOTP(bytes.fromhex(key)).token():06d}"

    refused = client.post(reverse("accounts:two_factor_enrol"), {"code": new_code})
    assert refused.status_code == 200 and 'name="current_code"' in refused.content.decode()
    wrong = client.post(
        reverse("accounts:two_factor_enrol"), {"code": new_code, "current_code": wrong_code_for(current)}
    )
    assert "not a code of the authenticator you use now" in wrong.content.decode()
    assert TOTPDevice.objects.get(user=world.coordinator).pk == current.pk
    assert not SecurityEvent.objects.filter(action=SecurityEvent.Action.TWO_FACTOR_ENROLLED).exists()

    current.refresh_from_db()
    assert current.throttling_failure_count == 1  # wrong codes slow guessing down here too
    current.throttle_reset()
    right = client.post(
        reverse("accounts:two_factor_enrol"), {"code": new_code, "current_code": twofactor.current_code(current)}
    )
    assert right.status_code == 200
    assert TOTPDevice.objects.get(user=world.coordinator).key == key


def test_a_backup_code_also_allows_replacing_a_lost_authenticator(world, client_for):
    client = client_for(world.coordinator)
    code = backup_code(world.coordinator)
    client.get(reverse("accounts:two_factor_enrol"))
    key = client.session[twofactor.ENROL_SESSION_KEY]
    client.post(
        reverse("accounts:two_factor_enrol"), {"code": f"{TOTP(bytes.fromhex(key)).token():06d}", "current_code": code}
    )
    assert TOTPDevice.objects.get(user=world.coordinator).key == key


def test_new_backup_codes_replace_the_old_ones(world, client_for):
    client = client_for(world.coordinator)
    old = backup_code(world.coordinator)
    refused = client.post(reverse("accounts:two_factor_backup_codes"))
    assert "Make new backup codes" in refused.content.decode() and "Your backup codes" not in refused.content.decode()
    assert StaticToken.objects.count() == 1
    response = client.post(reverse("accounts:two_factor_backup_codes"), {"current_code": old})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    new = shown_codes(response)
    assert len(new) == StaticToken.objects.count() == twofactor.BACKUP_CODE_COUNT and old not in new
    assert twofactor.proves_current_device(world.coordinator, new[0])
    assert not twofactor.proves_current_device(world.coordinator, old)


# Backup codes are stored hashed: a copy of the database does not sign anyone in


def enrolled_with_codes(client):
    client.get(reverse("accounts:two_factor_enrol"))
    key = client.session[twofactor.ENROL_SESSION_KEY]
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": f"{TOTP(bytes.fromhex(key)).token():06d}"})
    return shown_codes(response)


def test_the_database_holds_no_backup_code_only_its_hash(world):
    codes = enrolled_with_codes(password_step("coordinator"))
    stored = set(StaticToken.objects.filter(device__user=world.coordinator).values_list("token", flat=True))
    assert len(stored) == len(codes) == twofactor.BACKUP_CODE_COUNT
    assert not stored & set(codes)
    assert not any(code in value for code in codes for value in stored)


def test_a_stored_value_typed_as_a_code_does_not_sign_in(world):
    authenticator(world.coordinator)
    backup_code(world.coordinator)
    stored = StaticToken.objects.get().token
    client = password_step("coordinator")
    assert "This code is not right" in verify(client, stored).content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_hashed_backup_code_signs_in_once_and_only_once(world):
    authenticator(world.coordinator)
    code = backup_code(world.coordinator)
    assert verify(password_step("coordinator"), code).status_code == 302
    assert StaticToken.objects.count() == 0
    assert "This code is not right" in verify(password_step("coordinator"), code).content.decode()


def test_one_accounts_stored_code_copied_to_another_account_does_not_work_there(world):
    from .factories import UserFactory

    colleague = UserFactory(username="colleague", role="coordinator")
    authenticator(colleague)
    code = backup_code(world.coordinator)
    theirs = BackupCodes.objects.create(user=colleague, name="Backup codes")
    StaticToken.objects.update(device=theirs)
    assert not twofactor.proves_current_device(colleague, code)


def test_backup_codes_made_before_the_secret_key_was_rotated_still_work(world, settings):
    code = backup_code(world.coordinator)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    assert twofactor.proves_current_device(world.coordinator, code)
    assert not twofactor.proves_current_device(world.coordinator, code)


def test_the_migration_hashes_codes_stored_in_plain_text_and_each_then_works_once(world):
    from django.apps import apps

    device = StaticDevice.objects.create(user=world.coordinator, name="Backup codes")
    device.token_set.create(token="k7m2q9xa")  # as stored before the migration
    migration = importlib.import_module("accounts.migrations.0006_backup_codes_hashed")
    migration.hash_stored_codes(apps, None)

    stored = StaticToken.objects.get().token
    assert stored != "k7m2q9xa" and stored == hash_backup_code(world.coordinator.pk, "k7m2q9xa")
    assert twofactor.proves_current_device(world.coordinator, "k7m2q9xa")
    assert not twofactor.proves_current_device(world.coordinator, "k7m2q9xa")


# A coordinator resets another account's two-factor sign-in


def test_a_coordinator_resets_another_accounts_two_factor_and_it_is_logged(world, client_for):
    from .factories import UserFactory

    colleague = UserFactory(username="colleague", role="coordinator")
    authenticator(colleague)
    backup_code(colleague)
    client = client_for(world.coordinator)
    edit_page = client.get(reverse("accounts:user_edit", args=[colleague.pk])).content.decode()
    assert reverse("accounts:user_two_factor_reset", args=[colleague.pk]) in edit_page
    response = client.post(reverse("accounts:user_two_factor_reset", args=[colleague.pk]))
    assert response.url == reverse("accounts:user_edit", args=[colleague.pk])
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not StaticDevice.objects.filter(user=colleague).exists()
    event = SecurityEvent.objects.get(action=SecurityEvent.Action.TWO_FACTOR_RESET)
    assert (event.account, event.actor) == (colleague, world.coordinator)
    assert (
        "two-factor sign-in reset by a coordinator"
        in client.get(reverse("accounts:user_edit", args=[colleague.pk])).content.decode()
    )
    assert password_step("colleague").get(reverse("dashboard")).url.startswith(reverse("accounts:two_factor_enrol"))


def test_a_coordinator_cannot_reset_their_own_two_factor_from_the_accounts_page(world, client_for):
    client = client_for(world.coordinator)
    client.post(reverse("accounts:user_two_factor_reset", args=[world.coordinator.pk]))
    assert twofactor.is_enrolled(world.coordinator)


def test_staff_and_mentors_cannot_reset_anyones_two_factor(world, client_for):
    authenticator(world.other_mentor)
    for user in (world.staff, world.mentor):
        response = client_for(user).post(reverse("accounts:user_two_factor_reset", args=[world.other_mentor.pk]))
        assert response.status_code == 403
    assert twofactor.is_enrolled(world.other_mentor)


def test_the_account_list_says_who_uses_two_factor(world, client_for):
    client = client_for(world.coordinator)
    users = {u.username: u.two_factor for u in client.get(reverse("accounts:user_list")).context["users"]}
    assert users["coordinator"] is True and users["mentor"] is False


def test_demo_totp_prints_the_code_the_demo_key_gives(db):
    from io import StringIO

    from django.core.management import call_command

    from accounts.demo import DEMO_TOTP_KEY, demo_coordinator

    call_command("load_demo")
    out = StringIO()
    call_command("demo_totp", stdout=out)
    device = TOTPDevice.objects.get(user=demo_coordinator())
    assert device.key == twofactor.key_from_base32(DEMO_TOTP_KEY)
    assert out.getvalue().splitlines()[0] == twofactor.current_code(device)
