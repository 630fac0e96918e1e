"""`manage.py backup [--output FILE_OR_FOLDER]`: the database and the private files in one archive."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, create_backup, default_archive_path


class Command(BaseCommand):
    help = "Write one archive (.tar.gz) with the database, the private files, a manifest and checksums."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="archive file, or a folder to write mobility-YYYYMMDD-HHMMSS.tar.gz into (default: var/backups)",
        )

    def handle(self, *args, output=None, **options):
        target = Path(output) if output else Path(settings.VAR_DIR) / "backups"
        if target.is_dir() or not target.name.endswith((".tar.gz", ".tgz")):
            target = default_archive_path(target)
        try:
            manifest = create_backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = len(manifest["members"]) - 1
        people = manifest["counts"].get("participants.participant", 0)
        self.stdout.write(
            f"Wrote {target} ({target.stat().st_size / 1e6:.1f} MB): {manifest['database']['vendor']} database "
            f"with {people} learners, {files} files."
        )
