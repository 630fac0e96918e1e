"""Backup and restore: the demo project and some private files go into one archive, the database and the files
are wiped, the archive brings back the same rows, the same values and byte-identical files.

Runs on the database the tests run on: SQLite locally, PostgreSQL (pg_dump and psql) in CI."""

import hashlib
import io
import json
import tarfile

import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command

from accounts.models import User
from attendance.models import AttendanceRecord
from ops.backup import files_root, model_counts, sha256_of
from participants.models import Participant
from placements.demo import DEMO_PASSWORD
from placements.models import Project

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def files(settings, tmp_path):
    """The private files folder apart from the archives, so that a restore can replace it whole."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    storage = storages["private"]
    storage.save("documents/7/certificate-ștefan-lăcătuș.pdf", ContentFile(b"%PDF-1.7 " + bytes(range(256)) * 40))
    storage.save("uploads/ab/cd/scan.jpg", ContentFile(b"\xff\xd8\xff\xe0" + b"\x00\x01" * 5000))
    storage.save("notes.txt", ContentFile("Acord semnat – școala.\n".encode()))
    return storage


def checksums(root):
    return {p.relative_to(root).as_posix(): sha256_of(p) for p in sorted(root.rglob("*")) if p.is_file()}


def facts():
    """A few exact values to find again, beyond the counts."""
    learner = Participant.objects.get(first_name="Ștefan", last_name="Lăcătuș")
    coordinator = User.objects.get(username="coordinator")
    day = AttendanceRecord.objects.order_by("pk").first()
    return {
        "learner": (learner.pk, learner.full_name, learner.date_of_birth, learner.qualification.name),
        "project": list(Project.objects.values_list("pk", "title", "start_date")),
        "coordinator_password": coordinator.password,
        "day": (day.pk, day.date, day.status.code, day.hours, day.recorded_by_id, day.recorded_at),
    }


def test_backup_wipe_restore_gives_back_the_same_data_and_files(files, tmp_path):
    call_command("load_demo")
    counts, before, sums = model_counts(), facts(), checksums(files_root())
    assert counts["participants.participant"] == Participant.objects.count() >= 31
    assert {"notes.txt", "uploads/ab/cd/scan.jpg"} <= set(sums)
    archive = tmp_path / "backups" / "demo.tar.gz"

    call_command("backup", output=str(archive))
    assert archive.stat().st_mode & 0o077 == 0, "the archive holds personal data: its owner's only"
    with pytest.raises(CommandError, match="already holds"):
        call_command("restore", str(archive))

    call_command("flush", interactive=False)
    for path in files_root().rglob("*"):
        if path.is_file():
            path.unlink()
    assert not User.objects.exists() and not Participant.objects.exists()

    call_command("restore", str(archive))

    assert model_counts() == counts
    assert facts() == before
    assert checksums(files_root()) == sums
    assert check_password(DEMO_PASSWORD, User.objects.get(username="coordinator").password)
    # The sequences came back too: new rows take new numbers.
    assert User.objects.create(username="after-restore").pk > max(
        User.objects.exclude(username="after-restore").values_list("pk", flat=True)
    )


def test_restore_with_force_replaces_a_database_that_holds_data(files, tmp_path, world):
    archive = tmp_path / "world.tar.gz"
    call_command("backup", output=str(archive))
    Participant.objects.filter(pk=world.learner.pk).update(first_name="Changed")
    files.save("later.txt", ContentFile(b"written after the backup"))

    call_command("restore", str(archive), force=True)

    assert Participant.objects.get(pk=world.learner.pk).first_name == "Ștefan"
    assert not files_root().joinpath("later.txt").exists()
    assert files_root().joinpath("notes.txt").read_text() == "Acord semnat – școala.\n"


def rewrite(archive, target, change):
    """Copy an archive, letting `change(name, data)` alter members (return None to drop one)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for info in source:
            data = change(info.name, source.extractfile(info).read())
            if data is not None:
                info.size = len(data)
                copy.addfile(info, io.BytesIO(data))
    return target


def test_a_damaged_archive_is_refused_before_anything_is_touched(files, tmp_path, world):
    archive = tmp_path / "world.tar.gz"
    call_command("backup", output=str(archive))
    Participant.objects.filter(pk=world.learner.pk).update(first_name="Kept")
    damaged = rewrite(
        archive, tmp_path / "damaged.tar.gz", lambda name, data: data + b"x" if name.endswith("scan.jpg") else data
    )

    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore", str(damaged), force=True)
    assert Participant.objects.get(pk=world.learner.pk).first_name == "Kept"
    assert files_root().joinpath("uploads/ab/cd/scan.jpg").stat().st_size == 10004


def test_an_archive_with_a_path_outside_its_folder_is_refused(files, tmp_path, world):
    """Even listed in the manifest with a right checksum, a name leading out of the folder is not written."""
    archive = tmp_path / "world.tar.gz"
    call_command("backup", output=str(archive))
    escaping = {"name": "files/../../escaped.txt", "size": 3, "sha256": hashlib.sha256(b"bad").hexdigest()}

    def smuggle(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["members"].append(escaping)
            return json.dumps(manifest).encode()
        return data

    evil = rewrite(archive, tmp_path / "evil.tar.gz", smuggle)
    with tarfile.open(evil) as source:
        members = [(info, source.extractfile(info).read()) for info in source]
    with tarfile.open(evil, "w:gz") as copy:
        for info, data in members:
            copy.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo(escaping["name"])
        info.size = 3
        copy.addfile(info, io.BytesIO(b"bad"))

    with pytest.raises(CommandError, match="escaped"):
        call_command("restore", str(evil), force=True)
    assert not list(tmp_path.parent.rglob("escaped.txt"))


def test_an_archive_of_another_kind_of_database_is_refused(files, tmp_path, world):
    archive = tmp_path / "world.tar.gz"
    call_command("backup", output=str(archive))

    def other_vendor(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["database"]["vendor"] = "oracle"
            return json.dumps(manifest).encode()
        return data

    with pytest.raises(CommandError, match="oracle"):
        call_command("restore", str(rewrite(archive, tmp_path / "other.tar.gz", other_vendor)), force=True)
