# Written by hand (issue 19, item 8): Organisation moved from placements into accounts, its table kept.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0011_organisation_moved_from_placements"),
        ("employers", "0001_partnership"),
    ]

    operations = [
        # State only: the foreign keys keep their columns and constraints on the same table, placements_organisation.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='agreement',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='agreements', to='accounts.organisation', verbose_name='partner'),
                ),
                migrations.AlterField(
                    model_name='contactevent',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contact_events', to='accounts.organisation', verbose_name='organisation'),
                ),
                migrations.AlterField(
                    model_name='historicalagreement',
                    name='organisation',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.organisation', verbose_name='partner'),
                ),
                migrations.AlterField(
                    model_name='historicalintroduction',
                    name='organisation',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.organisation', verbose_name='employer'),
                ),
                migrations.AlterField(
                    model_name='historicalpartnerprofile',
                    name='organisation',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.organisation', verbose_name='organisation'),
                ),
                migrations.AlterField(
                    model_name='introduction',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='introductions', to='accounts.organisation', verbose_name='employer'),
                ),
                migrations.AlterField(
                    model_name='offer',
                    name='organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='offers', to='accounts.organisation', verbose_name='employer'),
                ),
                migrations.AlterField(
                    model_name='partnerprofile',
                    name='organisation',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to='accounts.organisation', verbose_name='organisation'),
                ),
            ],
            database_operations=[],
        ),
    ]
