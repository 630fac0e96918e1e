"""Backup codes are stored hashed (accounts.models.BackupCodes): hash the codes already stored in plain text."""

from base64 import b32encode

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac


def hash_backup_code(user_id, code):
    # A frozen copy of accounts.models.hash_backup_code as it was when this migration was written.
    digest = salted_hmac(
        "accounts.backup-code", f"{user_id}:{code}", secret=settings.SECRET_KEY, algorithm="sha256"
    ).digest()
    return b32encode(digest[:10]).decode().lower()


def hash_stored_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    tokens = list(StaticToken.objects.select_related("device"))
    for token in tokens:
        token.token = hash_backup_code(token.device.user_id, token.token)
    StaticToken.objects.bulk_update(tokens, ["token"], batch_size=500)


def forget_hashed_codes(apps, schema_editor):
    # A hash cannot be turned back into its code, and django-otp's own device would never match one: the
    # accounts show no backup codes left, and their owners make new ones.
    apps.get_model("otp_static", "StaticToken").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_security_event"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.CreateModel(
            name="BackupCodes",
            fields=[],
            options={
                "verbose_name": "backup codes",
                "verbose_name_plural": "backup codes",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("otp_static.staticdevice",),
        ),
        migrations.RunPython(hash_stored_codes, forget_hashed_codes),
    ]
