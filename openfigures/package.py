"""The open figures as a Frictionless Data Package: one CSV file per table, described by a table schema in
`datapackage.json` (https://specs.frictionlessdata.io/), zipped. A hidden cell is an empty field, declared as a
missing value, and the package says why."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from django.utils import timezone

from .indicators import SITUATIONS, Figures

ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _field(name: str, kind: str, description: str) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": kind, "description": description}
    if kind == "integer":
        field["constraints"] = {"minimum": 0}
    return field


FLOW_FIELDS = [
    _field("project", "string", "The project's grant agreement number (or title when it has none yet)."),
    _field("flow", "string", "The flow (practice stage); empty on the project's total row."),
    _field("qualification", "string", "The qualification the flow trains for."),
    _field("host_country", "string", "ISO 3166-1 alpha-2 code of the host country."),
    _field("start", "date", "First day."),
    _field("end", "date", "Last day."),
    _field("participants", "integer", "Learners on the flow (those who withdrew not counted)."),
    _field("fewer_opportunities", "integer", "Participants with fewer opportunities (any category)."),
    _field("completed", "integer", "Participants who completed the stage."),
    _field("green_travel", "integer", "Participants who travelled by low-emission means (train, bus, car-sharing)."),
    _field("recognition_decided", "integer", "Participants whose learning outcomes' recognition was decided."),
    _field("certificates", "integer", "Mobility certificates issued (not revoked)."),
    _field("credentials", "integer", "Europass Mobility documents and digital credentials issued."),
    _field("days_planned", "integer", "Days of activity planned: participants times the flow's days."),
    _field("completion_rate", "number", "Days attended of days expected so far, in per cent."),
]
GRADUATE_FIELDS = [
    _field("project", "string", "The project's grant agreement number (or title)."),
    _field("months", "integer", "Months after the end of the stage: 3, 6 or 12."),
    _field("graduates", "integer", "Graduates whose checkpoint is reached."),
    *(_field(s, "integer", f"Graduates in the situation '{s}' ('unknown': not reached).") for s in SITUATIONS),
]
EMPLOYER_FIELDS = [
    _field("project", "string", "The project's grant agreement number (or title)."),
    _field("employers", "integer", "Local employers in the school's address book (organisations, not people)."),
]


def _csv(fields: list[dict[str, Any]], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = [f["name"] for f in fields]
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else row[name] for name in names])
    return buffer.getvalue().encode()


def descriptor(name: str, title: str, figures: Figures) -> dict[str, Any]:
    note = (
        f"Cells that count people are left empty when they count fewer than {figures.threshold} (or when the rest"
        " of their row's total does), and so are other cells that would let a reader work out an empty one by"
        " adding or subtracting. Nothing here names or describes a person."
    )
    schema = {"missingValues": [""]}

    def resource(slug: str, fields: list[dict[str, Any]], description: str) -> dict[str, Any]:
        return {
            "name": slug,
            "path": f"{slug}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "description": description,
            "schema": {**schema, "fields": fields},
        }

    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": note,
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": [
            {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}
        ],
        "resources": [
            resource("flows", FLOW_FIELDS, "Per flow and per project (total rows): participants and what they did."),
            resource("graduates", GRADUATE_FIELDS, "Graduates' situation 3, 6 and 12 months after the stage."),
            resource("employers", EMPLOYER_FIELDS, "Local employers involved."),
        ],
    }


def package_zip(name: str, title: str, figures: Figures) -> bytes:
    files = {
        "datapackage.json": json.dumps(descriptor(name, title, figures), ensure_ascii=False, indent=2).encode(),
        "flows.csv": _csv(FLOW_FIELDS, figures.flows.rows),
        "graduates.csv": _csv(GRADUATE_FIELDS, figures.graduates.rows),
        "employers.csv": _csv(EMPLOYER_FIELDS, figures.employers),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, content in files.items():
            archive.writestr(zipfile.ZipInfo(filename, date_time=ZIP_TIME), content)
    return buffer.getvalue()
