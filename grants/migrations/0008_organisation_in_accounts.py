# Written by hand (issue 19, item 8): Organisation moved from placements into accounts, its table kept.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_organisation_moved_from_placements"),
        ("grants", "0007_preparatory_visits"),
    ]

    operations = [
        # State only: the foreign keys keep their columns and constraints on the same table, placements_organisation.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicallocation',
                    name='organisation',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.organisation', verbose_name='organisation'),
                ),
                migrations.AlterField(
                    model_name='location',
                    name='organisation',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='location', to='accounts.organisation', verbose_name='organisation'),
                ),
            ],
            database_operations=[],
        ),
    ]
