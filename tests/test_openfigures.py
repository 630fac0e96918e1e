"""Open figures: counts of people below the threshold are hidden, nothing hidden can be worked out again by
adding or subtracting what is published, and the download is a valid Frictionless Data Package."""

import io
import itertools
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from openfigures import indicators
from openfigures.package import package_zip
from openfigures.suppression import Sum, column_sums, row_sums, suppress
from placements.models import Assignment

from .factories import AssignmentFactory, ParticipantFactory

K = 10


def recover(rows, sums):
    """What a reader can work out from the published table: every sum with exactly one cell missing gives that
    cell, again and again until nothing more comes. Returns the cells recovered."""
    known = {(i, c): v for i, row in enumerate(rows) for c, v in row.items() if v is not None}
    found = {}
    progress = True
    while progress:
        progress = False
        for constraint in sums:
            missing = [cell for cell in constraint.cells if cell not in known]
            if len(missing) != 1:
                continue
            cell = missing[0]
            parts = sum(known[p] for p in constraint.parts if p in known)
            value = known[constraint.total] - parts if cell != constraint.total else parts
            known[cell] = found[cell] = value
            progress = True
    return found


def test_a_small_count_is_hidden_and_so_is_one_that_would_give_it_away():
    rows = [{"n": 12, "a": 3}, {"n": 25, "a": 14}, {"n": 37, "a": 17}]
    sums = column_sums(rows, ("n", "a"), total_row=2)
    published = suppress(rows, people=("n", "a"), threshold=K, sums=sums)
    assert published.rows[0]["a"] is None  # 3 people
    # With the total 17 and the other flow's 14, the 3 would be 17 - 14: one of them goes too.
    assert published.rows[1]["a"] is None or published.rows[2]["a"] is None
    assert recover(published.rows, sums) == {}
    assert published.rows[2]["n"] == 37  # what gives nothing away stays


def test_a_subset_whose_rest_is_small_is_hidden():
    published = suppress([{"n": 14, "done": 12}], people=("n", "done"), threshold=K, subsets={"done": "n"})
    assert published.rows[0] == {"n": 14, "done": None}  # 12 of 14 says 2 did not


def test_zero_is_published_and_the_threshold_is_the_settings():
    published = suppress([{"n": 0}, {"n": 9}, {"n": 10}], people=("n",), threshold=K)
    assert [row["n"] for row in published.rows] == [0, None, 10]


def test_a_column_that_gives_a_count_away_goes_with_it():
    published = suppress([{"n": 4, "days": 112}], people=("n",), threshold=K, follows={"days": "n"})
    assert published.rows[0] == {"n": None, "days": None}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=30), min_size=3, max_size=3),
        min_size=1,
        max_size=5,
    )
)
def test_no_hidden_cell_is_ever_recovered_by_adding_or_subtracting(table):
    """Rows of three parts and their total; a total row under them: both directions of sums at once."""
    columns = ("a", "b", "c")
    rows = [dict(zip(columns, values, strict=True)) | {"total": sum(values)} for values in table]
    rows.append({c: sum(row[c] for row in rows) for c in (*columns, "total")})
    sums = row_sums(rows, "total", columns) + column_sums(rows, (*columns, "total"), total_row=len(rows) - 1)
    published = suppress(rows, people=(*columns, "total"), threshold=K, sums=sums)
    assert recover(published.rows, sums) == {}
    for index, column in published.hidden:
        assert published.rows[index][column] is None
    for (index, column), original in (
        (cell, rows[cell[0]][cell[1]]) for cell in itertools.product(range(len(rows)), columns)
    ):
        if 0 < original < K:
            assert published.rows[index][column] is None


# The project's figures


@pytest.fixture
def finished(world):
    end = timezone.localdate() - timedelta(days=100)
    world.placement.start_date, world.placement.end_date = end - timedelta(days=27), end
    world.placement.save()
    world.other_placement.start_date, world.other_placement.end_date = end - timedelta(days=27), end
    world.other_placement.save()
    for _n in range(11):
        AssignmentFactory(
            participant=ParticipantFactory(project=world.project),
            placement=world.placement,
            status=Assignment.Status.COMPLETED,
        )
    return world


def test_the_projects_figures_hide_the_small_flow_and_never_name_anyone(finished, client):
    figures = indicators.published([finished.project])
    by_flow = {row["flow"]: row for row in figures.flows.rows}
    assert by_flow["Flow 2 – Textile"]["participants"] is None  # one learner
    # 13 in all: publishing flow 1's 12 as well would give flow 2's 1 away, so the part goes, the total stays.
    assert by_flow[""]["participants"] == 13
    assert by_flow["Flow 1 – Mechanics"]["participants"] is None
    response = client.get(reverse("openfigures:figures", args=[finished.project.public_slug]))
    page = response.content.decode()
    assert response.status_code == 200 and "Results in figures" in page
    assert finished.learner.last_name not in page and finished.other_learner.last_name not in page
    assert "fewer than 10 people" in page


def test_the_threshold_is_a_setting(finished, settings):
    settings.OPEN_FIGURES_MIN_COUNT = 1
    by_flow = {row["flow"]: row for row in indicators.published([finished.project]).flows.rows}
    assert by_flow["Flow 2 – Textile"]["participants"] == 1


def test_the_download_is_a_valid_data_package_with_nothing_recoverable(finished, client, tmp_path):
    from frictionless import Package, validate

    response = client.get(reverse("openfigures:package", args=[finished.project.public_slug]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = Package(str(tmp_path / "datapackage.json")).get_resource("flows").read_rows()
    assert [row["flow"] for row in rows] == ["Flow 1 – Mechanics", "Flow 2 – Textile", None]
    assert rows[-1]["participants"] == 13
    assert all(row["participants"] is None or row["participants"] == 0 or row["participants"] >= K for row in rows)
    # Subtraction across the published flows and their total brings nothing back.
    plain = [{k: row[k] for k in indicators.FLOW_PEOPLE} for row in rows]
    sums = column_sums(plain, indicators.FLOW_PEOPLE, total_row=len(plain) - 1)
    assert recover(plain, sums) == {}


def test_a_broken_package_fails_the_validation(finished, tmp_path):
    from frictionless import validate

    body = package_zip("x", "x", indicators.published([finished.project]))
    zipfile.ZipFile(io.BytesIO(body)).extractall(tmp_path)
    flows = tmp_path / "flows.csv"
    lines = flows.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[-1].split(",")  # the project's total row: 13 participants
    cells[header.index("participants")] = "thirteen"
    lines[-1] = ",".join(cells)
    flows.write_text("\n".join(lines) + "\n")
    assert not validate(str(tmp_path / "datapackage.json")).valid


def test_the_figures_cost_the_same_with_more_flows_and_learners(finished, django_assert_max_num_queries):
    from .factories import PlacementFactory

    with django_assert_max_num_queries(30) as few:
        indicators.published([finished.project])
    for _n in range(3):
        placement = PlacementFactory(project=finished.project)
        for _m in range(4):
            AssignmentFactory(participant=ParticipantFactory(project=finished.project), placement=placement)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = indicators.published([finished.project]).flows.rows
    assert len(rows) == 6


def test_sums_are_what_they_say():
    assert Sum((0, "t"), ((0, "a"),)).cells == ((0, "t"), (0, "a"))
