"""Our figures against what the coordinator typed from the Beneficiary Module: a match shows no difference, a wrong
band or date is named, coordinators write, staff read, mentors see nothing."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants import reconciliation, selectors
from grants.models import ModuleFigures

from . import test_grants
from .test_grants import add_learners

money = test_grants.money  # the fixtures, shared


def module_data(world, **changes):
    """What the Module shows for the world's learner when it agrees with us (Bacău → Braga, 26 + 2 days)."""
    placement = world.placement
    data = {
        "start": placement.start_date.isoformat(),
        "end": placement.end_date.isoformat(),
        "duration": "28",
        "travel_days": "2",
        "band": "2,000–2,999 km",
        "green_travel": "false",
        "travel": "395.00",
        "individual": "1904.00",  # 14 × 80 + 14 × 56
        "organisational": "",
        "inclusion": "",
        "linguistic": "",
        "exceptional": "",
    }
    return data | changes


def line_for(world, assignment):
    _budget, lines = reconciliation.project_reconciliation(world.project)
    return next(line for line in lines if line.kind == "learner" and line.pk == assignment.pk)


def post(client_for, world, data):
    url = reverse("grants:module_figures", args=[world.assignment.pk])
    return client_for(world.coordinator).post(url, data)


def test_a_matching_mobility_shows_no_difference(money, client_for):
    assert post(client_for, money, module_data(money)).status_code == 302
    line = line_for(money, money.assignment)
    assert line.typed
    assert line.differences == []
    page = client_for(money.coordinator).get(reverse("grants:reconciliation", args=[money.project.pk]))
    assert "matches" in page.content.decode()
    assert "Differs:" not in page.content.decode()


def test_the_band_is_compared_by_its_numbers_not_its_punctuation(money, client_for):
    post(client_for, money, module_data(money))
    ModuleFigures.objects.update(band="2000 - 2999 km")
    assert line_for(money, money.assignment).differences == []


def test_a_wrong_band_and_a_wrong_date_are_flagged_in_words(money, client_for):
    wrong_end = (money.placement.end_date + timedelta(days=1)).isoformat()
    response = post(client_for, money, module_data(money, band="500–1,999 km", end=wrong_end))
    assert response.status_code == 302
    line = line_for(money, money.assignment)
    assert [cell.name for cell in line.differences] == ["end", "band"]
    page = client_for(money.staff).get(reverse("grants:reconciliation", args=[money.project.pk])).content.decode()
    assert "Differs:</strong> End date, Distance band" in page
    assert "differs, Module:" in page  # not only a colour: words for a screen reader, ≠ on screen
    assert "≠" in page


def test_a_wrong_amount_is_flagged_and_an_untyped_field_is_not_compared(money, client_for):
    post(client_for, money, module_data(money, individual="2160.00", start="", duration=""))
    line = line_for(money, money.assignment)
    assert [cell.name for cell in line.differences] == ["individual"]
    assert not next(cell for cell in line.cells if cell.name == "start").typed


def test_an_accompanying_persons_figures_are_typed_and_compared(money, client_for):
    from .access_routes_grants import a_stay

    stay_pk = a_stay(money)["pk"]
    url = reverse("grants:module_figures_stay", args=[stay_pk])
    response = client_for(money.coordinator).post(url, {"band": "2,000–2,999 km", "green_travel": "true"})
    assert response.status_code == 302
    _budget, lines = reconciliation.project_reconciliation(money.project)
    line = next(line for line in lines if line.kind == "accompanying")
    assert [cell.name for cell in line.differences] == ["green_travel"]


def test_an_end_before_the_start_is_refused_on_the_field(money, client_for):
    start = money.placement.start_date
    response = post(
        client_for, money, module_data(money, start=start.isoformat(), end=(start - timedelta(days=1)).isoformat())
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert not ModuleFigures.objects.exists()


def test_coordinators_write_staff_read_mentors_see_nothing(money, client_for):
    page = reverse("grants:reconciliation", args=[money.project.pk])
    form = reverse("grants:module_figures", args=[money.assignment.pk])
    assert client_for(money.coordinator).get(page).status_code == 200
    assert client_for(money.coordinator).get(form).status_code == 200
    assert client_for(money.staff).get(page).status_code == 200
    assert "Type the Module" not in client_for(money.staff).get(page).content.decode()
    assert client_for(money.staff).post(form, module_data(money)).status_code == 403
    for mentor in (money.mentor, money.other_mentor):
        assert client_for(mentor).get(page).status_code == 403
        assert client_for(mentor).post(form, module_data(money)).status_code == 403
    assert client_for(None).get(page).status_code == 302
    assert not ModuleFigures.objects.exists()


@pytest.mark.parametrize("extra", [0, 6])
def test_the_reconciliation_page_query_count_does_not_grow_with_learners(
    money,
    client_for,
    django_assert_num_queries,
    extra,
):
    add_learners(money, extra)
    post(client_for, money, module_data(money))
    client = client_for(money.coordinator)
    url = reverse("grants:reconciliation", args=[money.project.pk])
    with django_assert_num_queries(17):  # 15 + the preparatory visits + the role in the school
        assert client.get(url).status_code == 200


def test_money_values_compare_equal_whatever_their_trailing_zeros(money):
    row = selectors.project_budget(money.project).mobilities[0]
    module = ModuleFigures(assignment=row.assignment, travel=Decimal("395"))
    cells = reconciliation.compare(reconciliation._learner_values(row), module)
    assert not next(cell for cell in cells if cell.name == "travel").differs


def module_workbook(world, change=None):
    """Our export, as the Module would give it back with the distance band it computes, with one learner's cell
    changed."""
    from openpyxl import load_workbook

    from grants.beneficiary_module import columns, export_xlsx

    content, _name = export_xlsx(world.project)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    names = [*columns(), "Distance band"]
    sheet.cell(row=1, column=len(names), value="Distance band")
    for row in sheet.iter_rows(min_row=3):
        row[len(names) - 1].value = "2000-2999 km"
    if change:
        column, value = change
        for row in sheet.iter_rows(min_row=3):
            if row[names.index("Mobility activity ID")].value == f"M-{world.assignment.pk}":
                row[names.index(column)].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("module.xlsx", buffer.getvalue())


def import_url(world):
    return reverse("grants:module_import", args=[world.project.pk])


def read_and_confirm(client, url, workbook):
    """The dry run (nothing saved, the rows listed), then the confirmation: the second response."""
    before = ModuleFigures.objects.count()
    checked = client.post(url, {"workbook": workbook})
    assert checked.status_code == 200, checked.content.decode()[:500]
    assert checked.context["payload"], checked.context["form"].errors
    assert ModuleFigures.objects.count() == before  # the dry run saves nothing
    return client.post(url, {"payload": checked.context["payload"]})


def test_the_modules_workbook_is_read_and_a_wrong_band_is_flagged(money, client_for):
    from .access_routes_grants import a_stay

    a_stay(money)
    workbook = module_workbook(money, ("Distance band", "3000 - 3999 km"))
    response = read_and_confirm(client_for(money.coordinator), import_url(money), workbook)
    assert response.status_code == 302
    _budget, lines = reconciliation.project_reconciliation(money.project)
    assert all(line.typed for line in lines)  # both learners and the accompanying person
    flagged = {(line.kind, line.pk): [cell.name for cell in line.differences] for line in lines}
    assert flagged.pop(("learner", money.assignment.pk)) == ["band"]
    assert all(names == [] for names in flagged.values())


def test_a_workbook_matched_by_name_when_the_id_is_the_modules_own(money, client_for):
    workbook = module_workbook(money, ("Mobility activity ID", "BM-0001"))
    assert read_and_confirm(client_for(money.coordinator), import_url(money), workbook).status_code == 302
    assert ModuleFigures.objects.filter(assignment=money.assignment).exists()


def test_a_file_that_is_not_a_workbook_is_refused_on_the_field(money, client_for):
    upload = SimpleUploadedFile("module.xlsx", b"%PDF-1.4 not a workbook")
    response = client_for(money.coordinator).post(import_url(money), {"workbook": upload})
    assert response.status_code == 200
    assert "not an Excel workbook" in str(response.context["form"].errors["workbook"])
    assert not ModuleFigures.objects.exists()


def test_an_unreadable_cell_saves_nothing_and_says_which(money, client_for):
    workbook = module_workbook(money, ("Start date", "the first of March"))
    response = client_for(money.coordinator).post(import_url(money), {"workbook": workbook})
    assert response.status_code == 200
    assert "Start date" in str(response.context["form"].errors["workbook"])
    assert not ModuleFigures.objects.exists()


def test_staff_cannot_import_and_mentors_see_nothing(money, client_for):
    assert client_for(money.staff).post(import_url(money), {"workbook": module_workbook(money)}).status_code == 403
    assert client_for(money.mentor).get(import_url(money)).status_code == 403
    assert not ModuleFigures.objects.exists()


# The dry run: every row's differences, or the refused rows with their number and reason; nothing saved before
# the confirmation, and nothing from a file with a refused row.


def test_the_dry_run_lists_each_rows_differences_and_saves_nothing(money, client_for):
    workbook = module_workbook(money, ("Distance band", "3000 - 3999 km"))
    response = client_for(money.coordinator).post(import_url(money), {"workbook": workbook})
    assert response.status_code == 200
    assert not ModuleFigures.objects.exists()
    lines = response.context["lines"]
    assert [item.row for item in lines] == [3, 4]  # row 1 the names, row 2 the marks
    changed = next(item for item in lines if item.line.pk == money.assignment.pk)
    assert [cell.name for cell in changed.line.differences] == ["band"]
    page = response.content.decode()
    assert "Row 3" in page and "Distance band: ours 2,000–2,999 km, the Module's 3000 - 3999 km" in page
    assert "matches our figures" in page  # the other learner's row
    assert 'name="payload"' in page


def test_a_file_with_one_refused_row_saves_nothing_and_names_the_row(money, client_for):
    workbook = module_workbook(money, ("End date", "31-02-2027"))
    response = client_for(money.coordinator).post(import_url(money), {"workbook": workbook})
    assert response.status_code == 200
    refused = response.context["result"].refused
    assert [(row.row, row.who) for row in refused] == [(3, str(money.assignment.participant))]
    assert "End date" in refused[0].reasons[0]
    page = response.content.decode()
    assert "Row 3" in page and "a file with a refused row saves no row" in page
    assert 'name="payload"' not in page  # nothing to confirm
    assert not ModuleFigures.objects.exists()


def test_two_rows_for_one_mobility_are_refused(money, client_for):
    from openpyxl import load_workbook

    upload = module_workbook(money)
    book = load_workbook(io.BytesIO(upload.read()))
    sheet = book.active
    sheet.append([cell.value for cell in sheet[3]])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client_for(money.coordinator).post(
        import_url(money), {"workbook": SimpleUploadedFile("module.xlsx", buffer.getvalue())}
    )
    refused = response.context["result"].refused
    assert [row.row for row in refused] == [5]
    assert "row 3" in refused[0].reasons[0]
    assert not ModuleFigures.objects.exists()


def test_a_duration_the_model_refuses_is_refused_in_the_dry_run(money, client_for):
    workbook = module_workbook(money, ("Funded duration including travel days (in days)", 5000))
    response = client_for(money.coordinator).post(import_url(money), {"workbook": workbook})
    assert [row.row for row in response.context["result"].refused] == [3]
    assert not ModuleFigures.objects.exists()


def test_a_forged_or_foreign_confirmation_saves_nothing(money, client_for, django_user_model):
    client = client_for(money.coordinator)
    checked = client.post(import_url(money), {"workbook": module_workbook(money)})
    payload = checked.context["payload"]
    # Changed by hand: the signature no longer holds.
    response = client.post(import_url(money), {"payload": payload[:-3] + "abc"})
    assert response.status_code == 302 and not ModuleFigures.objects.exists()
    # Signed for this project and this coordinator: another coordinator of the school cannot replay it.
    from accounts.models import Role

    from .factories import UserFactory

    colleague = UserFactory(username="colleague", role=Role.COORDINATOR)
    assert client_for(colleague).post(import_url(money), {"payload": payload}).status_code == 302
    assert not ModuleFigures.objects.exists()
    # Staff and mentors cannot confirm at all.
    assert client_for(money.staff).post(import_url(money), {"payload": payload}).status_code == 403
    assert client_for(money.mentor).post(import_url(money), {"payload": payload}).status_code == 403
    assert not ModuleFigures.objects.exists()
    # The coordinator's own confirmation saves every row.
    assert client_for(money.coordinator).post(import_url(money), {"payload": payload}).status_code == 302
    assert ModuleFigures.objects.count() == 2


def test_another_schools_coordinator_cannot_read_into_this_project(money, client_for):
    from accounts.models import Role

    from .factories import SchoolFactory, UserFactory

    stranger = UserFactory(username="vaslui", role=Role.COORDINATOR, school=SchoolFactory(name="Vaslui"))
    client = client_for(stranger)
    assert client.get(import_url(money)).status_code == 404
    assert client.post(import_url(money), {"workbook": module_workbook(money)}).status_code == 404
    assert not ModuleFigures.objects.exists()
