"""The offline mentor's server side: the service worker and manifest from the site root, the content security
policy that lets them load, and the outbox's save endpoint (a repeated key gets the first answer; a save based on
an older version is refused with both values; a mentor reaches only their own learners)."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import AttendanceRecord
from attendance.services import DayEntry, save_days
from offline.models import SaveKey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

SAVE = reverse("offline:save_day")


def a_save(world, key="k-0001-aaaa", status="present", version=0, **more):
    return {
        "key": key,
        "assignment": world.assignment.pk,
        "date": f"{timezone.localdate():%Y-%m-%d}",
        "status": status,
        "version": version,
        **more,
    }


def test_service_worker_is_served_from_the_root_with_a_scope_over_every_page(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    script = response.content.decode()
    assert "/static/js/outbox.js" in script and "/attendance/today/" in script


def test_manifest_starts_on_today(client):
    data = json.loads(client.get("/manifest.webmanifest").content)
    assert data["start_url"] == reverse("attendance:today") and data["scope"] == "/"


def test_content_security_policy_allows_the_worker_and_the_manifest_from_this_site(client):
    policy = client.get("/sw.js")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_today_and_week_pages_carry_the_outbox(running, client_for):
    client = client_for(running.mentor)
    today = client.get(reverse("attendance:today")).content.decode()
    assert 'id="outbox"' in today and "js/outbox.js" in today
    week = client.get(reverse("attendance:current_week", args=[running.placement.pk]), follow=True)
    assert 'id="outbox"' in week.content.decode()


def test_a_save_sent_twice_with_one_key_is_written_once_and_answered_alike(running, client_for):
    client = client_for(running.mentor)
    first = client.post(SAVE, a_save(running)).json()
    second = client.post(SAVE, a_save(running)).json()
    assert first["ok"] and first["saved"]["version"] == 1
    assert second == first  # without the key the second would be refused as a conflict with the first
    record = AttendanceRecord.objects.get(assignment=running.assignment)
    assert record.version == 1 and record.history.count() == 1
    assert SaveKey.objects.filter(user=running.mentor).count() == 1


def test_keys_are_each_users_own(running, client_for):
    client_for(running.mentor).post(SAVE, a_save(running, key="shared-key-1"))
    answer = client_for(running.coordinator).post(SAVE, a_save(running, key="shared-key-1", status="sick")).json()
    assert answer["ok"] is False and answer["conflict"] is True  # the coordinator's own save, judged afresh
    assert SaveKey.objects.filter(key="shared-key-1").count() == 2


def test_a_save_based_on_an_older_version_is_refused_with_both_values(running, client_for):
    day = timezone.localdate()
    save_days(running.coordinator, [DayEntry(running.assignment.pk, day, "sick", reason="Flu")])
    answer = client_for(running.mentor).post(SAVE, a_save(running, status="present", version=0)).json()
    assert answer["ok"] is False and answer["conflict"] is True
    assert answer["mine"]["status"] == "present" and answer["mine"]["version"] == 0
    assert answer["theirs"]["status"] == "sick" and answer["theirs"]["version"] == 1
    assert answer["theirs"]["by"] == str(running.coordinator)
    record = AttendanceRecord.objects.get(assignment=running.assignment)
    assert (record.status.code, record.version) == ("sick", 1)
    # The mentor chooses theirs: sent again on the version now saved, under a new key.
    again = client_for(running.mentor).post(SAVE, a_save(running, key="k-0002-bbbb", version=1)).json()
    assert again["ok"] and again["saved"]["status"] == "present" and again["saved"]["version"] == 2


def test_a_refused_save_is_answered_with_the_reason_and_nothing_is_written(running, client_for):
    answer = client_for(running.mentor).post(SAVE, a_save(running, status="late")).json()
    assert answer["ok"] is False and answer["conflict"] is False and "reason" in answer["error"]
    assert not AttendanceRecord.objects.exists()


def test_another_mentors_learner_is_not_found_and_nothing_is_stored(running, client_for):
    response = client_for(running.other_mentor).post(SAVE, a_save(running))
    assert response.status_code == 404
    assert not AttendanceRecord.objects.exists() and not SaveKey.objects.exists()


def test_staff_may_not_record_and_anonymous_is_sent_to_sign_in(running, client_for):
    assert client_for(running.staff).post(SAVE, a_save(running)).status_code == 403
    response = client_for(None).post(SAVE, a_save(running))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "a key with spaces"])
def test_a_save_without_a_proper_key_is_refused(running, client_for, key):
    response = client_for(running.mentor).post(SAVE, a_save(running, key=key))
    assert response.status_code == 400
    assert not AttendanceRecord.objects.exists()


def test_a_save_costs_the_same_queries_however_many_keys_are_stored(running, client_for, django_assert_max_num_queries):
    client = client_for(running.mentor)
    for number in range(30):
        SaveKey.objects.create(user=running.mentor, key=f"old-key-{number:04d}", answer={"ok": True})
    with django_assert_max_num_queries(20):
        client.post(SAVE, a_save(running, key="k-0003-cccc"))
