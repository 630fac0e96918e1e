import unicodedata

from django.db import migrations


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def recompute(apps, schema_editor):
    Participant = apps.get_model("participants", "Participant")
    for participant in Participant.objects.only("pk", "first_name", "last_name"):
        participant.name_key = fold(f"{participant.last_name} {participant.first_name}")
        participant.save(update_fields=["name_key"])


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_barriers")]

    operations = [
        migrations.RenameField("participant", "search_text", "name_key"),
        migrations.AlterModelOptions(
            name="participant",
            options={"ordering": ["name_key", "pk"], "verbose_name": "participant", "verbose_name_plural": "participants"},
        ),
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
