# Written by hand (issue 19, item 8): the end of Organisation's move into accounts (accounts/0011). In state only,
# placements' foreign keys point at accounts.Organisation and the old model is deleted; the tables stay. The
# autodetector would have dropped placements_organisation, its address book and the consortium's member schools
# (placements_project_member_schools, removed and added again for a changed target).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_organisation_moved_from_placements"),
        ("employers", "0002_organisation_in_accounts"),
        ("grants", "0008_organisation_in_accounts"),
        ("outbox", "0006_organisation_in_accounts"),
        ("participants", "0009_organisation_in_accounts"),
        ("placements", "0008_placement_time_zone"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='contactperson',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='accounts.organisation'),
                ),
                migrations.AlterField(
                    model_name='placement',
                    name='receiving_partner',
                    field=models.ForeignKey(limit_choices_to={'kind': 'receiving'}, on_delete=django.db.models.deletion.PROTECT, related_name='received_placements', to='accounts.organisation', verbose_name='receiving partner'),
                ),
                migrations.AlterField(
                    model_name='assignment',
                    name='host_company',
                    field=models.ForeignKey(blank=True, limit_choices_to={'kind': 'host'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='hosted_assignments', to='accounts.organisation', verbose_name='host company'),
                ),
                migrations.AlterField(
                    model_name='project',
                    name='sending_organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='projects', to='accounts.organisation', verbose_name='sending organisation'),
                ),
                migrations.AlterField(
                    model_name='historicalassignment',
                    name='host_company',
                    field=models.ForeignKey(blank=True, db_constraint=False, limit_choices_to={'kind': 'host'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.organisation', verbose_name='host company'),
                ),
                migrations.AlterField(
                    model_name='project',
                    name='member_schools',
                    field=models.ManyToManyField(blank=True, help_text="For a consortium's project: the schools that send learners through it. Each member school's coordinators and staff see only their own learners here; the consortium's see them all.", limit_choices_to={'kind': 'sending'}, related_name='consortium_projects', to='accounts.organisation', verbose_name='member schools (consortium)'),
                ),
                migrations.DeleteModel(
                    name='Organisation',
                ),
            ],
            database_operations=[],
        ),
    ]
