"""The printed certificate: what a reader and a PDF tool find in it, and that a reissue is byte for byte the same."""

import copy
import hashlib
import shutil
import subprocess

import pytest

from reports.rendering import STATIC_DIR, LocalFileFetcher, qr_svg, render_pdf

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")

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
    return subprocess.run([tool, *options, str(path), "-"], capture_output=True, check=True, text=True).stdout


@needs_poppler
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


@needs_poppler
def test_certificate_prints_romanian_comma_below_letters_not_cedillas(certificate_pdf):
    text = poppler("pdftotext", certificate_pdf, "-layout")
    assert "ș" in text and "ş" not in text and "ţ" not in text


@needs_poppler
def test_certificate_embeds_the_shipped_dejavu_fonts(certificate_pdf):
    fonts = subprocess.run(["pdffonts", str(certificate_pdf)], capture_output=True, check=True, text=True).stdout
    names = [row.split()[0].split("+")[-1] for row in fonts.splitlines()[2:]]
    # print.css names the family "DejaVuSans Print": a system DejaVu Sans would show under its own name.
    assert {"DejaVuSans-Print", "DejaVuSans-Print-Bold"} <= set(names)
    assert all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:]), "every font embedded"


@needs_poppler
def test_certificate_with_sixteen_outcomes_fits_on_two_pages(certificate_pdf):
    info = subprocess.run(["pdfinfo", str(certificate_pdf)], capture_output=True, check=True, text=True).stdout
    pages = next(int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:"))
    assert pages <= 2


def test_reissue_of_the_same_data_gives_the_same_bytes():
    assert hashlib.sha256(render_certificate()).hexdigest() == hashlib.sha256(render_certificate()).hexdigest()


@needs_poppler
def test_creation_date_is_the_issue_date(certificate_pdf):
    info = subprocess.run(["pdfinfo", "-isodates", str(certificate_pdf)], capture_output=True, check=True, text=True)
    assert "CreationDate:    2026-12-11T00:00:00" in info.stdout


def test_fetcher_refuses_the_network():
    with pytest.raises(ValueError, match="disallowed protocol"):
        LocalFileFetcher().fetch("https://example.org/font.ttf")


def test_fetcher_refuses_files_outside_static():
    with pytest.raises(ValueError, match="outside"):
        LocalFileFetcher().fetch((STATIC_DIR.parent / "manage.py").as_uri())


def test_fetcher_reads_shipped_static_files():
    response = LocalFileFetcher().fetch((STATIC_DIR / "img" / "eu-emblem.svg").as_uri())
    try:
        assert b"<svg" in response.read()
    finally:
        response.close()


def test_qr_svg_is_inline_markup_without_xml_declaration():
    svg = qr_svg("https://mobility.example.org/verify/abc/")
    assert svg.startswith("<svg") and "<?xml" not in svg
