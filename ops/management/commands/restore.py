"""`manage.py restore ARCHIVE [--force]`: verify an archive made by `backup`, then put it back."""

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Check every checksum of a backup archive, then replace the database and the private files with it. "
        "Refuses a database that holds users, projects or learners, or a non-empty files folder, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="replace a database and a files folder that are not empty"
        )

    def handle(self, *args, archive, force, **options):
        try:
            manifest = restore_backup(archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: {len(manifest['members']) - 1} files; "
            "run `manage.py migrate` if this code is newer than the backup."
        )
