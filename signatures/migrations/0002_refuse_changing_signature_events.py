"""Below the ORM too, a signature event is never changed: an UPDATE is refused by a trigger on SQLite and
PostgreSQL, and a DELETE on PostgreSQL. (SQLite keeps DELETE: Django's test database is emptied with DELETE
there; PostgreSQL's is emptied with TRUNCATE, which row triggers do not see.)"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER signatures_event_no_update BEFORE UPDATE ON signatures_signatureevent
    BEGIN SELECT RAISE(ABORT, 'signature events are append-only'); END;""",
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS signatures_event_no_update;"]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION signatures_event_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'signature events are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER signatures_event_no_change BEFORE UPDATE OR DELETE ON signatures_signatureevent
    FOR EACH ROW EXECUTE FUNCTION signatures_event_append_only();""",
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS signatures_event_no_change ON signatures_signatureevent;",
    "DROP FUNCTION IF EXISTS signatures_event_append_only();",
]


def run(statements):
    def apply(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("signatures", "0001_append_only_signature_events")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO}),
        ),
    ]
