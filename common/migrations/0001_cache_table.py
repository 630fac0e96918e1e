"""The database cache's table (settings.CACHE_TABLE), made by `migrate` so that a fresh checkout needs no
`createcachetable`.

Created whatever cache is in use: a site that moves from Redis to the database cache finds the table there.
Without Redis, every web process counts its rate limits in this one table."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "django_cache"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    # Leaves a table that is already there alone (a database where `createcachetable` was run by hand).
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_table, drop_table)]
