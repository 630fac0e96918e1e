"""Backup and restore: one archive with the database and the private files, a manifest and checksums.

The archive (`.tar.gz`, readable by the owner only) holds
- `manifest.json`: when and from what it was made, the row count of every model, and the size and SHA-256
  of every other member;
- `database.sql` (PostgreSQL: `pg_dump` in plain SQL, restored by `psql` in one transaction) or
  `database.sqlite3` (SQLite: a consistent copy through SQLite's online backup API);
- `files/…`: the private files (documents, uploads, receipts, attachments), name for name, read through the
  private storage: a folder of this machine or an S3-compatible bucket alike. Archives kept in the storage
  itself (`backups/`, `backup --to-storage`) are left out.

The manifest is the archive's last member: each file's checksum is taken while it streams into the archive, so
a file in an object store is read once and never copied to the local disk first.

Restoring checks every checksum before touching anything, refuses a database that already holds people or
projects (and a storage that holds files) unless forced, then replaces both: a files folder by renames next to
it, a bucket by writing every archived file and then deleting the others.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from common.storage import local_path, replace, walk

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# Archives that `backup --to-storage` keeps in the private storage, under this folder.
BACKUPS_FOLDER = "backups"


class BackupError(Exception):
    """Something a person running the command must read and act on."""


def files_root():
    """The private files folder, when the storage is one (not an object store)."""
    return local_path(storages["private"], "")


def private_file_names(storage):
    """Every private file's name, without the archives kept in the storage."""
    return (name for name in walk(storage) if not name.startswith(BACKUPS_FOLDER + "/"))


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def model_counts():
    """Rows of every model, e.g. {"participants.participant": 31}: written into the manifest, compared after a
    restore."""
    counts = {}
    tables = set(connection.introspection.table_names())  # a database behind on its migrations still backs up
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed or model._meta.db_table not in tables:
            continue
        counts[model._meta.label_lower] = model._base_manager.using(connection.alias).count()
    return dict(sorted(counts.items()))


def holds_data():
    """Whether the database holds anything a person entered: a fresh `migrate` loads reference data (statuses,
    scales), so those do not count; a user account, a project or a learner does."""
    from accounts.models import User
    from participants.models import Participant
    from placements.models import Project

    tables = set(connection.introspection.table_names())  # a new server's database has none yet
    return any(model._meta.db_table in tables and model.objects.exists() for model in (User, Project, Participant))


# Database ---------------------------------------------------------------------------------------------


def _pg_command(program, settings_dict):
    command = [program, "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            command += [option, str(settings_dict[key])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return command, env


def _run(command, env):
    if not shutil.which(command[0]):
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")
    return result


def dump_database(folder):
    """Write the database into `folder`; return the file's name in the archive."""
    if connection.vendor == "postgresql":
        command, env = _pg_command("pg_dump", connection.settings_dict)
        target = folder / "database.sql"
        # Plain SQL without owners or grants, so that it restores into a database owned by someone else.
        _run(
            command
            + [
                "--format=plain",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                connection.settings_dict["NAME"],
            ],
            env,
        )
        return target
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)  # consistent even while the web and the worker write
        copy.close()
        return target
    raise BackupError(f"Backups of a {connection.vendor} database are not supported.")


def load_database(path):
    """Replace the whole database with the archived one, in one step that either happens or not."""
    if connection.vendor == "postgresql" and path.name == "database.sql":
        connection.close()  # nothing of Django's may hold locks or prepared statements on the old tables
        command, env = _pg_command("psql", connection.settings_dict)
        prelude = path.parent / "prelude.sql"
        prelude.write_text("DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n")
        _run(
            command
            + [
                "--quiet",
                "--no-psqlrc",
                "--single-transaction",
                "--set",
                "ON_ERROR_STOP=1",
                "--dbname",
                connection.settings_dict["NAME"],
                "--file",
                str(prelude),
                "--file",
                str(path),
            ],
            env,
        )
        connection.close()
        return
    if connection.vendor == "sqlite" and path.name == "database.sqlite3":
        connection.close()
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
        source.close()
        connection.close()
        return
    raise BackupError(f"This archive holds {path.name}, which cannot be restored into a {connection.vendor} database.")


# Archive ----------------------------------------------------------------------------------------------


def _member(path, name):
    return {"name": name, "size": path.stat().st_size, "sha256": sha256_of(path)}


def _tar_info(name, size):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(datetime.now().timestamp())
    return info


class _Checksummed:
    """A stream that counts and hashes what is read from it, as tarfile copies it into the archive."""

    def __init__(self, stream):
        self.stream, self.digest, self.size = stream, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_stored(archive, storage, name):
    """Stream one stored file into the archive; return its manifest entry."""
    size = storage.size(name)
    with storage.open(name, "rb") as stream:
        checksummed = _Checksummed(stream)
        try:
            archive.addfile(_tar_info("files/" + name, size), checksummed)
        except OSError as error:  # tarfile's "unexpected end of data": the file shrank while being read
            raise BackupError(f"{name} changed while it was being archived; run the backup again.") from error
    return {"name": "files/" + name, "size": size, "sha256": checksummed.digest.hexdigest()}


def default_archive_path(folder):
    return Path(folder) / f"mobility-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def create_backup(target):
    """Write the archive to `target` (a file name) and return its manifest."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    storage = storages["private"]
    with tempfile.TemporaryDirectory(prefix="mobility-backup-") as scratch:
        database = dump_database(Path(scratch))
        partial = target.with_name(target.name + ".partial")
        # Personal data: the archive is for its owner's eyes only from the first byte.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            members = [_member(database, database.name)]
            with open(database, "rb") as stream:
                archive.addfile(_tar_info(database.name, members[0]["size"]), stream)
            members += [_add_stored(archive, storage, name) for name in private_file_names(storage)]
            migrations = MigrationRecorder(connection).applied_migrations()
            latest = {}
            for app_label, name in sorted(migrations):
                latest[app_label] = max(latest.get(app_label, ""), name)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "django": django.get_version(),
                "database": {"vendor": connection.vendor, "file": database.name},
                "migrations": latest,
                "counts": model_counts(),
                "members": members,
            }
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            archive.addfile(_tar_info(MANIFEST, len(data)), io.BytesIO(data))
        partial.rename(target)
    return manifest


def store_archive(path):
    """Copy an archive into the private storage (`backups/NAME`); return its name there."""
    storage = storages["private"]
    name = f"{BACKUPS_FOLDER}/{Path(path).name}"
    with open(path, "rb") as stream:
        replace(storage, name, stream)
    return name


def fetch_archive(name, into):
    """Copy an archive kept in the private storage into the folder `into`; return its path."""
    storage = storages["private"]
    if not storage.exists(name):
        raise BackupError(f"The storage holds no {name}.")
    target = Path(into) / PurePosixPath(name).name
    with storage.open(name, "rb") as source, open(target, "wb") as copy:
        shutil.copyfileobj(source, copy, CHUNK)
    return target


def _safe_name(name):
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def read_verified(archive_path, into):
    """Unpack the archive into the folder `into` and check it against its manifest; return the manifest.
    Nothing outside `into` is written, whatever names the archive holds."""
    try:
        archive = tarfile.open(archive_path, mode="r:*")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{archive_path} is not a readable backup archive: {error}") from error
    with archive:
        try:
            manifest = json.load(archive.extractfile(MANIFEST))
        except (KeyError, ValueError, AttributeError) as error:
            raise BackupError(f"{archive_path} has no readable {MANIFEST}.") from error
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown archive format {manifest.get('format')!r}.")
        expected = {member["name"]: member for member in manifest["members"]}
        seen = set()
        for info in archive:
            if info.name == MANIFEST:
                continue
            if not _safe_name(info.name) or not info.isfile():
                raise BackupError(f"The archive holds {info.name!r}, which would be written outside its folder.")
            if info.name not in expected:
                raise BackupError(f"The archive holds {info.name!r}, which its manifest does not list.")
            target = into / info.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(info) as source, open(target, "wb") as copy:
                shutil.copyfileobj(source, copy, CHUNK)
            member = expected[info.name]
            if target.stat().st_size != member["size"] or sha256_of(target) != member["sha256"]:
                raise BackupError(f"{info.name} does not match its checksum: the archive is damaged.")
            seen.add(info.name)
        missing = set(expected) - seen
        if missing:
            raise BackupError(f"The archive lacks {', '.join(sorted(missing))}.")
    return manifest


def restore_backup(archive_path, force=False):
    """Verify the archive, then put the database and the files back. Returns the manifest."""
    storage = storages["private"]
    with tempfile.TemporaryDirectory(prefix="mobility-restore-") as scratch:
        scratch = Path(scratch)
        manifest = read_verified(archive_path, scratch)
        if manifest["database"]["vendor"] != connection.vendor:
            raise BackupError(
                f"The archive holds a {manifest['database']['vendor']} database; this one is {connection.vendor}."
            )
        if not force:
            if holds_data():
                raise BackupError("The database already holds users, projects or learners. Use --force to replace it.")
            if next(private_file_names(storage), None) is not None:
                raise BackupError("The private files storage holds files. Use --force to replace them.")
        load_database(scratch / manifest["database"]["file"])
        restored = scratch / "files"
        restored.mkdir(exist_ok=True)
        root = files_root()
        if root is not None:
            _replace_folder(root, restored)
        else:
            _replace_objects(storage, restored)
    return manifest


def _replace_objects(storage, restored):
    """An object store has no folder to swap: write every archived file, then delete those the archive lacks.
    Interrupted, it leaves every archived file plus some extra ones, and running the restore again finishes it."""
    names = set()
    for path in sorted(p for p in restored.rglob("*") if p.is_file()):
        name = path.relative_to(restored).as_posix()
        with open(path, "rb") as stream:
            replace(storage, name, stream)
        names.add(name)
    for name in list(private_file_names(storage)):
        if name not in names:
            storage.delete(name)


def _replace_folder(root, restored):
    """Swap the files folder for the restored one by renames next to it, so that it is never half there. The
    archives kept in the folder (`backups/`) stay."""
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = root.with_name(f".{root.name}.restoring")
    old = root.with_name(f".{root.name}.replaced")
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(restored, staging)
    if (root / BACKUPS_FOLDER).is_dir():
        (root / BACKUPS_FOLDER).rename(staging / BACKUPS_FOLDER)
    try:
        if root.exists():
            root.rename(old)
    except OSError:  # a mount point cannot be renamed: empty it and copy into it instead
        for child in root.iterdir():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        shutil.copytree(staging, root, dirs_exist_ok=True)
        shutil.rmtree(staging)
        return
    staging.rename(root)
    shutil.rmtree(old, ignore_errors=True)
