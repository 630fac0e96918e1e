# Written by hand (issue 19, item 8): Organisation moved from placements into accounts, its table kept.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_organisation_moved_from_placements"),
        ("outbox", "0005_signing_purposes"),
    ]

    operations = [
        # State only: the foreign keys keep their columns and constraints on the same table, placements_organisation.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='outgoingmessage',
                    name='school',
                    field=models.ForeignKey(blank=True, limit_choices_to={'kind': 'sending'}, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.organisation', verbose_name='school'),
                ),
            ],
            database_operations=[],
        ),
    ]
