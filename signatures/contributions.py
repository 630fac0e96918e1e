"""What the signatures give the rules of personal data (common.sections), without privacy importing them: the
learner's export, anonymisation, the daily retention rules and the note on the learner's page.

- Signature events are evidence and stay as they are: the ORM and a database trigger refuse any change, and each
  event's hash covers the signer's name and drawn signature, so blanking them would break the chain that proves
  every later signature. The learner's page says so, like the payment records.
- A host company's signing links (the representative's name and address) serve only until the link is used or
  expires: anonymising the learner deletes those of their agreements, with the mail sent about them, and the daily
  rule deletes every link HOST_LINKS_KEPT_AFTER_EXPIRY after it expired.
- A scan of a week signed on paper shows the whole flow's week: it goes when the last learner of the flow it
  shows is anonymised (until then it is the others' evidence, and its file name loses the learner's names), and
  the daily rule deletes it once the retention period after its project's end is over.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from accounts.roles import OFFICE, has_role, in_schools
from outbox.services import forget, reference_to
from placements.models import Assignment, Project
from privacy.services import add_years

from .models import HostSigningLink, PaperSheet, SignatureEvent

# A used or expired link still answers "expired" or "already used" to the representative for this long.
HOST_LINKS_KEPT_AFTER_EXPIRY = timedelta(days=30)

# The evidence of other signers of the learner's documents that the export shows (their IP address and browser
# are theirs, not the learner's).
OTHER_SIGNERS_FIELDS = ("document", "subject", "week_start", "role", "signer_name", "method", "signed_at")


def learner_paper_sheets(participant_id: int) -> Any:
    """The scans of weeks signed on paper of the flows the learner was assigned to."""
    placements = Assignment.objects.filter(participant_id=participant_id).values("placement_id")
    return PaperSheet.objects.filter(placement_id__in=placements)


def export_learner(participant: Any, assignment_ids: Sequence[int], row: Callable[[Any], dict]) -> dict[str, Any]:
    """common.sections.LEARNER_EXPORT: the learner's signatures with their evidence, the other signers of their
    documents (who, as what, when), the links sent to a host company's representative to sign their learning
    agreement (without the hashes of the link and the code), and the scans of their flow's weeks signed on paper
    (what and when: the scan itself shows the other learners of the flow, so it is not copied into the export)."""
    events = SignatureEvent.objects.filter(assignment_id__in=assignment_ids).order_by("pk")
    hidden = {"token_hash", "code_hash", "code_expires_at", "code_attempts"}
    return {
        "signatures": [row(event) for event in events.filter(role=SignatureEvent.Role.LEARNER)],
        "signatures_by_others": [
            {**{name: getattr(event, name) for name in OTHER_SIGNERS_FIELDS}, "code": event.code}
            for event in events.exclude(role=SignatureEvent.Role.LEARNER)
        ],
        "host_signing_links": [
            {key: value for key, value in row(link).items() if key not in hidden}
            for link in HostSigningLink.objects.filter(assignment_id__in=assignment_ids).order_by("pk")
        ],
        "paper_sheets": [
            {key: value for key, value in row(sheet).items() if key != "path"}
            for sheet in learner_paper_sheets(participant.pk).order_by("week_start", "pk")
        ],
    }


def forget_learner(
    participant_id: int, assignment_ids: Sequence[int], values: dict[str, Any], scrub: Callable[[Any], Any]
) -> list[str]:
    """common.sections.ANONYMISE: the host signing links of the learner's agreements go, with their mail; each
    scan of the learner's flow goes when every other learner of the flow is anonymised already, else its file name
    loses the learner's names. The signature events stay (see above). Returns the scans' files to delete."""
    links = HostSigningLink.objects.filter(assignment_id__in=assignment_ids)
    forget([reference_to(link) for link in links])
    links.delete()
    paths = []
    for sheet in learner_paper_sheets(participant_id):
        others = (
            Assignment.objects.filter(placement_id=sheet.placement_id, participant__anonymised_at__isnull=True)
            .exclude(participant_id=participant_id)
            .exists()
        )
        if others:
            PaperSheet.objects.filter(pk=sheet.pk).update(original_name=scrub(sheet.original_name)[:200])
        else:
            paths.append(sheet.path)
            sheet.delete()
    return paths


def remove_expired(now: Any = None) -> dict[str, int]:
    """common.sections.RETENTION, daily: the host signing links HOST_LINKS_KEPT_AFTER_EXPIRY after they expired
    (used or not; the signature keeps its own evidence), with their mail; the scans of weeks signed on paper
    PERSONAL_DATA_RETENTION_YEARS after their project's end, with their files. Returns the counts."""
    now = now or timezone.now()
    links = HostSigningLink.objects.filter(expires_at__lt=now - HOST_LINKS_KEPT_AFTER_EXPIRY)
    references = [reference_to(link) for link in links]
    cutoff = add_years(timezone.localdate(now), -settings.PERSONAL_DATA_RETENTION_YEARS)
    sheets = PaperSheet.objects.filter(placement__project__end_date__lte=cutoff)
    paths = list(sheets.values_list("path", flat=True))
    with transaction.atomic():
        forget(references)
        removed_links, _by_model = links.delete()
        removed_sheets, _by_model = sheets.delete()
        storage = storages["private"]
        transaction.on_commit(lambda: [storage.delete(p) for p in paths if storage.exists(p)])
    return {"host_signing_links": removed_links, "paper_sheets": removed_sheets}


def participant_record(participant: Any, user: Any) -> list[dict[str, Any]]:
    """common.sections.PARTICIPANT_RECORD: for the office of the learner's project's school, how many electronic
    signatures of the learner's documents are kept as evidence (and that they stay when the learner is
    anonymised), and the scans of their flow's weeks signed on paper with how long they are kept."""
    if not has_role(user, OFFICE):
        return []
    if not in_schools(Project.objects.filter(pk=participant.project_id), user).exists():
        return []
    assignments = Assignment.objects.filter(participant=participant).values("pk")
    signatures = SignatureEvent.objects.filter(assignment_id__in=assignments).count()
    sheets = learner_paper_sheets(participant.pk).count()
    if not signatures and not sheets:
        return []
    years = settings.PERSONAL_DATA_RETENTION_YEARS
    until: date = add_years(participant.project.end_date, years)
    context = {"signatures": signatures, "sheets": sheets, "years": years, "until": until}
    return [{"template": "signatures/partials/record_panel.html", "context": context}]
