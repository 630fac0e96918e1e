"""Reminders: one digest a day per person through the outbox, in their language, without the kinds they
switched off, never the same kind twice on a day; tested on a frozen clock (`now` passed in, or
timezone.now replaced)."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from attendance.models import WeekSignoff, week_start
from common.tokens import hash_token
from employers.models import Agreement
from feedback.models import Invitation
from notifications import services, tasks
from notifications.models import Kind, ReminderSettings, SentReminder
from outbox.models import OutgoingMessage
from participants.models import Participant

from .factories import OrganisationFactory


def evening(day):
    return timezone.make_aware(datetime.combine(day, time(18, 0)))


def working_day(placement, not_before=None):
    """The first working day of the placement from today (or `not_before`) on: public holidays (30 November and
    1 December in Romania) are no days to record."""
    from attendance.services import placement_days

    start = not_before or timezone.localdate()
    return next(day.date for day in placement_days(placement, start) if day.expected)


@pytest.fixture
def mailboxes(running):
    running.mentor.email = "rui@example.pt"
    running.mentor.save()
    running.coordinator.email = "mirela@example.ro"
    running.coordinator.save()
    return running


def digests(to):
    return OutgoingMessage.objects.filter(purpose="reminder_digest", to=to)


def test_a_mentor_is_reminded_once_of_a_day_not_recorded(mailboxes):
    now = evening(working_day(mailboxes.placement))
    services.send_daily_reminders(now)
    services.send_daily_reminders(now)  # the beat ran twice, or the task was retried
    mail = digests("rui@example.pt")
    assert mail.count() == 1
    assert "Today's attendance on Flow 1 – Mechanics is not recorded yet." in mail.get().body
    assert SentReminder.objects.filter(recipient=f"user:{mailboxes.mentor.pk}", kind=Kind.DAY_NOT_RECORDED).count() == 1


def test_the_next_day_is_a_new_reminder(mailboxes):
    today = working_day(mailboxes.placement)
    services.send_daily_reminders(evening(today))
    services.send_daily_reminders(evening(working_day(mailboxes.placement, today + timedelta(days=1))))
    assert digests("rui@example.pt").count() == 2


def test_a_reminder_switched_off_is_not_sent(mailboxes, client_for):
    client = client_for(mailboxes.mentor)
    response = client.post(reverse("notifications:settings"), {"language": "en", "wanted": [Kind.WEEK_NOT_SUBMITTED]})
    assert response.status_code == 302
    assert ReminderSettings.objects.get(user=mailboxes.mentor).switched_off == [Kind.DAY_NOT_RECORDED]
    services.send_daily_reminders(evening(timezone.localdate()))
    for message in digests("rui@example.pt"):
        assert "is not recorded yet" not in message.body
    assert not SentReminder.objects.filter(kind=Kind.DAY_NOT_RECORDED).exists()


def test_a_digest_is_written_in_the_recipients_language(mailboxes):
    ReminderSettings.objects.create(user=mailboxes.mentor, language="ro", switched_off=[])
    services.send_daily_reminders(evening(timezone.localdate()))
    assert digests("rui@example.pt").get().language == "ro"


def test_a_week_not_submitted_is_reminded_until_it_is(mailboxes):
    today = timezone.localdate()
    services.send_daily_reminders(evening(today))
    assert "is not submitted yet" in digests("rui@example.pt").get().body
    week_reminders = SentReminder.objects.filter(kind=Kind.WEEK_NOT_SUBMITTED)
    assert week_reminders.count() == 1
    WeekSignoff.objects.create(
        placement=mailboxes.placement,
        mentor=mailboxes.mentor,
        week_start=week_start(today) - timedelta(days=7),
        submitted_by=mailboxes.mentor,
        submitted_at=timezone.now(),
    )
    tomorrow = today + timedelta(days=1)
    if week_start(tomorrow) == week_start(today):  # still the week after the one handed in
        services.send_daily_reminders(evening(tomorrow))
        assert week_reminders.count() == 1


def test_coordinators_get_one_digest_with_everything(mailboxes):
    today = timezone.localdate()
    employer = OrganisationFactory(name="Mecanica Siret SA", kind="employer", country="RO")
    Agreement.objects.create(
        organisation=employer,
        title="Hiring graduates",
        scope="-",
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=50),
        renewal_due_on=today + timedelta(days=10),
    )
    Invitation.objects.create(
        kind="learner",
        placement=mailboxes.placement,
        assignment=mailboxes.assignment,
        sent_at=timezone.now() - timedelta(days=8),
    )
    services.send_daily_reminders(evening(today))
    body = digests("mirela@example.ro").get().body
    assert "“Hiring graduates” with Mecanica Siret SA" in body
    assert "1 questionnaire sent a week ago or more is not answered yet." in body
    assert "health-insurance card missing or expiring" in body  # the factories' learners have no documents
    services.send_daily_reminders(evening(today))
    assert digests("mirela@example.ro").count() == 1


def test_staff_get_no_reminders(mailboxes):
    mailboxes.staff.email = "director@example.ro"
    mailboxes.staff.save()
    services.send_daily_reminders(evening(timezone.localdate()))
    assert not digests("director@example.ro").exists()


def test_a_learner_is_reminded_a_week_and_two_weeks_after_the_link(mailboxes, monkeypatch):
    Participant.objects.filter(pk=mailboxes.learner.pk).update(email="stefan@example.ro")
    sent = evening(timezone.localdate() - timedelta(days=20))
    invitation = Invitation.objects.create(
        kind="learner", placement=mailboxes.placement, assignment=mailboxes.assignment, sent_at=sent
    )
    learner_mail = OutgoingMessage.objects.filter(purpose="feedback_invitation", to="stefan@example.ro")
    for days in range(1, 16):
        # The task reads the clock itself: freeze it on each evening in turn.
        monkeypatch.setattr(timezone, "now", lambda days=days: sent + timedelta(days=days))
        tasks.send_daily_reminders()
        tasks.send_daily_reminders()
    assert learner_mail.count() == 2
    # Each reminder carries a new link (the database keeps no token to send again): the latest one works.
    tokens = [re.search(r"/feedback/q/([\w-]+)/", message.body).group(1) for message in learner_mail.order_by("pk")]
    assert len(set(tokens)) == 2
    assert Invitation.objects.get(pk=invitation.pk).token_hash == hash_token(tokens[-1])
    Invitation.objects.filter(pk=invitation.pk).update(answered_at=sent)
    assert services.remind_learners((sent + timedelta(days=14)).date()) == 0


def test_the_daily_task_is_on_the_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-daily-reminders"]
    assert entry["task"] == "notifications.tasks.send_daily_reminders"


def test_one_reminder_per_recipient_kind_and_day_is_a_database_rule(db):
    from django.db import IntegrityError, transaction

    day = timezone.localdate()
    SentReminder.objects.create(recipient="user:1", kind=Kind.DAY_NOT_RECORDED, day=day)
    with pytest.raises(IntegrityError), transaction.atomic():
        SentReminder.objects.create(recipient="user:1", kind=Kind.DAY_NOT_RECORDED, day=day)
