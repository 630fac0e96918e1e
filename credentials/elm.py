"""The learner's European Digital Credential (European Learning Model 3), in the EDC issuer's "uploadable"
form: the credential as JSON-LD, unsealed, inside {"credential": ...}. The school loads it into the Commission's
issuer and seals it there with its own eSeal; this application never seals and never claims to.

Built from the issued Europass Mobility's frozen data only, so the same issued document always gives the same
file. The model's published shapes (reference/, with their licence) are what the tests validate every file
against; a sealed credential adds what the issuer fills in on sealing (`issued`, the issuer's eIDAS
identifier), which is why an uploadable file is expected to lack exactly those two.
"""

from __future__ import annotations

import base64
import io
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django_countries import countries

if TYPE_CHECKING:
    from rdflib import Graph

REFERENCE = Path(__file__).parent / "reference"
CONTEXTS = ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"]
# Local copies of the two contexts, so that reading a file back needs no network.
CONTEXT_FILES = {CONTEXTS[0]: "credentials-v1.jsonld", CONTEXTS[1]: "edc-ap-context.jsonld"}
SHAPES = "EDC-generic-no-cv.ttl"
# Filled in by the Commission's issuer when the school seals the credential: absent from an uploadable file.
FILLED_ON_SEALING = (
    "https://www.w3.org/2018/credentials#issued",
    "http://data.europa.eu/snb/model/elm/eidasLegalIdentifier",
)

AUTHORITY = "http://publications.europa.eu/resource/authority"
LANGUAGES = {"en": ("ENG", "English"), "ro": ("RON", "Romanian"), "pt": ("POR", "Portuguese")}


def _concept(scheme: str, code: str, label: str) -> dict[str, Any]:
    return {
        "id": f"{AUTHORITY}/{scheme}/{code}",
        "type": "Concept",
        "inScheme": {"id": f"{AUTHORITY}/{scheme}", "type": "ConceptScheme"},
        "notation": scheme,
        "prefLabel": {"en": label},
    }


def _country(code: str) -> dict[str, Any]:
    alpha3 = countries.alpha3(code) or code
    return _concept("country", alpha3, str(countries.name(code)) if code else alpha3)


def _language(code: str) -> dict[str, Any]:
    return _concept("language", *LANGUAGES[code])


def _text(value: str, language: str) -> dict[str, str]:
    return {language: value}


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def credential(data: dict[str, Any], *, display_image: bytes) -> dict[str, Any]:
    """The uploadable credential of an issued Europass Mobility (`data`: EuropassMobility.data)."""
    language = data.get("language", "en")[:2]
    if language not in LANGUAGES:
        language = "en"
    holder, placement, qualification = data["holder"], data["placement"], data["qualification"]
    school, host = data["sending"], data["host"]
    full_name = f"{holder['first_name']} {holder['last_name']}"
    school_country = _country_code(school["country"]) or "RO"
    issuer: dict[str, Any] = {
        "id": "urn:epass:org:1",
        "type": "Organisation",
        "legalName": _text(school["name"], language),
        "location": {
            "id": "urn:epass:location:1",
            "type": "Location",
            "address": {"id": "urn:epass:address:1", "type": "Address", "countryCode": _country(school_country)},
        },
    }
    if school.get("oid"):
        issuer["identifier"] = {
            "id": "urn:epass:identifier:1",
            "type": "Identifier",
            "schemeName": "Erasmus+ Organisation ID (OID)",
            "notation": school["oid"],
        }
    awarded = {"id": "urn:epass:awardingProcess:1", "type": "AwardingProcess", "awardingBody": issuer}
    host_country = _country_code(placement["country"]) or _country_code(host.get("country", ""))
    title = f"Erasmus+ work-based learning abroad: {placement['title']}"
    hours = data["attendance"]["hours_done"]
    activity: dict[str, Any] = {
        "id": "urn:epass:activity:1",
        "type": "LearningActivity",
        "title": _text(title, language),
        "description": _text("\n".join(data["texts"]["activities"]), language),
        "awardedBy": awarded,
        "temporal": {
            "id": "urn:epass:period:1",
            "type": "PeriodOfTime",
            "startDate": _timestamp(placement["start"]),
            "endDate": _timestamp(placement["end"]),
        },
        "workload": f"PT{_whole_hours(hours)}H",
    }
    if host_country:
        activity["location"] = {
            "id": "urn:epass:location:2",
            "type": "Location",
            "address": {"id": "urn:epass:address:2", "type": "Address", "countryCode": _country(host_country)},
        }
    if host.get("name"):
        activity["directedBy"] = {
            "id": "urn:epass:org:2",
            "type": "Organisation",
            "legalName": _text(host["name"], language),
            "location": {
                "id": "urn:epass:location:3",
                "type": "Location",
                "address": {
                    "id": "urn:epass:address:3",
                    "type": "Address",
                    "countryCode": _country(_country_code(host.get("country", "")) or host_country or school_country),
                },
            },
        }
    outcomes = [
        {"id": f"urn:epass:learningOutcome:{n}", "type": "LearningOutcome", "title": _text(text, language)}
        for n, text in enumerate(data["texts"]["job_skills"], start=1)
    ]
    achievement: dict[str, Any] = {
        "id": "urn:epass:achievement:1",
        "type": "LearningAchievement",
        "title": _text(f"{qualification['name']} (EQF {qualification['eqf_level']}): skills shown at work", language),
        "awardedBy": awarded,
        "specifiedBy": {
            "id": "urn:epass:achievementSpec:1",
            "type": "LearningAchievementSpecification",
            "title": _text(qualification["name"], language),
            "learningOutcome": outcomes,
        },
    }
    languages = sorted({language, "en"})
    image = {
        "id": "urn:epass:mediaObject:1",
        "type": "MediaObject",
        "content": base64.b64encode(display_image).decode(),
        "contentEncoding": {
            "id": "http://data.europa.eu/snb/encoding/6146cde7dd",
            "type": "Concept",
            "inScheme": {"id": "http://data.europa.eu/snb/encoding/25831c2", "type": "ConceptScheme"},
            "prefLabel": {"en": "base64"},
        },
        "contentType": _concept("file-type", "PNG", "PNG"),
    }
    document = {
        "id": f"urn:credential:{data['credential_id']}",
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": {
            "id": "http://data.europa.eu/snb/credential/e34929035b",
            "type": "Concept",
            "inScheme": {"id": "http://data.europa.eu/snb/credential/25831c2", "type": "ConceptScheme"},
            "prefLabel": {"en": "Generic"},
        },
        "displayParameter": {
            "id": "urn:epass:displayParameter:1",
            "type": "DisplayParameter",
            "title": _text("Europass Mobility: " + full_name, "en"),
            "language": [_language(code) for code in languages],
            "primaryLanguage": _language("en"),
            "individualDisplay": {
                "id": "urn:epass:individualDisplay:1",
                "type": "IndividualDisplay",
                "language": _language("en"),
                "displayDetail": {
                    "id": "urn:epass:displayDetail:1",
                    "type": "DisplayDetail",
                    "image": image,
                    "page": 1,
                },
            },
        },
        "credentialSchema": {"id": "http://data.europa.eu/snb/model/ap/edc-generic-full", "type": "ShaclValidator2017"},
        "credentialSubject": {
            "id": "urn:epass:person:1",
            "type": "Person",
            "givenName": _text(holder["first_name"], language),
            "familyName": _text(holder["last_name"], language),
            "fullName": _text(full_name, language),
            "dateOfBirth": _timestamp(holder["date_of_birth"]),
            "hasClaim": [activity, achievement],
        },
        "issuer": issuer,
        "validFrom": _timestamp(data["europass_issued_on"]),
        "@context": CONTEXTS,
    }
    return {"credential": document}


def _country_code(name_or_code: str) -> str:
    """The certificate keeps a country's name (in the language it was issued in): back to its code."""
    if not name_or_code:
        return ""
    if len(name_or_code) == 2 and name_or_code.upper() in dict(countries):
        return name_or_code.upper()
    return countries.by_name(name_or_code) or countries.by_name(name_or_code, language="ro") or ""


def _whole_hours(hours: str) -> int:
    return max(1, round(float(hours or 0)))


def first_page_png(pdf: bytes) -> bytes:
    """The first page of the Europass Mobility PDF as a PNG: the credential's display image."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=1.5).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# Reading a file back, for the tests and for anyone checking a file: the model's shapes, no network.


@cache
def _context(url: str) -> Any:
    return json.loads((REFERENCE / CONTEXT_FILES[url]).read_text())["@context"]


def graph(document: dict[str, Any]) -> Graph:
    """The RDF graph of an uploadable credential, its contexts read from the local copies."""
    from rdflib import Graph

    body = dict(document["credential"])
    body["@context"] = [_context(url) for url in body["@context"]]
    return Graph().parse(data=json.dumps(body), format="json-ld")


@cache
def _shapes() -> Graph:
    from rdflib import Graph

    return Graph().parse(REFERENCE / SHAPES)


def violations(document: dict[str, Any]) -> list[tuple[str, str]]:
    """(path, message) of every SHACL violation of the credential against the EDC application profile, the
    innermost one where a shape of a nested node failed (the issuer's, say)."""
    from pyshacl import validate
    from rdflib.namespace import SH

    _conforms, report, _text_report = validate(graph(document), shacl_graph=_shapes(), inference="none")

    def leaves(result: Any) -> list[tuple[str, str]]:
        details = list(report.objects(result, SH.detail))
        if not details:
            return [(str(report.value(result, SH.resultPath)), str(report.value(result, SH.resultMessage)))]
        return [leaf for detail in details for leaf in leaves(detail)]

    found = []
    nested = set(report.objects(None, SH.detail))
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        if result not in nested:
            found.extend(leaves(result))
    return found


def unexpected_violations(document: dict[str, Any]) -> list[tuple[str, str]]:
    """The violations an uploadable file must not have: all but what sealing fills in."""
    return [(path, message) for path, message in violations(document) if path not in FILLED_ON_SEALING]
