"""Keep only the SHA-256 of each link's token (common.tokens): links already given out keep working, since their
token's hash is what is looked up, and a copy of the database opens none."""

import hashlib

from django.db import migrations, models

import common.tokens


def hash_tokens(apps, schema_editor):
    model = apps.get_model("alumni", "FollowUpLink")
    for pk, token in model.objects.values_list("pk", "token_hash"):
        model.objects.filter(pk=pk).update(token_hash=hashlib.sha256(token.encode()).hexdigest())


class Migration(migrations.Migration):
    dependencies = [("alumni", "0001_recognition_and_follow_up")]

    operations = [
        migrations.RenameField(model_name="followuplink", old_name="token", new_name="token_hash"),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="followuplink",
            name="token_hash",
            field=models.CharField(
                default=common.tokens.unknown_token_hash, editable=False, max_length=64, unique=True
            ),
        ),
    ]
