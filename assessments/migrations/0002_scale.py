from django.db import migrations

# code, points, label, descriptor; as assessments.models.DEFAULT_SCALE at the time of writing (a migration
# keeps its own copy, so that later edits of the model's defaults do not rewrite history).
SCALE = [
    ("not-yet", 1, "Not yet", "Cannot yet do the task, even when shown how."),
    ("with-help", 2, "With help", "Does the task when the mentor shows or reminds them of the steps."),
    ("independently", 3, "Independently", "Does the task correctly without help, at the pace of the workplace."),
    (
        "can-explain",
        4,
        "Independently and can explain",
        "Does the task without help and can explain to someone else how and why it is done.",
    ),
    ("not-observed", None, "Not observed", "There was no chance to see the learner do this during the period."),
]


def load(apps, schema_editor):
    ScaleLevel = apps.get_model("assessments", "ScaleLevel")
    for position, (code, points, label, descriptor) in enumerate(SCALE, start=1):
        ScaleLevel.objects.update_or_create(
            code=code, defaults={"points": points, "label": label, "descriptor": descriptor, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
