"""The answers given to saves sent from a phone's outbox, by the key the phone made for each save.

A phone that lost the answer to a save (the signal dropped while the server was answering) sends the same save
again with the same key; the server then gives the first answer instead of saving twice or reporting a conflict
with itself. Keys are the user's own: another user's key, even the same string, is another save.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SaveKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=64)
    answer = models.JSONField(_("answer"))
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("offline save key")
        verbose_name_plural = _("offline save keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_answer_per_save_key")]

    def __str__(self):
        return f"{self.user} {self.key}"
