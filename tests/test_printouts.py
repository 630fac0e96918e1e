"""The printed working documents: learning agreement, weekly attendance sheet, attendance record."""

import re
from datetime import date

import pytest

from assessments.models import Outcome, ScaleLevel, Unit
from attendance.services import DayEntry, save_days
from participants.models import Participant
from placements.models import ContactPerson
from reports import printouts

from .factories import AssignmentFactory, ParticipantFactory
from .tools import pdf_text, run_tool

# Four weeks in Portugal with Good Friday (3 April 2026) in the first week; all in the past.
START, END = date(2026, 3, 30), date(2026, 4, 24)
TODAY = date(2026, 5, 4)


def flat(data):
    """The text with runs of spaces and line breaks made one space, for phrases that may wrap."""
    return " ".join(pdf_text(data).split())


@pytest.fixture
def placed(world):
    world.placement.start_date, world.placement.end_date = START, END
    world.placement.save()
    school = world.project.sending_organisation
    school.oid = "E10000101"
    school.save()
    ContactPerson.objects.create(organisation=school, name="Mirela Constantinescu", email="coordonator@example.ro")
    teacher = ContactPerson.objects.create(organisation=school, name="Adriana Țăranu", position="Teacher")
    world.placement.accompanying_persons.add(teacher)
    return world


@pytest.fixture
def framework(placed):
    unit = Unit.objects.create(qualification=placed.learner.qualification, title="Preventive maintenance")
    Outcome.objects.create(unit=unit, kind=Outcome.Kind.KNOWLEDGE, text="Explains why machines are lubricated")
    Outcome.objects.create(unit=unit, kind=Outcome.Kind.SKILLS, text="Carries out the checks on a checklist")
    Outcome.objects.create(
        unit=unit, kind=Outcome.Kind.RESPONSIBILITY, text="Stops work and tells the mentor when a machine is unsafe"
    )
    return unit


@pytest.fixture
def recorded(placed):
    """Week 2 of the placement: present Monday to Wednesday, late on Thursday, unexcused absence on Friday."""
    entries = [
        DayEntry(placed.assignment.pk, date(2026, 4, 6), "present"),
        DayEntry(placed.assignment.pk, date(2026, 4, 7), "present"),
        DayEntry(placed.assignment.pk, date(2026, 4, 8), "present"),
        DayEntry(placed.assignment.pk, date(2026, 4, 9), "late", hours="6.5", reason="Missed the first bus"),
        DayEntry(placed.assignment.pk, date(2026, 4, 10), "absent-unexcused"),
    ]
    result = save_days(placed.coordinator, entries, today=TODAY)
    assert result.ok, result.errors
    return placed


def test_learning_agreement_names_the_parties_with_their_diacritics(framework, placed):
    pdf, _filename = printouts.learning_agreement(placed.assignment)
    text = flat(pdf)
    assert "Ștefan Țurcanu" in text
    assert "4 May 2006" in text  # date of birth
    assert "Metalúrgica do Cávado" in text
    assert "Intercâmbio Minho" in text
    assert "Rui Gonçalves" in text
    assert "E10000101" in text
    assert "Mirela Constantinescu" in text and "coordonator@example.ro" in text
    assert "Maintenance mechanic" in text and "EQF level 3" in text
    assert "30 March 2026" in text and "24 April 2026" in text
    assert "Co-funded by the European Union" in text


def test_learning_agreement_lists_the_outcomes_by_unit_with_their_category(framework, placed):
    text = flat(printouts.learning_agreement(placed.assignment)[0])
    assert "Unit 1 · Preventive maintenance" in text
    assert "1.1 Explains why machines are lubricated Knowledge" in text
    assert "1.2 Carries out the checks on a checklist Skills" in text
    assert "Stops work and tells the mentor when a machine is unsafe" in text
    assert "Responsibility and autonomy" in text


def test_learning_agreement_lists_the_scale_with_its_descriptors(framework, placed):
    text = flat(printouts.learning_agreement(placed.assignment)[0])
    for level in ScaleLevel.objects.all():
        assert level.display_label in text
        assert level.display_descriptor in text
    assert "baseline assessment in the first week" in text
    assert "records them in the learner's file" in text


def test_learning_agreement_of_a_minor_is_signed_by_a_parent_or_guardian(framework, placed):
    placed.learner.consent_given_by = Participant.ConsentGiver.GUARDIAN
    placed.learner.save()
    text = flat(printouts.learning_agreement(placed.assignment)[0])
    assert "PARENT OR LEGAL GUARDIAN" in text  # the role, in capitals as printed
    assert "for the learner Ștefan Țurcanu" in text


def test_learning_agreement_of_an_adult_is_signed_by_the_learner(framework, placed):
    text = flat(printouts.learning_agreement(placed.assignment)[0])
    assert "PARENT OR LEGAL GUARDIAN" not in text
    assert "LEARNER" in text and "for the learner" not in text


def test_learning_agreement_filename_is_ascii_apart_from_the_learners_name(framework, placed):
    _pdf, filename = printouts.learning_agreement(placed.assignment)
    assert filename == "learning-agreement-Țurcanu-Ștefan-2026-03.pdf"


def test_learning_agreement_queries_do_not_grow_with_the_outcomes(framework, placed, django_assert_max_num_queries):
    for number in range(2, 6):
        unit = Unit.objects.create(qualification=placed.learner.qualification, title=f"Unit {number}")
        Outcome.objects.create(unit=unit, kind=Outcome.Kind.SKILLS, text=f"Does task {number}")
    with django_assert_max_num_queries(6):
        printouts.learning_agreement(placed.assignment)


def test_attendance_sheet_is_landscape_a4(recorded):
    pdf, _filename = printouts.attendance_sheet(recorded.placement, date(2026, 4, 6))
    info = run_tool("pdfinfo", "-", input=pdf)
    width, height = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups()
    assert (round(float(width)), round(float(height))) == (842, 595)
    assert re.search(r"Pages:\s+1\n", info)


def test_attendance_sheet_prints_what_is_recorded_and_legends_the_abbreviations(recorded):
    pdf, filename = printouts.attendance_sheet(recorded.placement, date(2026, 4, 8))  # any day of the week
    text = pdf_text(pdf)
    assert "Țurcanu Ștefan" in text
    assert "Metalúrgica do Cávado" in text
    assert "6 April" in text and "10 April" in text
    row = next(line for line in text.splitlines() if "Țurcanu Ștefan" in line)
    assert "".join(row.split()[3:]) == "P8hP8hP8hL6.5hAU"
    legend = flat(pdf)
    assert "AU Absent, unexcused" in legend and "L Late" in legend
    assert "Rui Gonçalves" in legend and "Adriana Țăranu" in legend
    assert filename == "attendance-sheet-flow-1-mechanics-2026-04-06.pdf"


def test_attendance_sheet_marks_public_holidays(recorded):
    text = flat(printouts.attendance_sheet(recorded.placement, date(2026, 3, 30))[0])
    assert "Public holiday: 3 April, Sexta-feira Santa" in text


def test_attendance_sheet_leaves_out_learners_who_withdrew(recorded):
    withdrawn = ParticipantFactory(project=recorded.project, first_name="Gheorghe", last_name="Dinu")
    AssignmentFactory(
        participant=withdrawn, placement=recorded.placement, status="withdrawn", withdrawal_reason="Went home"
    )
    text = pdf_text(printouts.attendance_sheet(recorded.placement, date(2026, 4, 6))[0])
    assert "Dinu" not in text and "Țurcanu Ștefan" in text


def test_attendance_sheet_refuses_a_week_outside_the_placement(recorded):
    with pytest.raises(ValueError):
        printouts.attendance_sheet(recorded.placement, date(2026, 6, 1))


def test_attendance_sheet_queries_do_not_grow_with_the_learners(recorded, django_assert_max_num_queries):
    for _ in range(5):
        learner = ParticipantFactory(project=recorded.project, qualification=recorded.learner.qualification)
        AssignmentFactory(participant=learner, placement=recorded.placement, mentor=recorded.mentor)
    with django_assert_max_num_queries(8):
        printouts.attendance_sheet(recorded.placement, date(2026, 4, 6))


def test_attendance_record_lists_each_day_with_who_recorded_it(recorded):
    pdf, filename = printouts.attendance_record(recorded.assignment, today=TODAY)
    text = pdf_text(pdf)
    assert "Ștefan Țurcanu" in text
    assert "Metalúrgica do Cávado" in text
    late = next(line for line in text.splitlines() if "09/04/2026" in line)
    assert late.split()[2:6] == ["L", "Late", "6.5", "Missed"] and "Missed the first bus" in late
    assert "Absent, unexcused" in text
    assert "Sexta-feira Santa" in text
    assert flat(pdf).count("Not recorded") == 14  # 19 working days, 5 recorded
    assert filename == "attendance-record-Țurcanu-Ștefan-2026-03.pdf"


def test_attendance_record_shows_the_summary_figures(recorded):
    text = pdf_text(printouts.attendance_record(recorded.assignment, today=TODAY)[0])
    # 19 expected days (20 weekdays less Good Friday), 4 worked: 3 x 8 h and 6.5 h; rate 4/19.
    figures = next(line for line in text.splitlines() if "4 / 19" in line).split()
    assert figures == ["4", "/", "19", "30.5", "/", "152", "21", "%", "0", "1", "14"]
    labels = " ".join(text.split())
    for label in ("days present", "attendance rate", "excused", "unexcused", "days not", "hours done /"):
        assert label in labels  # some labels wrap in their box
    assert "Required attendance: 80 %" in labels


def test_attendance_record_queries_do_not_grow_with_the_days(recorded, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        printouts.attendance_record(recorded.assignment, today=TODAY)


def test_a_mentors_copy_of_the_learning_agreement_leaves_out_the_learners_contacts(framework, placed):
    participant = placed.assignment.participant
    participant.email, participant.phone = "stefan.private@example.org", "+40 722 000 111"
    participant.save()
    office = flat(printouts.learning_agreement(placed.assignment)[0])
    mentors = flat(printouts.learning_agreement(placed.assignment, with_contacts=False)[0])
    assert "stefan.private@example.org" in office
    assert "stefan.private@example.org" not in mentors and "722 000 111" not in mentors
