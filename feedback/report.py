"""What feedback gives other apps through common.sections: the final report's tables (counts, no names) and
the forgetting of a learner's words when privacy anonymises them."""

from typing import Any

from django.utils.translation import gettext as _

from . import charts, selectors, services
from .models import Answer, Invitation
from .questions import HOST, LEARNER


def final_report_sections(project: Any) -> dict[str, Any]:
    placement_ids = project.placements.values("pk")  # a subquery: no query of its own
    tables = []
    rates = []
    answer_rows = []
    drawn = []
    for kind, label in ((LEARNER, _("Learners")), (HOST, _("Hosts and mentors"))):
        found = selectors.results(placement_ids, kind)
        if found.answered:
            drawn.append(str(charts.summary_chart(found, chart_id=f"feedback-{kind}", title=label)))
        rates.append([label, found.invited, found.answered, found.rate])
        for counts in found.questions:
            good, middle, bad = (counts.counts[value] for value, _label in counts.question.choices)
            answer_rows.append([label, str(counts.question.text), good, middle, bad, counts.not_answered])
    tables.append(
        {
            "key": "feedback",
            "title": _("Feedback from learners and hosts"),
            "sheet": _("Feedback"),
            "headers": [_("Questionnaire"), _("Links sent"), _("Answers"), _("Response rate (%)")],
            "rows": rates,
            "widths": [40, 14, 14, 16],
        }
    )
    tables.append(
        {
            "key": "feedback_answers",
            "title": _("Answers per question (positive, in between, negative)"),
            "sheet": _("Feedback answers"),
            "headers": [
                _("Questionnaire"),
                _("Question"),
                _("Positive"),
                _("In between"),
                _("Negative"),
                _("No answer"),
            ],
            "rows": answer_rows,
            "widths": [20, 50, 11, 11, 11, 11],
            # SVG markup (strings, drawn here without names), printed under the table; the spreadsheet has the counts.
            "charts": drawn,
        }
    )
    return {"tables": tables}


def forget_learner(participant_id: int, assignment_ids: Any, values: Any, scrub: Any) -> None:
    """common.sections.ANONYMISE: the learner's links stop working and their own words go."""
    services.forget_learner(participant_id)


def export_learner(participant: Any, assignment_ids: Any, row: Any) -> dict[str, Any]:
    """common.sections.LEARNER_EXPORT: the learner's questionnaire links (without the token: the export is a copy
    of the data, not a second key to the questionnaire) and answers."""
    invitations = Invitation.objects.filter(assignment_id__in=assignment_ids)
    return {
        "questionnaire_links": [
            {key: value for key, value in row(invitation).items() if key != "token_hash"} for invitation in invitations
        ],
        "questionnaire_answers": [row(answer) for answer in Answer.objects.filter(invitation__in=invitations)],
    }
