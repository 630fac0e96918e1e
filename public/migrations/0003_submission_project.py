"""Submissions to the exchange belong to the project whose site they were sent through. Those sent before there
were several sites went to the one the site presented then: the newest project with a published page, else the
newest project."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Exists, OuterRef


def attach_to_site_project(apps, schema_editor):
    Submission = apps.get_model("public", "Submission")
    if not Submission.objects.exists():
        return
    Project = apps.get_model("placements", "Project")
    ProjectPage = apps.get_model("public", "ProjectPage")
    published = ProjectPage.objects.filter(project=OuterRef("pk"), published=True)
    project = Project.objects.order_by(Exists(published).desc(), "-start_date", "-pk").first()
    if project is None:  # no site ever showed them
        Submission.objects.all().delete()
    else:
        Submission.objects.update(project=project)


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0007_project_public_slug_unique"),
        ("public", "0002_submission_details_removed"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="project",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="submissions",
                to="placements.project",
                verbose_name="project",
            ),
        ),
        migrations.RunPython(attach_to_site_project, migrations.RunPython.noop),
    ]
