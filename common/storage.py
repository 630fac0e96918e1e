"""The private file storage (documents, uploads) as model fields see it, and the few operations on it that
Django's Storage API lacks, for both backends (a folder, or an S3-compatible object store).

A FileField resolves its storage once, when models load; tests and deployments swap STORAGES["private"]
afterwards. This proxy asks `storages["private"]` again whenever the setting changes, so a field never writes
where the rest of the application no longer looks.
"""

import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


PRIVATE = PrivateStorage()


def private_storage():
    """For `FileField(storage=private_storage)`: migrations record this function, not a path."""
    return PRIVATE


@receiver(setting_changed)
def _follow_setting(setting, **kwargs):
    if setting == "STORAGES":
        PRIVATE._wrapped = empty


def local_path(storage: Storage, name: str) -> Path | None:
    """The file's path on this machine's disk, or None on an object store."""
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


def replace(storage: Storage, name: str, content: bytes | IO[bytes]) -> None:
    """Write `content` (bytes or a binary stream) at exactly `name`, replacing what is there, so that a reader
    never sees half a file. `save()` would pick another name when one is taken; an object store replaces an
    object in one step anyway, so there `_save` (the backend's own write, without the name check) is the job."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else content
    target = local_path(storage, name)
    if target is None:
        storage._save(name, File(stream, name=name))
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    with open(temporary, "wb") as copy:
        shutil.copyfileobj(stream, copy, 1024 * 1024)
    os.replace(temporary, target)


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name under `folder`, sorted, on either backend (an object store has no folders, only
    prefixes, which `listdir` presents as folders)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder.rstrip('/')}/" if folder else ""
    entries = [(name, False) for name in files] + [(name, True) for name in folders]
    for name, is_folder in sorted(entries):
        if is_folder:
            yield from walk(storage, prefix + name)
        else:
            yield prefix + name
