"""Import and export of participants, organisations, placements (issue 6, item 6) and assignments (issue 10)."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from accounts.models import Organisation, Role
from participants.models import Barrier, Participant
from placements.models import Assignment, Placement
from privacy.models import PersonalDataLog
from transfers import files
from transfers.files import FileProblem, read_rows
from transfers.models import ExportRecord, ImportBatch
from transfers.services import plan_rows

from .factories import OrganisationFactory, ParticipantFactory, UserFactory

HEADER = ["project", "last_name", "first_name", "date_of_birth", "gender", "qualification", "email", "phone"]


def learner_rows(world, count=200):
    return [
        [
            world.project.reference,
            "Căldăraru",
            f"Ionuț{i:03d}",
            f"{2000 + i % 8}-0{1 + i % 9}-1{i % 10}",
            "male" if i % 2 else "female",
            world.placement.qualification.name if i % 3 else world.other_placement.qualification.name,
            f"ionut{i}@example.ro",
            f"+40 721 000 {i:03d}",
        ]
        for i in range(count)
    ]


def csv_bytes(header, rows, delimiter=",", bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


def xlsx_bytes(header, rows):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, kind, content, name="file.csv"):
    """Upload a file; returns the batch the upload created (and the preview response)."""
    before = set(ImportBatch.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("transfers:import", args=[kind]), {"file": io.BytesIO(content) | _named(name)}, follow=True
    )
    created = ImportBatch.objects.exclude(pk__in=before).first()
    return created, response


class _named:
    """`BytesIO | _named("x.csv")`: a file object with a name, as the test client wants it."""

    def __init__(self, name):
        self.name = name

    def __ror__(self, handle):
        handle.name = self.name
        return handle


def preview(client, batch):
    return client.get(reverse("transfers:batch", args=[batch.pk]))


def commit(client, batch):
    return client.post(reverse("transfers:batch", args=[batch.pk]))


@pytest.fixture
def coordinator(world, client_for):
    return client_for(world.coordinator)


# The proof of the issue: 200 rows, 7 broken


def broken(world):
    rows = learner_rows(world)
    rows[12][3] = "31.02.2007"  # line 14: a date that does not exist
    rows[30][5] = "Plumber"  # line 32: a qualification the project does not have
    rows[51][4] = "robot"  # line 53: not a gender choice
    rows[77][6] = "not-an-email"  # line 79
    rows[99][1] = ""  # line 101: no last name
    rows[140][3] = "2020-01-01"  # line 142: ten years old
    rows[180] = list(rows[2])  # line 182: the learner of line 4 again
    return rows


def test_preview_names_each_of_the_seven_broken_rows_with_its_line_and_field(world, coordinator):
    batch, response = upload(coordinator, "participants", csv_bytes(HEADER, broken(world)))
    plan = response.context["plan"]
    errors = {row.line: row.errors for row in plan.bad}
    assert sorted(errors) == [14, 32, 53, 79, 101, 142, 182]
    assert errors[14] == [("date of birth", "Enter a valid date.")]
    assert errors[32][0][0] == "qualification" and "Plumber" in errors[32][0][1]
    assert errors[53][0][0] == "gender"
    assert errors[79] == [("email", "Enter a valid email address.")]
    assert errors[101] == [("last name", "This field is required.")]
    assert errors[142] == [("date of birth", "A participant must be at least 14 years old.")]
    assert errors[182] == [(None, "The same record as line 4.")]
    page = response.content.decode()
    assert "Line 14" in page and "date of birth: Enter a valid date." in page
    assert len(plan.created) == 193


def test_commit_writes_nothing_until_the_rows_are_fixed_then_exactly_200(world, coordinator, private_files):
    before = Participant.objects.count()
    batch, _response = upload(coordinator, "participants", csv_bytes(HEADER, broken(world)))
    response = commit(coordinator, batch)
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert Participant.objects.count() == before

    batch, response = upload(coordinator, "participants", csv_bytes(HEADER, learner_rows(world)))
    assert response.context["plan"].ok and len(response.context["plan"].created) == 200
    response = commit(coordinator, batch)
    assert response.status_code == 302
    assert Participant.objects.count() == before + 200
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.file) == ("done", 200, "")
    assert not list((private_files / "imports").iterdir())  # the kept file is gone
    imported = Participant.objects.get(first_name="Ionuț007")
    assert imported.history.first().history_user == world.coordinator


def test_reimporting_the_same_file_changes_nothing(world, coordinator):
    content = csv_bytes(HEADER, learner_rows(world))
    batch, _response = upload(coordinator, "participants", content)
    commit(coordinator, batch)
    history = Participant.history.count()

    batch, response = upload(coordinator, "participants", content)
    plan = response.context["plan"]
    assert (len(plan.created), len(plan.changed), len(plan.unchanged)) == (0, 0, 200)
    assert "The file changes nothing." in response.content.decode()
    commit(coordinator, batch)
    assert Participant.history.count() == history


def test_preview_lists_the_fields_that_change_old_and_new(world, coordinator):
    rows = [
        [world.project.reference, "Țurcanu", "Ștefan", "2006-05-04", "male", "Maintenance mechanic", "s@example.ro", ""]
    ]
    batch, response = upload(coordinator, "participants", csv_bytes(HEADER, rows))
    row = response.context["plan"].changed[0]
    assert row.line == 2
    assert row.changes == [("email", "", "s@example.ro")]
    assert "<del>—</del> → <ins>s@example.ro</ins>" in response.content.decode()
    commit(coordinator, batch)
    world.learner.refresh_from_db()
    assert world.learner.email == "s@example.ro"


def test_the_preview_writes_nothing(world, coordinator):
    before = Participant.objects.count()
    upload(coordinator, "participants", csv_bytes(HEADER, learner_rows(world, 5)))
    assert Participant.objects.count() == before


def test_preview_query_count_does_not_grow_with_the_rows(world, coordinator):
    counts = []
    for size in (20, 200):
        batch, _response = upload(coordinator, "participants", csv_bytes(HEADER, learner_rows(world, size)))
        with CaptureQueriesContext(connection) as queries:
            assert preview(coordinator, batch).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 15, counts


# Round trips


def fill_everything(world):
    learner = world.learner
    learner.email, learner.phone, learner.address = "stefan@example.ro", "+40 721 123 456", '=HYPERLINK("x")'
    learner.emergency_contact_name, learner.emergency_contact_relation = "@Maria Țurcanu", "mamă"
    learner.emergency_contact_phone = "+40 722 000 111"
    learner.special_needs, learner.id_document_number = "-Scaun rulant", "RX123456"
    learner.id_document_expiry, learner.health_insurance_number = date(2030, 1, 31), "80642000123"
    learner.health_insurance_expiry, learner.consent_given_by = date(2029, 12, 31), "guardian"
    learner.consent_data_processing_on = date(2025, 9, 15)
    learner.save()
    learner.barriers.set(Barrier.objects.filter(code__in=["economic", "social"]))
    world.host.oid, world.host.notes, world.host.website = "E10123456", "+ note", "https://example.pt"
    world.host.save()
    world.placement.description = 'Linia 1; "quoted", with commas'
    world.placement.save()


@pytest.mark.parametrize("kind", ["participants", "organisations", "placements", "assignments"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(world, coordinator, kind, file_format):
    fill_everything(world)
    response = coordinator.get(reverse("transfers:export", args=[kind, file_format]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{file_format}"')
    batch, response = upload(coordinator, kind, response.content, name=f"export.{file_format}")
    plan = response.context["plan"]
    assert plan.ok, [(r.line, r.errors) for r in plan.bad] + plan.problems
    assert not plan.created and not plan.changed
    assert len(plan.unchanged) == {"participants": 2, "organisations": 4, "placements": 2, "assignments": 2}[kind]


def test_export_has_the_restricted_columns_and_is_logged(world, coordinator):
    fill_everything(world)
    response = coordinator.get(reverse("transfers:export", args=["participants", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "id_document_number" in rows[0] and "barriers" in rows[0]
    stefan = dict(zip(rows[0], next(r for r in rows if r[2] == "Ștefan"), strict=True))
    assert stefan["id_document_number"] == "RX123456" and stefan["barriers"] == "economic, social"
    record = ExportRecord.objects.get()
    assert (record.kind, record.file_format, record.row_count, record.exported_by) == (
        "participants",
        "xlsx",
        2,
        world.coordinator,
    )
    assert record.with_restricted_data
    looks = PersonalDataLog.objects.filter(participant=world.learner, user=world.coordinator, action="viewed")
    assert looks.get().detail == "spreadsheet export (XLSX)"


def test_template_has_the_export_columns_and_no_rows(world, coordinator):
    template = coordinator.get(reverse("transfers:template", args=["participants", "csv"])).content
    export = coordinator.get(reverse("transfers:export", args=["participants", "csv"])).content
    assert template.splitlines()[0] == export.splitlines()[0]
    assert len(template.splitlines()) == 1
    assert ExportRecord.objects.count() == 1  # a template is not an export of data


# Formats


def test_semicolon_csv_with_bom_and_romanian_diacritics(world, coordinator):
    text = (
        "\ufeffproject;last_name;first_name;date_of_birth;gender;qualification;address\r\n"
        f"{world.project.reference};Ștefănescu;Ionuț-Cătălin;04.05.2007;Masculin;maintenance mechanic;"
        "Str. Învățătorului 3, Târgu Neamț\r\n"
    )
    batch, response = upload(coordinator, "participants", text.encode("utf-8"))
    assert response.context["plan"].ok, response.context["plan"].bad
    commit(coordinator, batch)
    learner = Participant.objects.get(last_name="Ștefănescu")
    assert learner.first_name == "Ionuț-Cătălin"
    assert learner.address == "Str. Învățătorului 3, Târgu Neamț"
    assert learner.date_of_birth == date(2007, 5, 4)
    assert learner.gender == "male"


def test_headers_may_be_the_field_labels_in_any_order(world, coordinator):
    text = (
        "Date of birth,Last name,First name,Project,Qualification,Gender\n"
        f"2007-05-04,Stan,Ana,{world.project.reference},Maintenance mechanic,female\n"
    )
    batch, response = upload(coordinator, "participants", text.encode())
    assert len(response.context["plan"].created) == 1


def test_xlsx_dates_and_numbers_are_read_as_a_person_typed_them(world, coordinator):
    rows = [
        [world.project.reference, "Stan", "Ana", date(2007, 5, 4), "female", "Maintenance mechanic", "", 40721000111]
    ]
    batch, response = upload(coordinator, "participants", xlsx_bytes(HEADER, rows), name="learners.xlsx")
    assert response.context["plan"].ok
    commit(coordinator, batch)
    assert Participant.objects.get(last_name="Stan").phone == "40721000111"


def test_a_file_that_is_not_a_spreadsheet_is_refused(world, coordinator):
    response = coordinator.post(
        reverse("transfers:import", args=["participants"]),
        {"file": io.BytesIO(b"%PDF-1.7 not a table") | _named("learners.pdf")},
    )
    assert response.status_code == 400
    assert "Upload a CSV or XLSX file" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_without_the_key_columns_says_which_are_missing(world, coordinator):
    batch, response = upload(coordinator, "participants", b"first_name,gender\nAna,female\n")
    assert "These columns are missing: project, last_name, date_of_birth." in response.content.decode()
    assert commit(coordinator, batch).status_code == 400


def test_formula_injection_is_neutralised_in_csv_and_xlsx(world, coordinator):
    fill_everything(world)
    content = coordinator.get(reverse("transfers:export", args=["participants", "csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    stefan = dict(zip(rows[0], next(r for r in rows if r[2] == "Ștefan"), strict=True))
    assert stefan["address"] == '\'=HYPERLINK("x")'
    assert stefan["emergency_contact_name"] == "'@Maria Țurcanu"
    assert stefan["special_needs"] == "'-Scaun rulant"
    assert stefan["phone"] == "'+40 721 123 456"
    for line in rows[1:]:
        assert not any(cell and cell[0] in "=+-@" for cell in line)

    workbook = load_workbook(
        io.BytesIO(coordinator.get(reverse("transfers:export", args=["participants", "xlsx"])).content)
    )
    cells = [cell for row in workbook.active.iter_rows() for cell in row if cell.value == '=HYPERLINK("x")']
    assert cells and all(cell.data_type == "s" for cell in cells)


# Other kinds


def test_organisations_match_by_oid_or_by_name_and_country(world, coordinator):
    OrganisationFactory(name="Escola Profissional de Braga", oid="", country="PT", city="Braga")
    text = (
        "name,kind,oid,country,city\n"
        "Escola Profissional de Braga,host,E10999888,Portugal,Braga\n"
        "Metalúrgica do Cávado,host,,PT,Barcelos\n"
        "Fabrica Nouă,employer,,RO,Bacău\n"
    )
    batch, response = upload(coordinator, "organisations", text.encode())
    plan = response.context["plan"]
    assert [r.label for r in plan.created] == ["Fabrica Nouă"]
    assert {r.label: r.changes for r in plan.changed} == {
        "Escola Profissional de Braga": [("organisation ID (OID)", "", "E10999888")],
        "Metalúrgica do Cávado": [("city", "Braga", "Barcelos")],
    }
    commit(coordinator, batch)
    assert Organisation.objects.get(oid="E10999888").name == "Escola Profissional de Braga"


def test_placements_are_checked_by_the_placement_form(world, coordinator):
    ref = world.project.reference
    text = (
        "project,title,qualification,receiving_partner,city,country,start_date,end_date,status\n"
        f"{ref},Flow 3,Maintenance mechanic,Intercâmbio Minho,Braga,PT,2027-05-10,2027-05-01,planned\n"
        f"{ref},Flow 4,Maintenance mechanic,Metalúrgica do Cávado,Braga,PT,2027-05-03,2027-05-28,planned\n"
    )
    batch, response = upload(coordinator, "placements", text.encode())
    errors = {row.line: row.errors for row in response.context["plan"].bad}
    assert errors[2] == [("end date", "The placement must end after it starts.")]
    assert errors[3][0][0] == "receiving partner"  # a host company is not a receiving partner
    commit(coordinator, batch)
    assert not Placement.objects.filter(title__in=["Flow 3", "Flow 4"]).exists()


# Who may do what


def test_a_coordinator_cannot_open_another_coordinators_upload(world, coordinator, client_for):
    from .factories import UserFactory

    batch, _response = upload(coordinator, "participants", csv_bytes(HEADER, learner_rows(world, 1)))
    other = client_for(UserFactory(username="coordinator2", role="coordinator"))
    assert other.get(reverse("transfers:batch", args=[batch.pk])).status_code == 404
    assert other.post(reverse("transfers:batch", args=[batch.pk])).status_code == 404


def test_discarding_deletes_the_kept_file(world, coordinator, private_files):
    batch, _response = upload(coordinator, "participants", csv_bytes(HEADER, learner_rows(world, 1)))
    assert (private_files / batch.file).exists()
    path = private_files / batch.file
    coordinator.post(reverse("transfers:discard", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "discarded" and not path.exists()


def test_the_uploaded_file_is_kept_outside_public_media_under_a_random_name(world, coordinator, private_files):
    batch, _response = upload(coordinator, "participants", csv_bytes(HEADER, learner_rows(world, 1)), "elevi.csv")
    assert batch.file == f"imports/{batch.pk.hex}.csv"
    assert (private_files / batch.file).exists()
    assert "elevi" not in batch.file


@pytest.mark.parametrize("role", ["staff", "mentor", "other_mentor"])
def test_only_coordinators_export(world, client_for, role):
    client = client_for(world.user(role))
    assert client.get(reverse("transfers:export", args=["participants", "csv"])).status_code == 403
    assert not ExportRecord.objects.exists()


def test_the_list_pages_link_to_import_and_export(world, coordinator, client_for):
    for name, kind in [
        ("participants:list", "participants"),
        ("placements:organisation_list", "organisations"),
        ("placements:list", "placements"),
    ]:
        assert reverse("transfers:import", args=[kind]) in coordinator.get(reverse(name)).content.decode()
    staff_page = client_for(world.staff).get(reverse("participants:list")).content.decode()
    assert reverse("transfers:import", args=["participants"]) not in staff_page


def test_the_importer_refuses_a_participant_the_form_would_refuse(world, coordinator):
    ParticipantFactory(project=world.project)
    text = (
        "project,last_name,first_name,date_of_birth,gender,qualification,consent_data_processing_on,consent_given_by\n"
        f"{world.project.reference},Minor,Ana,2012-01-01,female,Maintenance mechanic,2026-01-05,learner\n"
    )
    _batch, response = upload(coordinator, "participants", text.encode())
    (row,) = response.context["plan"].bad
    assert row.errors[0][0] == "consent given by"


# Hostile files


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.sampled_from(HEADER + ["", "x", "=cmd()", "last_name"]), max_size=10),
    cells=st.lists(st.lists(st.text(max_size=30), max_size=10), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_any_csv_gives_a_plan_or_a_file_problem_and_writes_nothing(world, header, cells, delimiter):
    before = Participant.objects.count()
    try:
        head, data = read_rows("random.csv", csv_bytes(header, cells, delimiter=delimiter))
    except FileProblem:
        return
    plan = plan_rows("participants", head, data)
    assert plan.problems or plan.rows or not data
    assert Participant.objects.count() == before


@settings(max_examples=60, deadline=None)
@given(content=st.binary(max_size=400), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt"]))
def test_any_bytes_are_read_or_refused_with_a_reason(content, name):
    try:
        read_rows(name, content)
    except FileProblem as problem:
        assert str(problem)


def test_a_damaged_xlsx_is_refused_with_a_reason():
    content = bytearray(xlsx_bytes(HEADER, [["x"] * 8]))
    content[200:260] = b"\x00" * 60
    with pytest.raises(FileProblem):
        read_rows("damaged.xlsx", bytes(content))


# Workbooks that would cost more to read than they weigh: refused before openpyxl is asked to load them


SHEET_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "{dimension}<sheetData>{rows}</sheetData></worksheet>"
)


def row_xml(number, *values):
    cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
    return f'<row r="{number}">{cells}</row>'


def with_sheet(sheet_xml):
    """A workbook made by openpyxl whose first sheet is replaced by `sheet_xml`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(["name"], [])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            is_sheet = member.filename == "xl/worksheets/sheet1.xml"
            target.writestr(member.filename, sheet_xml if is_sheet else source.read(member.filename))
    return buffer.getvalue()


@pytest.fixture
def openpyxl_must_not_load(monkeypatch):
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to load the workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_small_workbook_that_unpacks_beyond_the_limit_is_refused_before_openpyxl_loads_it(openpyxl_must_not_load):
    padding = " " * (files.MAX_UNPACKED_BYTES + 1)
    content = with_sheet(SHEET_XML.format(dimension="", rows=row_xml(1, "name") + padding))
    assert len(content) < 500_000
    with pytest.raises(FileProblem, match="unpacks to more than 50 MB"):
        read_rows("bomb.xlsx", content)


def test_the_upload_page_says_why_a_workbook_bomb_is_refused(world, coordinator):
    padding = " " * (files.MAX_UNPACKED_BYTES + 1)
    content = with_sheet(SHEET_XML.format(dimension="", rows=row_xml(1, "project") + padding))
    batch, response = upload(coordinator, "participants", content, name="learners.xlsx")
    assert batch is None
    assert response.status_code == 400
    assert "The XLSX file unpacks to more than 50 MB" in response.content.decode()


def test_a_sheet_that_states_a_million_rows_is_refused_before_its_rows_are_read():
    content = with_sheet(SHEET_XML.format(dimension='<dimension ref="A1:B1000000"/>', rows=row_xml(1, "name")))
    with pytest.raises(FileProblem, match="more than 10000 rows"):
        read_rows("big.xlsx", content)


def test_a_sheet_that_jumps_to_row_a_million_is_refused_after_the_limit_not_read_to_the_end():
    rows = row_xml(1, "name") + row_xml(2, "Ana") + row_xml(1_000_000, "Ion")
    with pytest.raises(FileProblem, match="more than 10000 rows"):
        read_rows("gap.xlsx", with_sheet(SHEET_XML.format(dimension="", rows=rows)))


def test_rows_beyond_a_wrong_stated_size_are_still_read():
    rows = row_xml(1, "name") + "".join(row_xml(n, f"learner {n}") for n in range(2, 8))
    header, data = read_rows(
        "wrong.xlsx", with_sheet(SHEET_XML.format(dimension='<dimension ref="A1:A2"/>', rows=rows))
    )
    assert header == ["name"]
    assert [cells[0] for _line, cells in data] == [f"learner {n}" for n in range(2, 8)]


# Assignments: who goes where, at which host company, with which mentor

ASSIGNMENT_HEADER = "project,placement,participant,host_company,mentor,status,withdrawal_reason\n"


def assignment_file(world, *lines):
    return (ASSIGNMENT_HEADER + "".join(line.format(ref=world.project.reference) + "\n" for line in lines)).encode()


def test_assignments_are_imported_with_their_host_and_mentor_after_a_dry_run(world, coordinator):
    new_learner = ParticipantFactory(project=world.project, last_name="Stan", first_name="Ana")
    content = assignment_file(
        world,
        "{ref},Flow 1 – Mechanics,Stan Ana,Metalúrgica do Cávado,mentor,confirmed,",
        "{ref},Flow 2 – Textile,stan ana,Têxteis Guimarães,other_mentor,,",
    )
    batch, response = upload(coordinator, "assignments", content)
    plan = response.context["plan"]
    assert plan.ok, [(r.line, r.errors) for r in plan.bad]
    assert [r.label for r in plan.created] == ["Stan Ana – Flow 1 – Mechanics", "stan ana – Flow 2 – Textile"]
    assert not Assignment.objects.filter(participant=new_learner).exists()  # the dry run wrote nothing
    commit(coordinator, batch)
    made = {
        a.placement: (a.host_company, a.mentor, a.status) for a in Assignment.objects.filter(participant=new_learner)
    }
    assert made == {
        world.placement: (world.host, world.mentor, "confirmed"),
        world.other_placement: (world.other_host, world.other_mentor, "planned"),
    }
    assert Assignment.history.filter(participant=new_learner).first().history_user == world.coordinator


def test_an_assignment_already_recorded_is_changed_and_the_preview_says_how(world, coordinator):
    second = UserFactory(username="mentor2", role=Role.MENTOR, organisation=world.host)
    line = (
        f"{{ref}},Flow 1 – Mechanics,{world.learner.last_name} {world.learner.first_name},{world.host.name},mentor2,,"
    )
    batch, response = upload(coordinator, "assignments", assignment_file(world, line))
    plan = response.context["plan"]
    assert [r.changes for r in plan.changed] == [[("mentor", "mentor", "mentor2")]]
    commit(coordinator, batch)
    world.assignment.refresh_from_db()
    assert world.assignment.mentor == second
    assert Assignment.objects.count() == 2


def test_each_wrong_assignment_row_is_named_with_its_reason(world, coordinator):
    ParticipantFactory(project=world.project, last_name="Pop", first_name="Ion", date_of_birth=date(2007, 1, 2))
    ParticipantFactory(project=world.project, last_name="Pop", first_name="Ion", date_of_birth=date(2008, 3, 4))
    ParticipantFactory(project=world.project, last_name="Dinu", first_name="Ana").archive()
    ParticipantFactory(project=world.project, last_name="Lungu", first_name="Dan")
    ParticipantFactory(project=world.project, last_name="Rusu", first_name="Ilie")
    me = f"{world.learner.last_name} {world.learner.first_name}"
    content = assignment_file(
        world,
        "{ref},Flow 1 – Mechanics,Nobody Here,,,,",  # line 2: unknown learner
        f"{{ref}},Flow 9,{me},,,,",  # 3: unknown placement
        f"{{ref}},Flow 2 – Textile,{me},Fabrica Fantomă,,,",  # 4: unknown host company
        "{ref},Flow 2 – Textile,Lungu Dan,,ghost,,",  # 5: unknown mentor
        "{ref},Flow 2 – Textile,Rusu Ilie,Metalúrgica do Cávado,other_mentor,,",  # 6: mentor of another host
        "{ref},Flow 2 – Textile,Pop Ion,,,,",  # 7: two learners of that name
        "{ref},Flow 2 – Textile,Pop Ion (2008-03-04),,,,",  # 8: fine
        "{ref},Flow 2 – Textile,Pop Ion (04.03.2008),,,,",  # 9: the same as line 8
        "XX-0000,Flow 2 – Textile,Pop Ion,,,,",  # 10: unknown project
        "{ref},Flow 2 – Textile,Dinu Ana,,,,",  # 11: archived
        f"{{ref}},Flow 1 – Mechanics,{me},,,withdrawn,",  # 12: withdrawn without a reason
    )
    batch, response = upload(coordinator, "assignments", content)
    plan = response.context["plan"]
    errors = {row.line: row.errors for row in plan.bad}
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    assert errors[2] == [("participant", f"The project {world.project.reference} has no learner called “Nobody Here”.")]
    assert errors[3] == [("placement", f"The project {world.project.reference} has no placement called “Flow 9”.")]
    assert errors[4][0][0] == "host company" and "Fabrica Fantomă" in errors[4][0][1]
    assert errors[5][0][0] == "mentor" and "ghost" in errors[5][0][1]
    assert errors[6][0][0] == "mentor" and "Choose a mentor of Metalúrgica do Cávado" in errors[6][0][1]
    assert errors[7] == [
        (
            "participant",
            "2 learners are called “Pop Ion”: add the date of birth in brackets, e.g. Pop Ion (2007-01-02).",
        )
    ]
    assert errors[9] == [(None, "The same record as line 8.")]
    assert errors[10] == [("project", "Nothing called “XX-0000” was found: check the spelling, or add it first.")]
    assert errors[11] == [("participant", "Ana Dinu is archived.")]
    assert errors[12] == [("reason for withdrawal", "Give the reason for the withdrawal.")]
    response = commit(coordinator, batch)
    assert response.status_code == 400
    assert Assignment.objects.count() == 2


def test_the_assignments_template_and_import_page_name_their_columns(world, coordinator):
    response = coordinator.get(reverse("transfers:template", args=["assignments", "csv"]))
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == "project;placement;participant;host_company;mentor;status;withdrawal_reason;tasks"
    page = coordinator.get(reverse("transfers:import", args=["assignments"])).content.decode()
    assert "project, placement and learner." in page
