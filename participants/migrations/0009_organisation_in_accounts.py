# Written by hand (issue 19, item 8): Organisation moved from placements into accounts, its table kept.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_organisation_moved_from_placements"),
        ("participants", "0008_participant_nationality"),
    ]

    operations = [
        # State only: the foreign keys keep their columns and constraints on the same table, placements_organisation.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalparticipant',
                    name='school',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text="In a consortium's project: the member school that sends this learner. Empty: the project's own.", limit_choices_to={'kind': 'sending'}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.organisation', verbose_name='school'),
                ),
                migrations.AlterField(
                    model_name='participant',
                    name='school',
                    field=models.ForeignKey(blank=True, help_text="In a consortium's project: the member school that sends this learner. Empty: the project's own.", limit_choices_to={'kind': 'sending'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='consortium_learners', to='accounts.organisation', verbose_name='school'),
                ),
            ],
            database_operations=[],
        ),
    ]
