"""One worksheet written as an .xlsx file directly (SpreadsheetML, ECMA-376), for the Beneficiary Module's
mobility file: openpyxl's streaming writer spent about half of the export's time on 30 rows (an lxml element a
cell, a workbook's default parts). What it writes: text as inline strings (never a formula, whatever it begins
with), numbers, amounts with two decimals (built-in format 2, "0.00"), a bold first row, rows frozen above a
cell. An empty value is no cell. Read back by openpyxl, LibreOffice and Excel as the streaming writer's was."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

# Characters XML 1.0 does not allow: left out (openpyxl refuses them; the forms never let them in).
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
PLAIN, BOLD, AMOUNT = 0, 1, 2  # cellXfs below

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""
PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""
SHEET_START = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews><sheetData>"""
PANE = '<pane ySplit="{rows}" topLeftCell="A{first}" activePane="bottomLeft" state="frozen"/>'
SHEET_END = "</sheetData></worksheet>"


@cache
def column(index: int) -> str:
    """The letters of the 0-based column `index` (A, …, Z, AA, …)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(reference: str, value: Any, style: int) -> str:
    styled = f' s="{style}"' if style else ""
    if isinstance(value, Decimal):
        return f'<c r="{reference}" s="{AMOUNT}"><v>{float(value)!r}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{reference}"{styled} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{reference}"{styled}><v>{value!r}</v></c>'
    text = ILLEGAL.sub("", str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{reference}"{styled} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def workbook(sheet_name: str, rows: list[list[Any]], *, bold_rows: int = 1, frozen_rows: int = 0) -> bytes:
    """The .xlsx file of one sheet `sheet_name` holding `rows` (lists of values; None or "" is no cell, except a
    row's last, kept as an empty cell so that a reader without the sheet's size sees the row's whole width)."""
    pane = PANE.format(rows=frozen_rows, first=frozen_rows + 1) if frozen_rows else ""
    parts = [SHEET_START.format(pane=pane)]
    for number, values in enumerate(rows, start=1):
        style = BOLD if number <= bold_rows else PLAIN
        cells = []
        last = len(values) - 1
        for index, value in enumerate(values):
            if value is None or value == "":
                if index == last:
                    cells.append(f'<c r="{column(index)}{number}"/>')
                continue
            cells.append(_cell(f"{column(index)}{number}", value, style))
        parts.append(f'<row r="{number}">{"".join(cells)}</row>')
    parts.append(SHEET_END)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.format(name=escape(sheet_name, {'"': "&quot;"})))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(parts))
    return buffer.getvalue()
