"""The final report counts the signed attendance weeks per flow (both signatures standing, one only, none, void
after a change), in the PDF and the spreadsheet alike, in a fixed number of queries."""

import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from attendance.services import DayEntry, save_days
from placements.models import Assignment
from reports.final_report import report_data, report_pdf, report_xlsx
from signatures.report import final_report_sections

from .factories import ParticipantFactory
from .test_signatures import sign_as_learner, sign_as_mentor
from .test_signatures import week as week  # the fixture
from .tools import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def add_learner(world, name):
    learner = ParticipantFactory(project=world.project, first_name=name)
    assignment = Assignment.objects.create(
        participant=learner, placement=world.placement, host_company=world.host, mentor=world.mentor
    )
    save_days(world.mentor, [DayEntry(assignment.pk, world.monday, "present")])
    return assignment


def row_of(tables, title):
    table = next(t for t in tables if t["key"] == "signed_weeks")
    return next(row for row in table["rows"] if row[0] == title), table


@pytest.fixture
def signed(request, client_for):
    """Three learner-weeks in flow 1: signed by both, then by the mentor only, then not at all."""
    week = request.getfixturevalue("week")
    client = client_for(week.mentor)
    sign_as_mentor(client, week)
    sign_as_learner(client, week)
    other = add_learner(week, "Ion")
    add_learner(week, "Vasile")
    mentor_only = SimpleNamespace(**{**vars(week), "assignment": other})
    sign_as_mentor(client_for(week.mentor), mentor_only)
    week.mentor_only = other
    return week


def test_the_report_counts_signed_weeks_per_flow(signed):
    row, table = row_of(final_report_sections(signed.project)["tables"], signed.placement.title)
    assert row[1:] == [3, 1, 1, 1, 0]
    assert "source: the electronic signatures kept by this application" in table["title"]
    other_row, _table = row_of(final_report_sections(signed.project)["tables"], signed.other_placement.title)
    assert other_row[1:] == [0, 0, 0, 0, 0]
    assert table["total"][1:] == [3, 1, 1, 1, 0]


def test_a_change_after_signing_counts_the_week_void(signed):
    save_days(signed.coordinator, [DayEntry(signed.assignment.pk, signed.monday, "sick", version=1)])
    row, _table = row_of(final_report_sections(signed.project)["tables"], signed.placement.title)
    assert row[1:] == [3, 0, 1, 1, 1]


def test_the_count_is_in_the_report_data_the_pdf_and_the_spreadsheet(signed):
    assert any(t["key"] == "signed_weeks" for t in report_data(signed.project)["tables"])
    text = " ".join(pdf_text(report_pdf(signed.project)[0]).split())
    assert "SIGNED ATTENDANCE WEEKS PER FLOW" in text and "SOURCE: THE ELECTRONIC SIGNATURES" in text
    assert "Total 3 1 1 1 0" in text
    workbook = load_workbook(io.BytesIO(report_xlsx(signed.project)[0]))
    rows = list(workbook["Signed weeks"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Flow", "Weeks with recorded days", "Signed by mentor and learner")
    assert (signed.placement.title, 3, 1, 1, 1, 0) in rows
    for name in ("Ion", "Vasile", signed.learner.last_name):
        assert name not in text


def test_the_count_reads_a_fixed_number_of_queries(signed):
    with CaptureQueriesContext(connection) as few:
        final_report_sections(signed.project)
    for number in range(4):
        add_learner(signed, f"L{number}")
    with CaptureQueriesContext(connection) as many:
        assert row_of(final_report_sections(signed.project)["tables"], signed.placement.title)[0][1] == 7
    assert len(many) == len(few) == 4
