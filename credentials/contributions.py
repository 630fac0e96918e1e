"""What this app gives other apps through common.sections."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from .models import EuropassMobility
from .services import TEXTS


def forget_learner(
    participant_id: int, assignment_ids: Sequence[int], holder: dict[str, Any], scrub: Callable[[Any], Any]
) -> list[str]:
    """common.sections.ANONYMISE: like the certificate, the document keeps what was learned; the holder's name
    and date of birth are replaced, the texts lose the names, and the files (which print them) go."""
    paths = []
    for europass in EuropassMobility.objects.filter(assignment_id__in=assignment_ids):
        data = scrub(europass.data)
        if isinstance(data.get("holder"), dict):
            born = holder["date_of_birth"]
            data["holder"] = {
                **data["holder"],
                "first_name": holder["first_name"],
                "last_name": holder["last_name"],
                "date_of_birth": born.isoformat() if isinstance(born, date) else born,
            }
        paths.extend(europass.files.values())
        texts = {name: scrub(getattr(europass, name)) for name in TEXTS}
        EuropassMobility.objects.filter(pk=europass.pk).update(data=data, files={}, **texts)
        EuropassMobility.history.filter(id=europass.pk).delete()
    return paths
