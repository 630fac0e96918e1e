"""`manage.py restore ARCHIVE [--from-storage] [--force]`: verify an archive made by `backup`, then put it back."""

import tempfile

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, fetch_archive, restore_backup


class Command(BaseCommand):
    help = (
        "Check every checksum of a backup archive, then replace the database and the private files with it. "
        "Refuses a database that holds users, projects or learners, or a storage that holds files, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a file on this machine, or with --from-storage backups/NAME")
        parser.add_argument(
            "--from-storage",
            action="store_true",
            help="ARCHIVE is the name of an archive kept in the private storage by `backup --to-storage`",
        )
        parser.add_argument(
            "--force", action="store_true", help="replace a database and private files that are not empty"
        )

    def handle(self, *args, archive, force, from_storage=False, **options):
        try:
            with tempfile.TemporaryDirectory(prefix="mobility-archive-") as scratch:
                path = fetch_archive(archive, scratch) if from_storage else archive
                manifest = restore_backup(path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: {len(manifest['members']) - 1} files; "
            "run `manage.py migrate` if this code is newer than the backup."
        )
