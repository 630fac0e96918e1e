"""The door to imports: a pending or finished import is its uploader's only (no one else reads or changes it)."""

from typing import Any

from django.shortcuts import get_object_or_404

from .models import ImportBatch


def batch_for(user: Any, pk: object) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.filter(uploaded_by=user), pk=pk)  # a UUID, checked by the URL


def batch_to_change(user: Any, pk: object) -> ImportBatch:
    return batch_for(user, pk)
