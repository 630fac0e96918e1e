"""Rules of the public site: the live figures, taking in and moderating the public's submissions."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.throttling import client_ip
from outbox import services as outbox

from .models import Submission

SUBMISSIONS_PER_DAY = 3


def client_key(request):
    """A salted hash of the visitor's address: enough to count their submissions, not to know who they are."""
    # Behind the reverse proxy REMOTE_ADDR is the proxy itself: every visitor would share one key and three
    # submissions a day from anyone would close the form for everyone.
    address = client_ip(request) or ""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def over_limit(email, key, now=None, *, project):
    """Three submissions a day from one address or one email to one project's exchange; another project's site
    counts its own."""
    since = (now or timezone.now()) - timedelta(days=1)
    recent = Submission.objects.filter(project=project, submitted_at__gte=since).filter(
        Q(email__iexact=email) | Q(client_key=key)
    )
    return recent.count() >= SUBMISSIONS_PER_DAY


def take_submission(form, request, project):
    """Store a submission to `project`'s exchange with its attachment and its confirmation email, which the
    outbox sends after the commit: a mail server that is down delays the email, never the answer."""
    submission = form.save(commit=False)
    submission.project = project
    submission.client_key = client_key(request)
    upload = form.cleaned_data.get("attachment")
    if upload:
        submission.attachment_name = upload.name[:200]
    with transaction.atomic():
        submission.save()
        _confirm(submission)
    return submission


def _confirm(submission):
    # Nothing the sender typed goes into the message: anyone can type any address into the public form, and
    # their name or title would turn this confirmation into a way to mail someone else any text.
    body = _(
        "Hello,\n\n"
        "thank you for sharing your good practice with the project “%(project)s”. A coordinator will read it; once "
        "it is approved it appears on %(url)s with the name of your organisation and country.\n\n"
        "Your reference: %(reference)s.\n\n"
        "If you did not send this, you can ignore this message."
    ) % {
        "project": submission.project.title,
        "url": settings.SITE_URL + reverse("public:exchange", args=[submission.project.public_slug]),
        "reference": f"GP-{submission.pk:05d}",
    }
    outbox.send(
        to=submission.email,
        subject=_("We received your good practice"),
        body=body,
        purpose=outbox.Purpose.EXCHANGE_RECEIVED,
        reference=outbox.reference_to(submission),
        school_id=submission.project.sending_organisation_id,
    )


def moderate(submission, user, decision, note=""):
    with transaction.atomic():
        submission.status = decision
        submission.moderated_by = user
        submission.moderated_at = timezone.now()
        submission.moderation_note = note
        submission.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_note"])
    return submission


def dissemination_entries(project):
    """What the public site published, as dissemination activities of the final report (reports.final_report):
    one row per article and news item, and one for the exchange with the contributions other organisations sent."""
    from .models import Article, NewsItem

    entries = [
        {
            "date": item.published_at.date().isoformat(),
            "kind": kind,
            "title": item.title,
            "audience": _("Public web page"),
            "reached": None,
        }
        for kind, items in (
            (_("Good-practice article"), Article.objects.published().filter(project=project)),
            (_("News on the project's page"), NewsItem.objects.published().filter(project=project)),
        )
        for item in items.only("title", "published_at")
    ]
    exchange = (
        Submission.objects.approved()
        .filter(project=project)
        .aggregate(
            count=Count("pk"),
            organisations=Count("organisation", distinct=True),
            last=Max(Coalesce("moderated_at", "submitted_at")),
        )
    )
    if exchange["count"]:
        entries.append(
            {
                "date": exchange["last"].date().isoformat(),
                "kind": _("Exchange of good practice"),
                "title": ngettext(
                    "%(count)d contribution published from other organisations",
                    "%(count)d contributions published from other organisations",
                    exchange["count"],
                )
                % exchange,
                "audience": _("Schools, employers and organisations"),
                "reached": exchange["organisations"],
            }
        )
    return entries
