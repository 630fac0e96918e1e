"""Each project's public site gets an address of its own, /p/<public_slug>/: added empty, filled from the Erasmus+
reference (unique already), then made required and unique in 0005 (a migration of its own, so that PostgreSQL has no pending
trigger events from the data step when the column changes)."""

from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Project = apps.get_model("placements", "Project")
    taken = set()
    for project in Project.objects.order_by("pk"):
        base = slugify(project.reference or project.title)[:50].strip("-") or "project"
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        Project.objects.filter(pk=project.pk).update(public_slug=slug)


class Migration(migrations.Migration):
    dependencies = [("placements", "0005_address_book")]

    operations = [
        migrations.AddField(
            model_name="project",
            name="public_slug",
            field=models.SlugField(max_length=60, null=True, verbose_name="public site address"),
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
    ]
