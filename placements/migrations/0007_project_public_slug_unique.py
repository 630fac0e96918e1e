from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("placements", "0006_project_public_slug")]

    operations = [
        migrations.AlterField(
            model_name="project",
            name="public_slug",
            field=models.SlugField(
                help_text="The public site's address: /p/<this>/. Lowercase letters, digits and hyphens.",
                max_length=60,
                unique=True,
                verbose_name="public site address",
            ),
        ),
    ]
