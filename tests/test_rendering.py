"""The printed certificate: what a reader and a PDF tool find in it, and that a reissue is byte for byte the same."""

import copy
import hashlib

import pytest

from documents import rendering
from documents.rendering import qr_svg, render_pdf, write_pdf

from .tools import run_tool

TEMPLATE = "reports/documents/certificate.html"


def _outcomes(*rows):
    return [
        {"text": text, "category": category, "level": level, "points": points} for text, category, level, points in rows
    ]


SAMPLE = {
    "number": "RO-2026-187412-0001",
    "verification_code": "k3J9xQ7mZp2LwT8vN4sR",
    "verification_url": "https://mobility.example.org/verify/k3J9xQ7mZp2LwT8vN4sR/",
    "issued_on": "2026-12-11",
    "holder": {"first_name": "Ștefan", "last_name": "Lăcătuș", "date_of_birth": "2008-03-14"},
    "sending": {
        "name": "Liceul Tehnologic „Ștefan cel Mare” (demo)",
        "city": "Bacău",
        "country": "Romania",
        "oid": "E10000101",
    },
    "host": {"name": "Metalúrgica do Cávado, Lda.", "city": "Braga", "country": "Portugal", "oid": ""},
    "receiving_partner": {
        "name": "Intercâmbio Minho – Associação para a Mobilidade",
        "city": "Braga",
        "country": "Portugal",
        "oid": "E10000202",
    },
    "mentor": {"name": "Rui Gonçalves", "position": "Encarregado geral, técnico de manutenção (mentor)"},
    "project": {
        "title": "Social inclusion through practical training of disadvantaged groups",
        "reference": "2026-1-RO01-KA122-VET-000187412",
        "key_action": "KA1 short-term VET mobility (KA122-VET)",
    },
    "placement": {
        "title": "Flow 1 – Maintenance mechanic, Braga",
        "city": "Braga",
        "country": "Portugal",
        "start": "2026-11-16",
        "end": "2026-12-11",
        "duration_days": 26,
        "working_days": 18,
    },
    "qualification": {"name": "Maintenance mechanic", "eqf_level": 3},
    "units": [
        {
            "title": "Health, safety and order in the workshop",
            "outcomes": _outcomes(
                ("Uses personal protective equipment correctly", "Skills", "Independently", 3),
                (
                    "Names the hazards of the machines in use and the rules against them",
                    "Knowledge",
                    "Independently",
                    3,
                ),
                (
                    "Keeps the workplace clean and tools in order at the end of the shift",
                    "Responsibility and autonomy",
                    "Independently and can explain",
                    4,
                ),
                (
                    "Reports a fault or an unsafe situation to the mentor at once",
                    "Responsibility and autonomy",
                    "Independently",
                    3,
                ),
            ),
        },
        {
            "title": "Preventive maintenance of machines and installations",
            "outcomes": _outcomes(
                ("Reads a maintenance plan and a simple technical drawing", "Knowledge", "With help", 2),
                (
                    "Lubricates, cleans and checks machines following the maintenance sheet",
                    "Skills",
                    "Independently",
                    3,
                ),
                ("Checks belts, bearings and couplings for wear", "Skills", "With help", 2),
                ("Records the work done in the maintenance log", "Responsibility and autonomy", "Independently", 3),
            ),
        },
        {
            "title": "Dismantling, repairing and reassembling mechanical parts",
            "outcomes": _outcomes(
                ("Chooses hand tools and measuring instruments for the task", "Skills", "Independently", 3),
                ("Dismantles and reassembles a gearbox in the right order", "Skills", "With help", 2),
                (
                    "Measures parts with a caliper and compares them with the tolerances",
                    "Knowledge",
                    "Independently",
                    3,
                ),
                ("Replaces worn parts and tests the machine with the mentor", "Skills", "Not yet", 1),
            ),
        },
        {
            "title": "Working in a team at a company abroad",
            "outcomes": _outcomes(
                (
                    "Understands work instructions in Portuguese or English with gestures and drawings",
                    "Knowledge",
                    "Independently",
                    3,
                ),
                (
                    "Arrives on time and follows the working hours of the company",
                    "Responsibility and autonomy",
                    "Independently and can explain",
                    4,
                ),
                (
                    "Asks for help and accepts feedback from colleagues",
                    "Responsibility and autonomy",
                    "Independently",
                    3,
                ),
                ("Describes the tasks of the day in a short report", "Skills", "not assessed", None),
            ),
        },
    ],
    "attendance": {"present_days": 17, "expected_days": 18, "rate": 94, "hours_done": "136", "hours_expected": "144"},
    "signatures": [
        {"role": "Mentor at the host organisation", "name": "Rui Gonçalves"},
        {"role": "Holder", "name": "Ștefan Lăcătuș"},
        {"role": "Sending organisation", "name": "Mirela Constantinescu"},
    ],
}


def render_certificate(data=SAMPLE):
    return render_pdf(TEMPLATE, {"data": copy.deepcopy(data), "qr": qr_svg(data["verification_url"])})


@pytest.fixture(scope="module")
def certificate_pdf(tmp_path_factory):
    path = tmp_path_factory.mktemp("certificate") / "certificate.pdf"
    path.write_bytes(render_certificate())
    return path


def poppler(tool, path, *options):
    return run_tool(tool, *options, str(path), "-")


@pytest.mark.parametrize(
    "expected",
    [
        "Ștefan Lăcătuș",
        "Metalúrgica do Cávado, Lda.",
        "Intercâmbio Minho",
        "Associação",
        "Rui Gonçalves",
        "técnico",
        "Bacău",
        "RO-2026-187412-0001",
        "https://mobility.example.org/verify/k3J9xQ7mZp2LwT8vN4sR/",
        "Co-funded by the European Union",
        "Neither the European Union nor EACEA can be held responsible for them.",
    ],
)
def test_certificate_prints_the_exact_text(certificate_pdf, expected):
    text = " ".join(poppler("pdftotext", certificate_pdf, "-layout").split())
    assert expected in text


def test_certificate_prints_romanian_comma_below_letters_not_cedillas(certificate_pdf):
    text = poppler("pdftotext", certificate_pdf, "-layout")
    assert "ș" in text and "ş" not in text and "ţ" not in text


def test_certificate_embeds_the_shipped_dejavu_fonts(certificate_pdf):
    fonts = run_tool("pdffonts", str(certificate_pdf))
    names = [row.split()[0].split("+")[-1] for row in fonts.splitlines()[2:]]
    # print.css names the family "DejaVuSans Print": a system DejaVu Sans would show under its own name.
    assert {"DejaVuSans-Print", "DejaVuSans-Print-Bold"} <= set(names)
    assert all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:]), "every font embedded"


def test_certificate_with_sixteen_outcomes_fits_on_two_pages(certificate_pdf):
    info = run_tool("pdfinfo", str(certificate_pdf))
    pages = next(int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:"))
    assert pages <= 2


def test_reissue_of_the_same_data_gives_the_same_bytes():
    assert hashlib.sha256(render_certificate()).hexdigest() == hashlib.sha256(render_certificate()).hexdigest()


def test_the_shared_fonts_and_stylesheet_change_no_byte(monkeypatch):
    """A worker reuses one font configuration and one parsed print.css for every document; a fresh process
    (a restarted worker) must still print exactly the same certificate."""
    warm = render_certificate()
    shared = rendering.toolkit()
    assert rendering.toolkit() is shared, "prepared once per process"
    monkeypatch.setattr(rendering, "_toolkit", None)
    cold = render_certificate()
    assert rendering.toolkit() is not shared
    assert cold == warm


def test_a_forked_process_prepares_its_own_fonts(monkeypatch):
    shared = rendering.toolkit()
    monkeypatch.setattr(rendering.os, "getpid", lambda: shared.pid + 1)
    assert rendering.toolkit() is not shared


def test_the_floor_goes_through_the_same_pipeline():
    """The benchmark's floor is a one-word document rendered by write_pdf, as every document is."""
    assert write_pdf("<p>x</p>", print_css=False).startswith(b"%PDF-")


def _long_certificate(length):
    """The sample with every outcome text stretched to ``length`` characters (the demo's average about 100)."""
    data = copy.deepcopy(SAMPLE)
    data["holder"].update(first_name="Ștefan", last_name="Țurcanu")
    suffix = ", keeping to the drawing, the tolerances and the safety rules the mentor explained on the first day"
    for unit in data["units"]:
        for outcome in unit["outcomes"]:
            outcome["text"] = (outcome["text"] + suffix)[:length].rstrip(" ,")
    return data


def _pages(path):
    info = run_tool("pdfinfo", str(path))
    return next(int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:"))


def test_outcomes_as_long_as_the_demos_keep_two_pages(tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(render_certificate(_long_certificate(105)))
    assert _pages(path) == 2


def test_the_verification_never_leaves_the_eu_statement_alone_on_a_page(tmp_path):
    path = tmp_path / "longest.pdf"
    path.write_bytes(render_certificate(_long_certificate(150)))
    pages = _pages(path)
    last = " ".join(poppler("pdftotext", path, "-f", str(pages), "-l", str(pages)).split())
    assert "Check this certificate at" in last and "Co-funded by the European Union" in last
