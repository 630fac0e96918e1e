"""The final report to the national agency: figures of a whole project, as PDF and as XLSX.

The report holds counts, averages and organisations, never a learner: fewer-opportunity categories are
special-category data, so they are counted, and no name, initial or row per learner reaches either file.
`report_data` reads the database in a fixed number of queries whatever the number of learners (a few per
placement); both files are drawn from its plain dict, through the same tables (`report_tables`), so that the
PDF and the spreadsheet show the same figures under the same column headers.
"""

import io
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.models import Organisation
from assessments import charts
from assessments.models import AssessmentRound
from assessments.services import placement_progress
from attendance.models import AttendanceRecord
from attendance.services import summarise
from common.sections import FINAL_REPORT, contributions
from participants.models import Barrier, Participant
from placements.models import Assignment, Placement

Status = Assignment.Status
IN_PROGRESS = {Status.PLANNED, Status.CONFIRMED, Status.TRAVELLING, Status.IN_PLACEMENT}
GENDERS = list(Participant.Gender)


# The figures


def report_data(project, today=None):
    """Everything the final report states, as a plain dict (strings, numbers, lists; dates as ISO strings).

    Labels are translated in the active language: render both files inside one `translation.override`.
    Figures are as of `today` (default: today, or the project's end date once it is over), so that a report
    printed after the project always says the same.
    """
    as_of = min(today or timezone.localdate(), project.end_date)
    sending = project.sending_organisation
    placements = list(
        Placement.objects.filter(project=project)
        .select_related("qualification", "receiving_partner", "work_pattern")
        .order_by("start_date", "title")
    )
    assignments = list(
        Assignment.objects.filter(placement__project=project)
        .select_related("host_company")
        .prefetch_related(Prefetch("assessment_rounds", queryset=AssessmentRound.objects.order_by("pk")))
        .order_by("placement_id", "pk")
    )
    # Archived learners count: a learner is archived only once their placement is completed or withdrawn.
    # Learners never assigned to a placement of the project (e.g. a waiting list) did not take part.
    people = list(
        Participant.objects.filter(project=project, assignments__placement__project=project)
        .distinct()
        .values_list("pk", "first_name", "last_name", "gender", "qualification__name")
    )
    participant_ids = [pk for pk, *_rest in people]
    barrier_links = list(
        Participant.barriers.through.objects.filter(participant_id__in=participant_ids).values_list(
            "participant_id", "barrier_id"
        )
    )
    barriers = list(Barrier.objects.order_by("position", "pk"))
    records = defaultdict(list)
    for record in AttendanceRecord.objects.filter(assignment__placement__project=project).select_related("status"):
        records[record.assignment_id].append(record)
    # The local employers of the project's school's address book, not every school's on the installation.
    employers = list(
        Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER, schools=sending.pk).order_by("name", "pk")
    )
    sections = _contributed_sections(project)

    by_placement = defaultdict(list)
    for assignment in assignments:
        by_placement[assignment.placement_id].append(assignment)
    names = _name_pattern(people)

    return {
        "as_of": as_of.isoformat(),
        "project": {
            "title": project.title,
            "reference": project.reference,
            "key_action": project.get_key_action_display(),
            "start": project.start_date.isoformat(),
            "end": project.end_date.isoformat(),
            "required_attendance_rate": project.required_attendance_rate,
            "sending_organisation": _organisation(sending),
        },
        "participants": _participants(people),
        "fewer_opportunities": _fewer_opportunities(participant_ids, barrier_links, barriers),
        "completion": _completion(placements, by_placement, names),
        "attendance": _attendance(placements, by_placement, records, project.required_attendance_rate, as_of),
        "competences": _competences(placements, by_placement),
        "partners": _partners(placements, by_placement),
        "employers": [_organisation(org) for org in employers],
        # One dict per dissemination activity: {"date": ISO date, "kind": str, "title": str, "audience": str,
        # "reached": int}; the report lists them instead of its sentence. The final conference gives its own
        # (conference/documents.py), the public site its articles, news and exchange (public/documents.py).
        "dissemination": sorted(sections["dissemination"], key=lambda entry: entry["date"]),
        # The final conference's registrations and attendance by type, local employers apart (conference/documents.py).
        "conference": sections["conference"],
        # The grant per budget category and the participants per distance band and country group, as the
        # grants app kept them when the report was first made (grants/reporting.py); None without that app.
        "budget": sections["budget"],
        # Per flow: preparation sessions, hours offered and attended, learners who reached the minimum
        # (preparation/documents.py).
        "preparation": sections["preparation"],
        # Whole tables other apps add after the report's own (feedback/report.py: the questionnaires' counts).
        "tables": sections["tables"],
    }


def _contributed_sections(project):
    """The sections other apps contribute (common.sections): dissemination entries add up, a table is
    taken as given; without a contribution, an empty list and a conference with no event."""
    sections = {"dissemination": [], "conference": {"events": []}, "budget": None, "preparation": [], "tables": []}
    for contributed in contributions(FINAL_REPORT, project):
        for key, value in contributed.items():
            if key in ("dissemination", "tables"):
                sections[key] = sections[key] + list(value)
            else:
                sections[key] = value
    return sections


def _organisation(org, learners=None):
    found = {
        "name": org.name,
        "kind": org.get_kind_display(),
        "city": org.city,
        "country": str(org.country.name),
        "country_code": str(org.country.code),
        "oid": org.oid,
    }
    if learners is not None:
        found["learners"] = learners
    return found


def _participants(people):
    counts = Counter((qualification, gender) for _pk, _first, _last, gender, qualification in people)
    rows = []
    for qualification in sorted({q for q, _g in counts}):
        by_gender = {g.value: counts[qualification, g.value] for g in GENDERS}
        rows.append({"qualification": qualification, **by_gender, "total": sum(by_gender.values())})
    totals = {g.value: sum(row[g.value] for row in rows) for g in GENDERS}
    return {"rows": rows, "total": {**totals, "total": sum(totals.values())}}


def _fewer_opportunities(participant_ids, links, barriers):
    per_barrier = Counter(barrier_id for _participant, barrier_id in links)
    return {
        "participants": len(participant_ids),
        "with_fewer_opportunities": len({participant for participant, _barrier in links}),
        "categories": [{"code": b.code, "name": str(b), "participants": per_barrier[b.pk]} for b in barriers],
    }


def _name_pattern(people):
    """Learners' first and last names, to blank them out of free text such as a reason for withdrawal."""
    words = {word for _pk, first, last, _g, _q in people for name in (first, last) for word in name.split()}
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def _completion(placements, by_placement, names):
    rows, reasons = [], []
    for placement in placements:
        own = by_placement[placement.pk]
        statuses = Counter(a.status for a in own)
        rows.append(
            {
                "placement": placement.title,
                "learners": len(own),
                "completed": statuses[Status.COMPLETED],
                "in_progress": sum(statuses[s] for s in IN_PROGRESS),
                "withdrawn": statuses[Status.WITHDRAWN],
            }
        )
        # Sorted by text, not by learner, so that the order says nothing about who withdrew.
        withdrawn = sorted(_anonymous(a.withdrawal_reason, names) for a in own if a.status == Status.WITHDRAWN)
        reasons += [{"placement": placement.title, "reason": reason} for reason in withdrawn]
    keys = ["learners", "completed", "in_progress", "withdrawn"]
    return {"rows": rows, "total": {k: sum(row[k] for row in rows) for k in keys}, "withdrawal_reasons": reasons}


def _anonymous(text, names):
    text = " ".join(text.split())
    return names.sub("…", text) if names else text


def _attendance(placements, by_placement, records, required_rate, as_of):
    rows = []
    for placement in placements:
        # Learners who withdrew are reported under completion; their days would lower a rate they did not finish.
        own = [a for a in by_placement[placement.pk] if a.status != Status.WITHDRAWN]
        own_records = [r for a in own for r in records[a.pk]]
        summaries = summarise(placement, own, own_records, required_rate, today=as_of)
        rates = [s.rate for s in summaries if s.rate is not None]
        rows.append(
            {
                "placement": placement.title,
                "start": placement.start_date.isoformat(),
                "end": placement.end_date.isoformat(),
                "learners": len(own),
                "average_rate": round(sum(rates) / len(rates), 1) if rates else None,
                "present_days": sum(s.present_days for s in summaries),
                "expected_days": sum(s.elapsed_days for s in summaries),
                "below_required": sum(1 for r in rates if r < required_rate),
            }
        )
    present = sum(row["present_days"] for row in rows)
    expected = sum(row["expected_days"] for row in rows)
    return {
        "required_rate": required_rate,
        "rows": rows,
        "total": {
            "learners": sum(row["learners"] for row in rows),
            "present_days": present,
            "expected_days": expected,
            "rate": round(100 * present / expected, 1) if expected else None,
            "below_required": sum(row["below_required"] for row in rows),
        },
    }


def _competences(placements, by_placement):
    found = []
    for placement in placements:
        own = [a for a in by_placement[placement.pk] if a.status != Status.WITHDRAWN]
        progress = placement_progress(placement, own)
        found.append(
            {
                "placement": placement.title,
                "qualification": placement.qualification.name,
                "units": [
                    {
                        "number": unit.number,
                        "title": unit.unit.title,
                        "learners": unit.learners,
                        "baseline": _rounded(unit.baseline),
                        "final": _rounded(unit.final),
                        "gain": _rounded(unit.gain),
                    }
                    for unit in progress["units"]
                ],
            }
        )
    return found


def _rounded(value):
    return None if value is None else round(value, 2)


def _partners(placements, by_placement):
    receiving, hosts = {}, {}
    for placement in placements:
        active = [a for a in by_placement[placement.pk] if a.status != Status.WITHDRAWN]
        partner = receiving.setdefault(placement.receiving_partner.pk, [placement.receiving_partner, 0])
        partner[1] += len(active)
        for assignment in active:
            if assignment.host_company is not None:
                host = hosts.setdefault(assignment.host_company.pk, [assignment.host_company, 0])
                host[1] += 1
    return {
        "receiving": [_organisation(org, learners) for org, learners in _by_name(receiving)],
        "hosts": [_organisation(org, learners) for org, learners in _by_name(hosts)],
    }


def _by_name(found):
    return sorted(found.values(), key=lambda pair: (pair[0].name, pair[0].pk))


# Tables: the same headers and cells for the PDF and the spreadsheet


@dataclass
class Table:
    key: str
    title: str
    sheet: str  # the spreadsheet's tab, at most 31 characters
    headers: list
    rows: list = field(default_factory=list)
    total: list | None = None
    # Cells holding a number with decimals; the spreadsheet formats them, the PDF prints them to one decimal.
    decimals: set = field(default_factory=set)
    widths: list | None = None
    number: int | None = None  # the section's number in the PDF; None for a table within the section before
    places: int = 1  # decimals printed in the PDF for the `decimals` columns (2 for money)
    charts: list = field(default_factory=list)  # SVG markup a contributing app drew, printed under the table
    empty: str = ""  # what the PDF says instead of a table without rows (contributed tables)

    @property
    def numeric(self):
        """Indexes of the columns that hold numbers only (right-aligned in print)."""
        return {
            i
            for i in range(len(self.headers))
            if self.rows
            and all(isinstance(row[i], int | float) or row[i] is None for row in self.rows)
            and any(row[i] is not None for row in self.rows)
        }


def report_tables(data):
    """The report's tables, in order: (key, title, headers, rows, total row) from `report_data`'s dict."""
    project = data["project"]
    genders = [g.label for g in GENDERS]
    p = data["participants"]
    a = data["attendance"]
    tables = [
        Table(
            "project",
            _("Project"),
            _("Project"),
            [_("Item"), _("Value")],
            [
                [_("Title"), project["title"]],
                [_("Erasmus+ reference number"), project["reference"]],
                [_("Key action"), project["key_action"]],
                [_("Start date"), date.fromisoformat(project["start"])],
                [_("End date"), date.fromisoformat(project["end"])],
                [_("Sending organisation"), project["sending_organisation"]["name"]],
                [_("OID"), project["sending_organisation"]["oid"]],
                [
                    _("City, country"),
                    f"{project['sending_organisation']['city']}, {project['sending_organisation']['country']}",
                ],
                [_("Required attendance rate (%)"), project["required_attendance_rate"]],
                [_("Figures as of"), date.fromisoformat(data["as_of"])],
            ],
            widths=[30, 70],
        ),
        Table(
            "participants",
            _("Participants"),
            _("Participants"),
            [_("Qualification"), *genders, _("Total")],
            [[row["qualification"], *(row[g.value] for g in GENDERS), row["total"]] for row in p["rows"]],
            [_("Total"), *(p["total"][g.value] for g in GENDERS), p["total"]["total"]],
            widths=[46, 12, 12, 24, 12],
        ),
        Table(
            "fewer_opportunities",
            _("Participants with fewer opportunities"),
            _("Fewer opportunities"),
            [_("Category"), _("Participants")],
            [[c["name"], c["participants"]] for c in data["fewer_opportunities"]["categories"]],
            [_("Participants with fewer opportunities"), data["fewer_opportunities"]["with_fewer_opportunities"]],
            widths=[60, 14],
        ),
        Table(
            "completion",
            _("Completion"),
            _("Completion"),
            [_("Placement"), _("Learners"), _("Completed"), _("In progress"), _("Withdrawn")],
            [
                [r["placement"], r["learners"], r["completed"], r["in_progress"], r["withdrawn"]]
                for r in data["completion"]["rows"]
            ],
            [
                _("Total"),
                *(data["completion"]["total"][k] for k in ("learners", "completed", "in_progress", "withdrawn")),
            ],
            widths=[46, 12, 12, 12, 12],
        ),
        Table(
            "withdrawals",
            _("Reasons for withdrawal"),
            _("Withdrawals"),
            [_("Placement"), _("Reason for withdrawal")],
            [[r["placement"], r["reason"]] for r in data["completion"]["withdrawal_reasons"]],
            widths=[46, 80],
        ),
        Table(
            "attendance",
            _("Attendance"),
            _("Attendance"),
            [
                _("Placement"),
                _("Learners"),
                _("Average attendance rate (%)"),
                _("Days present"),
                _("Days expected"),
                _("Learners below the required rate"),
            ],
            [
                [
                    r["placement"],
                    r["learners"],
                    r["average_rate"],
                    r["present_days"],
                    r["expected_days"],
                    r["below_required"],
                ]
                for r in a["rows"]
            ],
            [
                _("Total"),
                a["total"]["learners"],
                a["total"]["rate"],
                a["total"]["present_days"],
                a["total"]["expected_days"],
                a["total"]["below_required"],
            ],
            decimals={2},
            widths=[46, 11, 16, 12, 12, 18],
        ),
        Table(
            "preparation",
            _("Preparation before departure"),
            _("Preparation"),
            [
                _("Placement"),
                _("Sessions"),
                _("Hours offered"),
                _("Minimum hours"),
                _("Learners"),
                _("Reached the minimum"),
                _("Hours attended"),
            ],
            [
                [
                    p["placement"],
                    p["sessions"],
                    p["hours_offered"],
                    p["minimum_hours"],
                    p["learners"],
                    p["reached_minimum"],
                    p["hours_attended"],
                ]
                for p in data.get("preparation", [])
            ],
            decimals={2, 3, 6},
            widths=[40, 10, 12, 12, 10, 14, 12],
        ),
        Table(
            "competences",
            _("Competency gains"),
            _("Competency gains"),
            [
                _("Placement"),
                _("Unit"),
                _("Title"),
                _("Learners assessed"),
                _("Baseline (average)"),
                _("Final (average)"),
                _("Gain"),
            ],
            [
                [c["placement"], int(u["number"]), u["title"], u["learners"], u["baseline"], u["final"], u["gain"]]
                for c in data["competences"]
                for u in c["units"]
            ],
            decimals={4, 5, 6},
            widths=[36, 6, 46, 11, 11, 11, 9],
        ),
        Table(
            "partners",
            _("Partners and host companies"),
            _("Partners and hosts"),
            [_("Organisation"), _("Role"), _("City"), _("Country"), _("OID"), _("Learners hosted")],
            [
                [o["name"], o["kind"], o["city"], o["country"], o["oid"], o["learners"]]
                for o in data["partners"]["receiving"] + data["partners"]["hosts"]
            ],
            widths=[40, 30, 14, 12, 12, 12],
        ),
        Table(
            "employers",
            _("Local employers"),
            _("Local employers"),
            [_("Organisation"), _("City"), _("Country"), _("OID")],
            [[o["name"], o["city"], o["country"], o["oid"]] for o in data["employers"]],
            widths=[40, 14, 12, 12],
        ),
        Table(
            "dissemination",
            _("Dissemination"),
            _("Dissemination"),
            [_("Date"), _("Activity"), _("Title"), _("Audience"), _("People reached")],
            [
                [date.fromisoformat(d["date"]), d["kind"], d["title"], d["audience"], d["reached"]]
                for d in data["dissemination"]
            ],
            widths=[12, 20, 40, 24, 12],
        ),
        Table(
            "conference",
            _("Final conference: registrations and attendance"),
            _("Final conference"),
            [_("Type of organisation"), _("Registered"), _("Attended")],
            _conference_rows(data["conference"]),
            [_("Total"), data["conference"]["total"]["registered"], data["conference"]["total"]["attended"]]
            if data["conference"]["events"]
            else None,
            widths=[40, 14, 14],
        ),
    ]
    tables += _budget_tables(data.get("budget"))
    for contributed in data.get("tables", []):
        drawn = [_print_font(chart) for chart in contributed.get("charts", [])]
        tables.append(Table(**{**contributed, "charts": drawn}))
    number = 0
    for table in tables:
        if table.key not in ("withdrawals", "conference", "budget_counts"):
            number += 1
            table.number = number
    return {table.key: table for table in tables}


def _budget_tables(budget):
    """The budget section: per category awarded, actual (unit costs) and spent, then participants per band and
    country group; no table when no app contributes a budget."""
    if not budget:
        return []
    rows = [[c["label"], float(c["awarded"]), float(c["actual"]), float(c["spent"])] for c in budget["categories"]]
    total = [_("Total"), *(round(sum(row[i] for row in rows), 2) for i in (1, 2, 3))]
    if budget.get("kept", True):
        title = _("Budget (EUR), figures kept on %(date)s") % {"date": budget["taken_at"]}
    else:
        title = _("Budget (EUR), figures of %(date)s, not kept: keep them on the budget page") % {
            "date": budget["taken_at"]
        }
    return [
        Table(
            "budget",
            title,
            _("Budget"),
            [_("Category"), _("Awarded"), _("Actual (unit costs)"), _("Spent")],
            rows,
            total,
            decimals={1, 2, 3},
            widths=[40, 16, 18, 16],
            places=2,
        ),
        Table(
            "budget_counts",
            _("Participants per distance band and country group"),
            _("Bands and groups"),
            [_("Distance band"), _("Country group"), _("Participants")],
            [[c["band"], c["group"], c["participants"]] for c in budget["counts"]],
            widths=[30, 16, 16],
        ),
    ]


def _conference_rows(conference):
    """One row per type of organisation, local employers right under the employers; none without a conference."""
    if not conference["events"]:
        return []
    rows = []
    for row in conference["types"]:
        rows.append([row["label"], row["registered"], row["attended"]])
        if row["type"] == "employer":
            local = conference["local_employers"]
            rows.append([_("of which local employers"), local["registered"], local["attended"]])
    return rows


def dissemination_note():
    return _(
        "No dissemination activity is recorded in this application. Dissemination activities are recorded on "
        "the project's public site once it exists, and are listed here from then on."
    )


# Charts: the assessments app's SVG drawing, with the print font


def _print_font(svg):
    # The web charts ask for the system font; a printed document embeds only the fonts shipped in static/.
    return mark_safe(str(svg).replace("system-ui, sans-serif", "DejaVuSans Print, sans-serif"))


def _legend(items, x, y):
    parts = []
    for colour, label in items:
        parts += [charts._rect(x, y - 8, 10, 8, colour), charts._text(x + 14, y, label, size=10)]
        x += 24 + 6.2 * len(str(label))
    return parts


GENDER_COLOURS = {
    Participant.Gender.FEMALE: "#c99a1c",
    Participant.Gender.MALE: "#14305c",
    Participant.Gender.OTHER: "#8c959f",
}


def gender_chart(participants):
    """Learners per qualification, one bar per gender."""
    rows = participants["rows"]
    top = max([1, *(row[g.value] for row in rows for g in GENDERS)])
    left, right, y = 10, charts.WIDTH - 30, 8
    scale = (right - left) / top
    parts = []
    for row in rows:
        parts.append(charts._text(left, y + 11, row["qualification"], weight="600"))
        y += 16
        for gender in GENDERS:
            if gender != Participant.Gender.OTHER or row[gender.value]:
                count = row[gender.value]
                parts.append(charts._rect(left, y, max(count * scale, 1), 11, GENDER_COLOURS[gender]))
                parts.append(charts._text(left + count * scale + 4, y + 10, str(count), size=10))
                y += 15
        y += 6
    parts += _legend([(GENDER_COLOURS[g], g.label) for g in GENDERS[:2]], left, y + 10)
    return _print_font(
        charts._svg(
            "gender-chart",
            y + 18,
            _("Participants per qualification and gender"),
            _("Horizontal bars, one per gender for each qualification. The table gives the same counts."),
            parts,
        )
    )


def attendance_chart(attendance):
    """Average attendance rate per placement, with the project's required rate as a dashed line."""
    rows = attendance["rows"]
    required = attendance["required_rate"]
    left, right, top, row_height = 10, charts.WIDTH - 40, 22, 34
    scale = (right - left) / 100
    parts = []
    y = top
    for row in rows:
        parts.append(charts._text(left, y + 10, row["placement"], size=10, weight="600"))
        rate = row["average_rate"]
        if rate is None:
            parts.append(charts._text(left, y + 24, _("no attendance recorded yet"), size=10, fill="#6c757d"))
        else:
            colour = "#198754" if rate >= required else "#dc3545"
            parts.append(charts._rect(left, y + 14, max(rate * scale, 1), 13, colour))
            parts.append(charts._text(left + rate * scale + 4, y + 25, f"{rate:.1f} %", size=10))
        y += row_height
    line_x = left + required * scale
    guide = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#495057" stroke-width="1" stroke-dasharray="3 2"/>',
            charts._num(line_x),
            top - 6,
            charts._num(line_x),
            charts._num(y),
        ),
        charts._text(line_x, top - 9, _("required %(rate)s %%") % {"rate": required}, size=10, anchor="middle"),
        charts._line(left, y, right, y, stroke="#adb5bd"),
    ]
    for tick in (0, 50, 100):
        guide.append(charts._text(left + tick * scale, y + 12, f"{tick} %", size=9, fill="#495057", anchor="middle"))
    return _print_font(
        charts._svg(
            "attendance-chart",
            y + 18,
            _("Average attendance rate per placement"),
            _("One horizontal bar per placement; the dashed line is the required rate. The table gives the figures."),
            guide + parts,
        )
    )


def gain_charts(competences):
    """Each placement's units with the assessments app's gain chart (empty while no unit has a gain)."""
    found = []
    for index, placement in enumerate(competences, start=1):
        units = [SimpleNamespace(number=u["number"], gain=u["gain"]) for u in placement["units"]]
        has_gain = any(unit.gain is not None for unit in units)
        svg = _print_font(charts.gain_chart(units, chart_id=f"gain-chart-{index}")) if has_gain else ""
        found.append({**placement, "svg": svg})
    return found


# The files


def _filename(project, extension):
    reference = re.sub(r"[^A-Za-z0-9-]+", "-", project.reference).strip("-")
    return f"final-report-{reference}.{extension}"


def report_pdf(project):
    """The final report as an A4 PDF: (bytes, filename)."""
    from documents.rendering import render_pdf  # WeasyPrint is loaded by the worker only

    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        data = report_data(project)
        context = {
            "data": data,
            "tables": report_tables(data),
            "gender_chart": gender_chart(data["participants"]),
            "attendance_chart": attendance_chart(data["attendance"]),
            "gains": gain_charts(data["competences"]),
            "dissemination_note": dissemination_note(),
        }
        pdf = render_pdf("reports/documents/final_report.html", context, language=translation.get_language())
    return pdf, _filename(project, "pdf")


def report_xlsx(project):
    """The final report as a workbook, one sheet per section: (bytes, filename)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        data = report_data(project)
        tables = report_tables(data)
        workbook = Workbook()
        workbook.remove(workbook.active)
        bold = Font(bold=True)
        header_fill = PatternFill("solid", fgColor="EEF2F8")
        for table in tables.values():
            sheet = workbook.create_sheet(_sheet_title(table.sheet))
            sheet.append([str(h) for h in table.headers])
            for row in table.rows:
                sheet.append([_cell(v) for v in row])
            if table.total is not None:
                sheet.append([_cell(v) for v in table.total])
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
            for cell in sheet[1]:
                cell.font, cell.fill = bold, header_fill
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, date):
                        cell.number_format = "yyyy-mm-dd"
                    elif cell.column - 1 in table.decimals and isinstance(cell.value, float | int):
                        cell.number_format = "0.0" if table.key == "attendance" else "0.00"
                    elif isinstance(cell.value, str):
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                        # Text stays text: openpyxl would store "=..." (an imported organisation's name, a
                        # title) as a formula that Excel runs when the file is opened.
                        cell.data_type = "s"
            if table.key == "dissemination" and not table.rows:
                sheet.append([dissemination_note()])  # one line of text across the empty columns
            for index, width in enumerate(table.widths or [], start=1):
                sheet.column_dimensions[get_column_letter(index)].width = width
            sheet.freeze_panes = "A2"
        end = datetime.combine(project.end_date, time(12))
        workbook.properties.title = f"{_('Final report')} – {project.reference}"
        workbook.properties.creator = project.sending_organisation.name
        workbook.properties.created = workbook.properties.modified = end
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            # ExcelWriter, not save_workbook, which would stamp the time of saving as "modified".
            ExcelWriter(workbook, archive).save()
    return _fixed_timestamps(buffer.getvalue(), project.end_date), _filename(project, "xlsx")


def _sheet_title(title):
    return re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31]


def _cell(value):
    if value is None:
        return None
    if isinstance(value, int | float | date):
        return value
    return str(value)


def _fixed_timestamps(xlsx, day):
    """The same archive with every member dated `day`, so that the same figures give the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=(day.year, day.month, day.day, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, source.read(member))
    return buffer.getvalue()
