"""Reminders, once a day, through the one mail path (outbox.services.send): each person gets one digest with
everything due for them, in their language, without the kinds they switched off, and never the same kind twice
on a day (SentReminder's unique constraint decides, so two runs of the task send nothing new).

Mentors: today's attendance not recorded by the evening, last week not submitted (attendance's own rules).
Coordinators: documents missing or expiring, weeks and free-text answers waiting, questionnaires not answered,
agreements to renew. Learners: their questionnaire, a week and two weeks after the link was sent.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from accounts.models import User
from accounts.roles import in_schools, is_coordinator, is_mentor
from attendance.models import WeekSignoff, week_start
from attendance.services import days_still_to_record, week_of
from common.locales import zone
from employers.models import Agreement
from feedback import services as feedback
from feedback.models import Answer, Invitation
from outbox import services as outbox
from placements.models import Assignment, Placement

from .models import Kind, ReminderSettings, SentReminder

QUESTIONNAIRE_WAIT_DAYS = 7  # a link not answered after a week is worth a reminder
LEARNER_REMINDER_DAYS = (7, 14)  # a learner is reminded twice at most

MENTOR_KINDS = (Kind.DAY_NOT_RECORDED, Kind.WEEK_NOT_SUBMITTED)
COORDINATOR_KINDS = (
    Kind.DOCUMENTS_EXPIRING,
    Kind.SUBMISSIONS_WAITING,
    Kind.QUESTIONNAIRES_UNANSWERED,
    Kind.AGREEMENTS_LAPSING,
)


@dataclass
class Item:
    kind: str
    message: Any  # a lazy translation, formatted with `params` in the recipient's language by text()
    params: dict[str, Any]
    url: str

    def text(self) -> str:
        return str(self.message % self.params)


def kinds_for(user: User) -> tuple[Kind, ...]:
    if is_mentor(user):
        return MENTOR_KINDS
    if is_coordinator(user):
        return COORDINATOR_KINDS
    return ()


def settings_for(user: User) -> ReminderSettings:
    found = ReminderSettings.objects.filter(user=user).first()
    if found is None:
        # Mentors abroad read English unless they choose; the school's people read the installation's language.
        default = user.language or ("en" if is_mentor(user) else settings.LANGUAGE_CODE)
        found = ReminderSettings(user=user, language=default, switched_off=[])
    return found


def absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


# What is due, per recipient


def mentor_items(today: date) -> dict[int, list[Item]]:
    found: defaultdict[int, list[Item]] = defaultdict(list)
    running = Placement.objects.filter(start_date__lte=today, end_date__gte=today - timedelta(days=7)).select_related(
        "work_pattern", "project"
    )
    monday = week_start(today)
    last_monday = monday - timedelta(days=7)
    for placement in running:
        mentor_ids = set(
            placement.assignments.active().exclude(mentor=None).values_list("mentor_id", flat=True).distinct()
        )
        handed_in = set(
            WeekSignoff.objects.filter(
                placement=placement,
                week_start=last_monday,
                state__in=[WeekSignoff.State.SUBMITTED, WeekSignoff.State.APPROVED],
            ).values_list("mentor_id", flat=True)
        )
        worked_last_week = any(day.expected for day in week_of(placement, last_monday))
        for mentor_id in mentor_ids:
            if placement.end_date >= today and today in days_still_to_record(placement, monday, mentor_id, today):
                found[mentor_id].append(
                    Item(
                        Kind.DAY_NOT_RECORDED,
                        gettext_lazy("Today's attendance on %(placement)s is not recorded yet."),
                        {"placement": placement.title},
                        absolute(reverse("attendance:today")),
                    )
                )
            if worked_last_week and mentor_id not in handed_in:
                found[mentor_id].append(
                    Item(
                        Kind.WEEK_NOT_SUBMITTED,
                        gettext_lazy("The week of %(day)s on %(placement)s is not submitted yet."),
                        {"day": last_monday.isoformat(), "placement": placement.title},
                        absolute(reverse("attendance:week", args=[placement.pk, last_monday.isoformat()])),
                    )
                )
    return found


def coordinator_items(today: date, user: User | None = None) -> list[Item]:
    """The coordinators' reminders; when given, of the schools where `user` is coordinator only (accounts.roles,
    roles per school: what waits for a coordinator, and the learners' documents, are not a staff school's)."""

    def mine(queryset: Any) -> Any:
        return queryset if user is None else in_schools(queryset, user, write=True)

    items: list[Item] = []
    documents = (
        mine(Assignment.objects.active())
        .filter(placement__end_date__gte=today, participant__anonymised_at__isnull=True)
        .filter(
            Q(participant__id_document_expiry=None)
            | Q(participant__id_document_expiry__lt=F("placement__end_date"))
            | Q(participant__health_insurance_expiry=None)
            | Q(participant__health_insurance_expiry__lt=F("placement__end_date"))
        )
        .values("participant")
        .distinct()
        .count()
    )
    if documents:
        items.append(
            Item(
                Kind.DOCUMENTS_EXPIRING,
                ngettext_lazy(
                    "%(count)d learner has an ID document or health-insurance card missing or expiring before "
                    "their stage ends.",
                    "%(count)d learners have an ID document or health-insurance card missing or expiring before "
                    "their stage ends.",
                    "count",
                ),
                {"count": documents},
                absolute(reverse("dashboard")),
            )
        )
    weeks = mine(WeekSignoff.objects.filter(state=WeekSignoff.State.SUBMITTED)).count()
    words = mine(Answer.objects.comments_waiting()).filter(invitation__answered_at__isnull=False).count()
    if weeks or words:
        items.append(
            Item(
                Kind.SUBMISSIONS_WAITING,
                gettext_lazy(
                    "Waiting for you: %(weeks)d attendance week(s) to approve, %(answers)d questionnaire answer(s) "
                    "in the learners' own words to read and approve."
                ),
                {"weeks": weeks, "answers": words},
                absolute(reverse("feedback:overview") if words and not weeks else reverse("dashboard")),
            )
        )
    unanswered = (
        mine(Invitation.objects.usable())
        .filter(answered_at__isnull=True, sent_at__date__lte=today - timedelta(days=QUESTIONNAIRE_WAIT_DAYS))
        .count()
    )
    if unanswered:
        items.append(
            Item(
                Kind.QUESTIONNAIRES_UNANSWERED,
                ngettext_lazy(
                    "%(count)d questionnaire sent a week ago or more is not answered yet.",
                    "%(count)d questionnaires sent a week ago or more are not answered yet.",
                    "count",
                ),
                {"count": unanswered},
                absolute(reverse("feedback:overview")),
            )
        )
    for agreement in mine(Agreement.objects.lapsing(today)).select_related("organisation"):
        items.append(
            Item(
                Kind.AGREEMENTS_LAPSING,
                gettext_lazy("The agreement “%(title)s” with %(partner)s is due for renewal on %(day)s."),
                {
                    "title": agreement.title,
                    "partner": agreement.organisation.name,
                    "day": agreement.renewal_due_on.isoformat(),
                },
                absolute(agreement.get_absolute_url()),
            )
        )
    return items


# Sending


def claim(recipient: str, kinds: set[str], today: date) -> set[str]:
    """The kinds not yet sent to `recipient` today, now marked as sent (each in its own savepoint, so that a
    concurrent run's row makes this one skip the kind instead of failing)."""
    claimed = set()
    for kind in kinds:
        try:
            with transaction.atomic():
                SentReminder.objects.create(recipient=recipient, kind=kind, day=today)
        except IntegrityError:
            continue
        claimed.add(kind)
    return claimed


def send_daily_reminders(now: datetime | None = None) -> int:
    """Send the digests due by now; returns how many emails were written. Each person's goes at
    settings.REMINDER_HOUR of their own clock (User.time_zone), on their own day: the beat runs every hour, and
    the first run from that hour on sends (claim() keeps later runs of the day from sending it again). Safe to
    run as often as one likes."""
    now = now or timezone.now()
    written = 0
    due_on: dict[date, dict[int, list[Item]]] = {}
    users = User.objects.filter(is_active=True).exclude(email="")
    for user in users:
        local = timezone.localtime(now, zone(user.time_zone))
        if local.hour < settings.REMINDER_HOUR:
            continue
        today = local.date()
        if today not in due_on:
            due_on[today] = mentor_items(today)
        by_user = due_on[today]
        wanted = kinds_for(user)
        # Each coordinator hears of their own schools only.
        items = coordinator_items(today, user) if wanted == COORDINATOR_KINDS else by_user.get(user.pk, [])
        preferences = settings_for(user)
        items = [item for item in items if item.kind in wanted and item.kind not in preferences.switched_off]
        if not items:
            continue
        with transaction.atomic():
            claimed = claim(f"user:{user.pk}", {item.kind for item in items}, today)
            items = [item for item in items if item.kind in claimed]
            if not items:
                continue
            with translation.override(preferences.language):
                body = render_to_string(
                    "notifications/email/digest.txt",
                    {
                        "user": user,
                        "items": [(item.text(), item.url) for item in items],
                        "settings_url": absolute(reverse("notifications:settings")),
                    },
                )
                message = outbox.send(
                    to=user.email,
                    subject=_("Your reminders for %(day)s") % {"day": today.isoformat()},
                    body=body,
                    purpose=outbox.Purpose.REMINDER_DIGEST,
                    language=preferences.language,
                    reference=f"reminders:user:{user.pk}",
                    # The recipient's school (the first, for a member of several): its office sees the digest.
                    school_id=outbox.school_of(user),
                )
            SentReminder.objects.filter(recipient=f"user:{user.pk}", day=today, kind__in=claimed).update(
                message=message
            )
            written += 1
    # Learners have no clock of their own here: theirs go at the hour of the school's.
    home = timezone.localtime(now)
    if home.hour >= settings.REMINDER_HOUR:
        written += remind_learners(home.date())
    return written


def remind_learners(today: date) -> int:
    """A learner who has not answered gets the link again a week and two weeks after it was sent."""
    written = 0
    days = [today - timedelta(days=n) for n in LEARNER_REMINDER_DAYS]
    due = (
        Invitation.objects.usable()
        .filter(kind="learner", answered_at__isnull=True, sent_at__date__in=days)
        .select_related("assignment__participant", "placement")
    )
    for invitation in due:
        address = invitation.assignment.participant.email
        if not address:
            continue
        with transaction.atomic():
            if not claim(f"invitation:{invitation.pk}", {Kind.LEARNER_QUESTIONNAIRE}, today):
                continue
            feedback.send_link(invitation, address, reminder=True)
            written += 1
    return written
