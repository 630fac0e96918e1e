# Written by hand (issue 19, item 8): Organisation moves down from placements into the foundation, keeping its
# table. Only the migration state moves: the model is created here with db_table = "placements_organisation" (its
# address-book table, placements_organisation_schools, follows from it), the foreign keys of accounts, employers,
# grants, outbox, participants and placements are pointed at it in state, and placements/0009 deletes the old model
# in state. No table, column or constraint is created, dropped or renamed.

import django.core.validators
import django.db.models.deletion
import django_countries.fields
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """The content type placements.organisation becomes accounts.organisation, so that the permissions (and the
    groups and users holding them) and the admin's log entries of organisations stay with the model. On a new
    database there is no row yet (post_migrate makes it after the migrations); if both rows already exist, the
    new one is kept and the old one left for remove_stale_contenttypes."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = ContentType.objects.using(schema_editor.connection.alias)
    if not rows.filter(app_label="accounts", model="organisation").exists():
        rows.filter(app_label="placements", model="organisation").update(app_label="accounts")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = ContentType.objects.using(schema_editor.connection.alias)
    if not rows.filter(app_label="placements", model="organisation").exists():
        rows.filter(app_label="accounts", model="organisation").update(app_label="placements")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_merge_0008_observer_role_0009_invitation"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The table as placements left it (the address book, placements/0005, is its last change).
        ("placements", "0008_placement_time_zone"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Organisation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('kind', models.CharField(choices=[('sending', 'Sending school'), ('receiving', 'Receiving partner (intermediary)'), ('host', 'Host company'), ('employer', 'Local employer')], max_length=20, verbose_name='kind')),
                        ('oid', models.CharField(blank=True, max_length=9, validators=[django.core.validators.RegexValidator('^E\\d{8}$', 'An Erasmus+ organisation ID is the letter E followed by 8 digits, e.g. E10123456.')], verbose_name='organisation ID (OID)')),
                        ('country', django_countries.fields.CountryField(max_length=2, verbose_name='country')),
                        ('city', models.CharField(max_length=100, verbose_name='city')),
                        ('address', models.CharField(blank=True, max_length=250, verbose_name='address')),
                        ('website', models.URLField(blank=True, verbose_name='website')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                        ('phone', models.CharField(blank=True, max_length=40, validators=[django.core.validators.RegexValidator('^\\+?[0-9][0-9 ()./-]{5,30}$', 'Enter a phone number in digits, e.g. +40 744 123 456.')], verbose_name='phone')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('schools', models.ManyToManyField(blank=True, limit_choices_to={'kind': 'sending'}, related_name='address_book', to='accounts.organisation', verbose_name='in the address book of')),
                    ],
                    options={
                        'verbose_name': 'organisation',
                        'verbose_name_plural': 'organisations',
                        'db_table': 'placements_organisation',
                        'ordering': ['name'],
                    },
                ),
                migrations.AlterField(
                    model_name='membership',
                    name='organisation',
                    field=models.ForeignKey(limit_choices_to={'kind': 'sending'}, on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='accounts.organisation', verbose_name='school'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='organisation',
                    field=models.ForeignKey(blank=True, help_text='For a mentor: the host company where they work.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='users', to='accounts.organisation', verbose_name='organisation'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=False),
    ]
