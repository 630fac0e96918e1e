"""`manage.py check_production [--connect]`: refuse to go on with development settings. `make prod` and the
systemd units run it first; --connect also asks the database, the broker and the private storage."""

from django.core.management.base import BaseCommand, CommandError

from ops import health
from ops.production import current, problems


class Command(BaseCommand):
    help = "Exit with an error unless the settings are production ones (PostgreSQL, Redis, S3 or a shared folder)."

    def add_arguments(self, parser):
        parser.add_argument("--connect", action="store_true", help="also check that each service answers")

    def handle(self, *args, connect=False, **options):
        found = problems(current())
        if connect and not found:
            checks = {"database": health.check_database(), "broker": health.check_broker()}
            checks["storage"] = health.check_storage()
            found = [f"The {name} does not answer ({check.error})." for name, check in checks.items() if not check.ok]
        if found:
            raise CommandError(
                "Refusing to start with these settings:\n- " + "\n- ".join(found) + "\nSee deploy/README.md."
            )
        self.stdout.write("Production settings: PostgreSQL, Redis and the private storage are configured.")
