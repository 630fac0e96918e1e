"""What employers gives other apps through common.sections: the public home's partners who agreed to be named,
the dashboard's agreements to renew (both of the project's school's address book), and forgetting notes on
anonymisation."""

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import services
from .models import Agreement, Introduction, PartnerProfile


def public_results(project: Any) -> dict[str, Any]:
    if project is None:
        return {"listed_partners": []}
    listed = (
        PartnerProfile.objects.filter(
            public_listing_agreed_on__isnull=False, organisation__schools=project.sending_organisation_id
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return {
        "listed_partners": [
            {
                "name": profile.organisation.name,
                "city": profile.organisation.city,
                "kind": str(profile.organisation.get_kind_display()),
                "sector": profile.sector,
            }
            for profile in listed
        ]
    }


def attention(project: Any) -> list[tuple[str, str, str]]:
    items = []
    if project is None:
        return []
    lapsing = Agreement.objects.lapsing().filter(organisation__schools=project.sending_organisation_id)
    for agreement in lapsing.select_related("organisation"):
        items.append(
            (
                _("The agreement “%(title)s” with %(partner)s is due for renewal on %(day)s (it ends on %(end)s).")
                % {
                    "title": agreement.title,
                    "partner": agreement.organisation.name,
                    "day": date_format(agreement.renewal_due_on, "DATE_FORMAT"),
                    "end": date_format(agreement.ends_on, "DATE_FORMAT"),
                },
                agreement.get_absolute_url(),
                "warning",
            )
        )
    return items


def forget_learner(participant_id: int, assignment_ids: Any, values: Any, scrub: Any) -> None:
    """common.sections.ANONYMISE: the introductions stay for the counts, their notes go."""
    services.forget_learner(participant_id)


def export_learner(participant: Any, assignment_ids: Any, row: Any) -> dict[str, Any]:
    """common.sections.LEARNER_EXPORT: the employers the graduate was introduced to, with consent and outcome."""
    return {"introductions": [row(i) for i in Introduction.objects.filter(participant=participant)]}
