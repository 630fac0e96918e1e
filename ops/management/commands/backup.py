"""`manage.py backup [--output FILE_OR_FOLDER] [--to-storage]`: the database and the private files in one
archive, kept on this machine or in the private storage (`backups/`, e.g. the S3 bucket)."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, create_backup, default_archive_path, store_archive


class Command(BaseCommand):
    help = "Write one archive (.tar.gz) with the database, the private files, a manifest and checksums."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="archive file, or a folder to write mobility-YYYYMMDD-HHMMSS.tar.gz into (default: var/backups)",
        )
        parser.add_argument(
            "--to-storage",
            action="store_true",
            help="keep the archive in the private files storage (backups/NAME) instead of on this machine",
        )

    def handle(self, *args, output=None, to_storage=False, **options):
        try:
            if to_storage:
                with tempfile.TemporaryDirectory(prefix="mobility-archive-") as scratch:
                    target = default_archive_path(scratch)
                    manifest = create_backup(target)
                    size, where = target.stat().st_size, store_archive(target)
                where = f"{where} in the private storage"
            else:
                target = Path(output) if output else Path(settings.VAR_DIR) / "backups"
                if target.is_dir() or not target.name.endswith((".tar.gz", ".tgz")):
                    target = default_archive_path(target)
                manifest = create_backup(target)
                size, where = target.stat().st_size, str(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = len(manifest["members"]) - 1
        people = manifest["counts"].get("participants.participant", 0)
        self.stdout.write(
            f"Wrote {where} ({size / 1e6:.1f} MB): {manifest['database']['vendor']} database "
            f"with {people} learners, {files} files."
        )
