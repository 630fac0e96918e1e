"""The private file storage (documents, uploads) as model fields see it.

A FileField resolves its storage once, when models load; tests and deployments swap STORAGES["private"]
afterwards. This proxy asks `storages["private"]` again whenever the setting changes, so a field never writes
where the rest of the application no longer looks.
"""

from django.core.files.storage import storages
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
