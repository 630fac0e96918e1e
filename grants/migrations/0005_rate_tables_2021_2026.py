"""The rate tables of the calls 2021 to 2026 for VET mobility (KA121-VET and KA122-VET use the same unit costs),
shipped as reference data. Each figure carries its source; a figure no source here gives is left EMPTY, marked
to be entered from the National Agency's table, and no grant is computed from it.

Sources, as the project's domain notes (DOMAIN.md, section Money) report them:
- travel bands 2021-2023: 23 / 180 / 275 / 360 / 530 / 820 / 1,500 EUR, green 45 / 210 / 320 / 410 / 610 EUR
  (Programme Guide 2021, 2022 and 2023 editions; the 100-3,999 km standard and green amounts also checked
  against universities' published copies of the table);
- travel bands from the 2024 call: 28 / 211 / 309 / 395 / 580 / 1,188 / 1,735 EUR, green 56 / 285 / 417 / 535 /
  785 EUR (Programme Guide 2024, as reported; check against the edition of your call);
- funded travel days: 2 for standard travel, up to 6 for green travel;
- individual support: from the 15th day (travel days counted) 70 % of the daily rate; the daily rates per
  receiving-country group are the National Agency's own: empty here;
- organisational support: 350 EUR per participant up to the 100th, 200 EUR beyond (calls 2021-2023); later
  calls: empty, to be entered from the Guide of the call;
- inclusion support for organisations: 100 EUR per participant with fewer opportunities (2021-2023), 125 EUR
  from the 2024 call;
- exceptional costs for expensive travel: when the standard amount covers less than 70 % of the real cost,
  80 % of the eligible real cost replaces it;
- linguistic support and preparatory visits (a unit cost per person, at most 3 persons a visit): the amounts are
  empty, to be entered from the Guide of the call.

An existing table of the same call year (typed by a coordinator, or the demo's example) is left as it is.
"""

from decimal import Decimal

from django.db import migrations

NA_TABLE = "To be entered from your National Agency's table"
FROM_GUIDE = "To be entered from the Programme Guide of the call year"
CALLS_2021_2023 = {
    "bands": [
        (10, 99, "23", "45"),
        (100, 499, "180", "210"),
        (500, 1999, "275", "320"),
        (2000, 2999, "360", "410"),
        (3000, 3999, "530", "610"),
        (4000, 7999, "820", None),
        (8000, None, "1500", None),
    ],
    "organisational": ("350", "200"),
    "inclusion": "100",
}
CALLS_FROM_2024 = {
    "bands": [
        (10, 99, "28", "56"),
        (100, 499, "211", "285"),
        (500, 1999, "309", "417"),
        (2000, 2999, "395", "535"),
        (3000, 3999, "580", "785"),
        (4000, 7999, "1188", None),
        (8000, None, "1735", None),
    ],
    "organisational": (None, None),
    "inclusion": "125",
}
# The receiving-country groups of the Guide's individual support table (VET), EU and associated countries.
GROUPS = [
    (1, "DK, FI, IS, IE, LU, SE, LI, NO"),
    (2, "AT, BE, DE, FR, IT, GR, ES, CY, NL, MT, PT"),
    (3, "BG, HR, CZ, EE, LV, LT, HU, PL, RO, RS, SK, SI, MK, TR"),
]


def guide(year):
    return f"Erasmus+ Programme Guide {year}, VET mobility, funding rules (as reported in DOMAIN.md, section Money)"


def load(apps, schema_editor):
    RateTable = apps.get_model("grants", "RateTable")
    TravelBand = apps.get_model("grants", "TravelBand")
    CountryGroup = apps.get_model("grants", "CountryGroup")
    for year in range(2021, 2027):
        if RateTable.objects.filter(call_year=year).exists():
            continue
        call = CALLS_2021_2023 if year <= 2023 else CALLS_FROM_2024
        source = guide(year)
        first, beyond = call["organisational"]
        table = RateTable.objects.create(
            call_year=year,
            label=f"VET mobility, call {year}",
            actions="KA121-VET, KA122-VET",
            source=f"{source}; daily rates: {NA_TABLE}",
            standard_travel_days=2,
            standard_travel_days_source=source,
            green_travel_days=6,
            green_travel_days_source=source,
            organisational_support=Decimal(first) if first else None,
            organisational_support_up_to=100,
            organisational_support_beyond=Decimal(beyond) if beyond else None,
            organisational_support_source=source if first else FROM_GUIDE,
            inclusion_support=Decimal(call["inclusion"]),
            inclusion_support_source=source,
            linguistic_support=None,
            linguistic_support_source=NA_TABLE,
            exceptional_travel_threshold=70,
            exceptional_travel_share=80,
            exceptional_travel_share_source=source,
            preparatory_visit=None,
            preparatory_visit_persons=3,
            preparatory_visit_source=f"{FROM_GUIDE} (at most 3 persons a visit: {source})",
            long_stay_from_day=15,
            long_stay_percent=70,
            long_stay_source=source,
            transfer_limit_percent=None,
            transfer_limit_source="To be entered from your grant agreement's article on budget flexibility",
        )
        for low, high, standard, green in call["bands"]:
            TravelBand.objects.create(
                table=table,
                min_km=low,
                max_km=high,
                standard_amount=Decimal(standard),
                green_amount=Decimal(green) if green else None,
                source=source,
            )
        for number, countries in GROUPS:
            CountryGroup.objects.create(
                table=table,
                number=number,
                countries=countries,
                learner_per_day=None,
                accompanying_per_day=None,
                source=f"Countries: {source}. Daily rates: {NA_TABLE}",
            )


def unload(apps, schema_editor):
    """Remove the shipped tables that nobody completed (daily rates still empty)."""
    RateTable = apps.get_model("grants", "RateTable")
    for table in RateTable.objects.filter(call_year__range=(2021, 2026), label__startswith="VET mobility, call "):
        if not table.groups.exclude(learner_per_day=None).exists():
            table.delete()


class Migration(migrations.Migration):
    dependencies = [("grants", "0004_rules_of_the_guide")]

    operations = [migrations.RunPython(load, unload)]
