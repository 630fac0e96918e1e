from django.db import migrations

# The Erasmus+ inclusion strategy's categories, fixed here so that the migration does not change
# when the model module does.
BARRIERS = [
    ("disability", "Disabilities"),
    ("health", "Health problems"),
    ("education", "Barriers linked to education and training systems"),
    ("cultural", "Cultural differences"),
    ("social", "Social barriers"),
    ("economic", "Economic barriers"),
    ("discrimination", "Barriers linked to discrimination"),
    ("geographical", "Geographical barriers"),
]


def load(apps, schema_editor):
    Barrier = apps.get_model("participants", "Barrier")
    for position, (code, name) in enumerate(BARRIERS):
        Barrier.objects.update_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
