"""Spreadsheet files in and out: CSV (UTF-8 with or without BOM, comma or semicolon) and XLSX."""

import csv
import io
import zipfile
from datetime import date, datetime

from django.utils.translation import gettext as _

MAX_ROWS = 5000
MAX_COLUMNS = 60
# Blank rows are skipped but still read: a sheet can name row 1,048,576 in a few bytes and openpyxl fills the gap
# with empty rows, so the rows read, blank or not, have a limit of their own.
MAX_LINES = 2 * MAX_ROWS
# A 5 MB upload can unpack to gigabytes (a ZIP bomb). An honest sheet of MAX_ROWS x MAX_COLUMNS is some 15 MB.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 1000
# A cell starting with one of these is run as a formula by Excel or LibreOffice when the CSV is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says why, for the upload page."""


def file_format(name, content):
    """ "csv" or "xlsx", judged by the content (an XLSX is a ZIP with a workbook in it), not by the name alone."""
    lower = name.lower()
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if "xl/workbook.xml" in archive.namelist() and lower.endswith(".xlsx"):
                    return "xlsx"
        except zipfile.BadZipFile:
            pass
        raise FileProblem(_("This file is not a CSV or XLSX spreadsheet."))
    if lower.endswith((".csv", ".txt")) and b"\x00" not in content[:4096]:
        return "csv"
    raise FileProblem(_("Upload a CSV or XLSX file (an .xls file must be saved as .xlsx first)."))


def read_rows(name, content):
    """The header and the data rows as (line number, list of cells); blank rows are skipped but counted."""
    is_xlsx = file_format(name, content) == "xlsx"
    rows = _xlsx_rows(content) if is_xlsx else _csv_rows(content)
    try:
        return _table(rows)
    except csv.Error as error:
        raise FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None
    except FileProblem:
        raise
    except Exception as error:
        if is_xlsx:  # a damaged workbook can fail while its rows are read
            raise FileProblem(_("The XLSX file cannot be read.")) from error
        raise


def _table(rows):
    try:
        header = next(rows)
    except StopIteration:
        raise FileProblem(_("The file is empty.")) from None
    header = [_text(cell) for cell in header]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise FileProblem(_("The file has more than %(count)d columns.") % {"count": MAX_COLUMNS})
    data = []
    for line, cells in enumerate(rows, start=2):
        if line > MAX_LINES:
            raise too_many_lines()
        if not any(_text(c) for c in cells):
            continue
        if len(data) >= MAX_ROWS:
            raise FileProblem(_("The file has more than %(count)d rows; split it.") % {"count": MAX_ROWS})
        data.append((line, list(cells[: len(header)])))
    return header, data


def _csv_rows(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # What Romanian Excel writes as "CSV (comma delimited)" when not asked for UTF-8.
        text = content.decode("cp1250", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    return iter(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def too_many_lines():
    return FileProblem(
        _("The sheet has more than %(count)d rows, blank ones included: delete the empty rows or split it.")
        % {"count": MAX_LINES}
    )


def check_unpacked_size(content):
    """Refuse a workbook that unpacks to more than MAX_UNPACKED_BYTES, before openpyxl opens it. The sizes in
    the ZIP's directory bound the work: zipfile never lets a member grow past its stated size (a member that
    would is cut short and fails its checksum)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise FileProblem(
            _("The XLSX file unpacks to more than %(size)d MB: save only the sheet to import, or split it.")
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _xlsx_rows(content):
    from openpyxl import load_workbook

    try:
        check_unpacked_size(content)
    except zipfile.BadZipFile as error:
        raise FileProblem(_("The XLSX file cannot be read.")) from error
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise FileProblem(_("The XLSX file cannot be read.")) from error
    if not workbook.worksheets:
        raise FileProblem(_("The XLSX file has no sheet."))
    sheet = workbook.worksheets[0]
    if (sheet.max_row or 0) > MAX_LINES:  # the size the sheet states for itself
        raise too_many_lines()
    # The stated size is only a hint (some programs write a wrong one, and openpyxl would stop there): read
    # every row there is, up to the limit.
    sheet.reset_dimensions()
    return (list(row) for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1, max_row=MAX_LINES + 2))


def _text(value):
    return "" if value is None else str(value).strip()


def cell_text(value):
    """A cell as the text a form would receive: numbers without a spurious ".0", dates in ISO form, and the
    apostrophe that our CSV export puts before a formula-like value taken off again."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


def neutralise(value):
    """A text cell that a spreadsheet would not run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(header, rows):
    """UTF-8 with a BOM and semicolons, which Romanian Excel opens as it is; formula-like cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(v.isoformat() if isinstance(v, date) else ("" if v is None else v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(header, rows, title):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                # openpyxl would store "=..." as a formula; text stays text.
                cell.data_type = "s"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(name) + 4))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
