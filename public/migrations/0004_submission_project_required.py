import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("public", "0003_submission_project")]

    operations = [
        migrations.AlterField(
            model_name="submission",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="submissions",
                to="placements.project",
                verbose_name="project",
            ),
        ),
    ]
