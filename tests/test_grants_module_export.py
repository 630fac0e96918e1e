"""The Beneficiary Module's own file (issue 18, item 4): the export's columns, marks and values follow the reference
kept in grants/reference/, every mandatory field of every row is filled, the reconciliation reads the same file
back without a difference, and what cannot go in the file (an organisation without an OID, an early leaver
without force majeure, an anonymised learner, special-category data, the Module's own amounts) is said on the
page before the export or left out."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants import beneficiary_module, reconciliation
from grants.forms import MobilityGrantForm
from grants.models import MobilityGrant, ModuleFigures, RealCost
from participants.models import Barrier
from placements.models import Assignment

from . import test_grants
from .access_routes_grants import a_stay
from .test_grants import add_learners

money = test_grants.money  # the fixtures, shared


def complete(world):
    """Everything the Module asks: OIDs, each participant's data, the means of transport."""
    from grants.models import AccompanyingPerson

    for number, organisation in enumerate(
        [world.project.sending_organisation, world.placement.receiving_partner, world.host, world.other_host]
    ):
        organisation.oid = f"E1000000{number}"
        organisation.save()
    for assignment in Assignment.objects.filter(placement__project=world.project).select_related("participant"):
        participant = assignment.participant
        participant.nationality = "RO"
        participant.email = f"learner{participant.pk}@example.org"
        participant.save()
        MobilityGrant.objects.update_or_create(assignment=assignment, defaults={"main_transport": "plane"})
    stay = AccompanyingPerson.objects.get(pk=a_stay(world)["pk"])
    stay.date_of_birth, stay.gender, stay.nationality, stay.main_transport = "1980-02-03", "female", "RO", "plane"
    stay.save()
    stay.person.email = "ana.pop@example.org"
    stay.person.save()
    return world


def read(content):
    """The workbook's rows as dictionaries by column name, and its first two rows."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    names = [cell.value for cell in sheet[1]]
    marks = [cell.value or "" for cell in sheet[2]]
    rows = [dict(zip(names, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)]
    return names, marks, rows


def exported(world):
    content, _name = beneficiary_module.export_xlsx(world.project)
    return read(content)


def check_against_reference(names, marks, rows):
    """Every check the reference allows: names and order, marks, mandatory fields, values and formats."""
    reference = beneficiary_module.reference()["fields"]
    assert names == [spec["name"] for spec in reference]
    assert marks == [beneficiary_module.mark(spec) for spec in reference]
    assert rows
    for row in rows:
        who = row["Mobility activity ID"]
        assert beneficiary_module.missing({k: ("" if v is None else v) for k, v in row.items()}) == [], who
        for spec in reference:
            value = row[spec["name"]]
            if value in (None, ""):
                continue
            if "values" in spec:
                assert value in spec["values"], (who, spec["name"], value)
            if spec["format"] == "DD-MM-YYYY":
                assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", value), (who, spec["name"], value)
            if spec["format"] == "integer":
                assert isinstance(value, int), (who, spec["name"], value)


def test_every_mandatory_field_of_every_row_follows_the_reference(money):
    complete(money)
    withdrawn = money.other_assignment
    withdrawn.status, withdrawn.withdrawal_reason = Assignment.Status.WITHDRAWN, "Grandmother's funeral"
    withdrawn.save()
    MobilityGrant.objects.filter(assignment=withdrawn).update(
        withdrawn_on=withdrawn.placement.start_date + timedelta(days=12), force_majeure=True
    )
    RealCost.objects.create(assignment=money.assignment, reason="Adapted taxi to the airport", amount=Decimal("120"))
    names, marks, rows = exported(money)
    check_against_reference(names, marks, rows)
    by_id = {row["Mobility activity ID"]: row for row in rows}
    learner = by_id[f"M-{money.assignment.pk}"]
    assert learner["Activity type"] == "LM-SHORT-VET"
    assert learner["Accompanying person"] == "NO"
    assert learner["Participant nationality"] == "RO"
    assert learner["Participant date of birth"] == "04-05-2006"
    assert learner["Receiving Organisation OID"] == money.host.oid  # the host company, not the partner
    assert learner["Main means of transport"] == "Plane"
    assert (learner["Funded travel days"], learner["Funded duration including travel days (in days)"]) == (2, 28)
    assert learner["Inclusion support for participants"] == 120
    assert learner["Inclusion support justification"] == "Adapted taxi to the airport"
    leaver = by_id[f"M-{withdrawn.pk}"]
    assert (leaver["Force majeure"], leaver["Force majeure explanations"]) == ("YES", "Grandmother's funeral")
    teachers = [row for row in rows if row["Accompanying person"] == "YES"]
    assert len(teachers) == 1 and teachers[0]["Participant first name"] == "Ana"


def test_the_export_read_back_by_the_reconciliation_shows_no_difference(money, client_for):
    complete(money)
    content, _name = beneficiary_module.export_xlsx(money.project)
    upload = SimpleUploadedFile("module.xlsx", content)
    url = reverse("grants:module_import", args=[money.project.pk])
    client = client_for(money.coordinator)
    checked = client.post(url, {"workbook": upload})
    assert checked.status_code == 200
    assert [item.line.differences for item in checked.context["lines"]] == [[], [], []]  # the dry run: no difference
    response = client.post(url, {"payload": checked.context["payload"]})
    assert response.status_code == 302
    _budget, lines = reconciliation.project_reconciliation(money.project)
    assert len(lines) == 3 and all(line.typed for line in lines)
    assert {(line.kind, line.pk): line.differences for line in lines if line.differences} == {}
    module = ModuleFigures.objects.get(assignment=money.assignment)
    assert (module.start, module.duration, module.travel_days, module.green_travel) == (
        money.placement.start_date,
        28,
        2,
        False,
    )


def test_no_amount_the_module_computes_and_no_special_category_data_is_in_the_file(money):
    complete(money)
    participant = money.learner
    participant.special_needs = "Epilepsy: medication twice a day"
    participant.save()
    participant.barriers.add(Barrier.objects.get_or_create(code="health", defaults={"name": "Health problems"})[0])
    names, _marks, rows = exported(money)
    assert not {"Distance band", "Travel (EUR)", "Individual support (EUR)", "Organisational support (EUR)"} & set(
        names
    )
    cells = [str(value) for row in rows for value in row.values() if value is not None]
    assert not any("Epilepsy" in cell or "Health" in cell for cell in cells)
    learner = next(row for row in rows if row["Mobility activity ID"] == f"M-{money.assignment.pk}")
    assert learner["Participant with fewer opportunities"] == "YES"


def export_page(client_for, world):
    return client_for(world.coordinator).get(reverse("grants:module_export", args=[world.project.pk]))


def test_a_host_company_without_an_oid_is_named_on_the_page_before_the_export_not_guessed(money, client_for):
    complete(money)
    money.host.oid = ""
    money.host.save()
    page = export_page(client_for, money)
    assert page.status_code == 200
    warning = page.content.decode().split('id="h-oid"')[1].split("</section>")[0]
    assert money.host.name in warning and money.other_host.name not in warning
    _names, _marks, rows = exported(money)
    learner = next(row for row in rows if row["Mobility activity ID"] == f"M-{money.assignment.pk}")
    assert learner["Receiving Organisation OID"] in (None, "")  # not the receiving partner's


def test_an_early_leaver_without_force_majeure_is_not_exported_as_a_completed_mobility(money, client_for):
    complete(money)
    a = money.assignment
    a.status, a.withdrawal_reason = Assignment.Status.WITHDRAWN, "Went home"
    a.save()
    MobilityGrant.objects.filter(assignment=a).update(withdrawn_on=a.placement.start_date + timedelta(days=5))
    _names, _marks, rows = exported(money)
    assert f"M-{a.pk}" not in {row["Mobility activity ID"] for row in rows}
    assert "without force majeure" in export_page(client_for, money).content.decode()


def test_an_anonymised_learner_is_not_exported_as_a_live_participant(money, client_for):
    complete(money)
    money.learner.anonymised_at = timezone.now()
    money.learner.save()
    _names, _marks, rows = exported(money)
    assert f"M-{money.assignment.pk}" not in {row["Mobility activity ID"] for row in rows}
    assert "anonymised" in export_page(client_for, money).content.decode()


def test_missing_participant_data_is_listed_before_the_export(money, client_for):
    a_stay(money)  # nothing completed: no nationality, no OIDs, no means of transport
    page = export_page(client_for, money).content.decode()
    gaps = page.split('id="h-gaps"')[1].split("</section>")[0]
    assert "Participant nationality" in gaps and "Main means of transport" in gaps and "Ana Pop" in gaps


def test_the_export_page_query_count_does_not_grow_with_learners(money, client_for):
    complete(money)
    client = client_for(money.coordinator)
    url = reverse("grants:module_export", args=[money.project.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_learners(money, 5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_only_the_projects_coordinators_open_the_export_page(money, client_for, django_user_model):
    url = reverse("grants:module_export", args=[money.project.pk])
    assert client_for(None).get(url).status_code == 302
    assert client_for(money.mentor).get(url).status_code == 403
    assert client_for(money.staff).get(url).status_code == 403
    assert client_for(money.coordinator).get(url).status_code == 200


def test_green_travel_needs_a_green_main_means_of_transport(money):
    grant = MobilityGrant(assignment=money.assignment)
    form = MobilityGrantForm(
        {"travel_mode": "green", "main_transport": "plane", "exceptional_travel_cost": "0"}, instance=grant
    )
    assert not form.is_valid() and "main_transport" in form.errors
    form = MobilityGrantForm(
        {"travel_mode": "green", "main_transport": "train", "exceptional_travel_cost": "0"}, instance=grant
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("user", "shown"), [("coordinator", True), ("staff", False)])
def test_the_learners_nationality_is_shown_to_coordinators_only(money, client_for, user, shown):
    money.learner.nationality = "RO"
    money.learner.save()
    page = client_for(getattr(money, user)).get(money.learner.get_absolute_url()).content.decode()
    assert ("Nationality" in page) is shown


def test_the_file_keeps_text_as_text_amounts_as_numbers_and_its_header_bold_and_frozen(money):
    """grants.sheet writes the file itself: a name that looks like a formula stays text, a character XML cannot
    hold is left out, amounts are numbers with two decimals, the first row is bold and the first two frozen."""
    from openpyxl import load_workbook

    from grants import sheet

    complete(money)
    money.learner.last_name = '=HYPERLINK("http://x")\x0b & <Pop>'
    money.learner.save()
    content, _name = beneficiary_module.export_xlsx(money.project)
    book = load_workbook(io.BytesIO(content))
    ws = book.active
    assert (ws.title, ws.freeze_panes) == ("Mobility activities", "A3")
    assert all(cell.font.b for cell in ws[1]) and not any(cell.font.b for cell in ws[2] if cell.value)
    names = [cell.value for cell in ws[1]]
    key = names.index("Mobility activity ID")
    learner = next(row for row in ws.iter_rows(min_row=3) if row[key].value == f"M-{money.assignment.pk}")
    surname = learner[names.index("Participant last name")]
    assert (surname.value, surname.data_type) == ('=HYPERLINK("http://x") & <Pop>', "s")
    # The file's only amounts are real costs (none here): an amount, a count and a text in a sheet of their own.
    small = load_workbook(io.BytesIO(sheet.workbook("S", [["a", "b", "c"], [Decimal("12.50"), 3, " x "]]))).active
    amount, count, text = small[2]
    assert (amount.value, amount.number_format, count.value, count.number_format) == (12.5, "0.00", 3, "General")
    assert text.value == " x "
    assert all(len(row) == len(names) for row in load_workbook(io.BytesIO(content), read_only=True).active.rows)
    assert sheet.column(0) == "A" and sheet.column(25) == "Z" and sheet.column(26) == "AA" and sheet.column(701) == "ZZ"
