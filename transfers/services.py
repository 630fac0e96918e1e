"""Import and export: a dry run that says what each row will do, a commit in one transaction, logged exports."""

import hashlib
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import in_schools, restricted_rows
from participants.models import fold

from .files import FileProblem, cell_text, read_rows, write_csv, write_xlsx
from .kinds import in_all_languages, spec_for
from .models import ExportRecord, ImportBatch, Kind

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
STALE_AFTER = timezone.timedelta(days=1)


@dataclass
class RowResult:
    line: int
    label: str
    action: str = "error"  # create, change, same, error
    changes: list = field(default_factory=list)  # (label, old, new)
    errors: list = field(default_factory=list)  # (label or None, message)
    form: object = None


@dataclass
class Plan:
    kind: str
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # the file as a whole
    ignored_columns: list = field(default_factory=list)

    def of(self, action):
        return [row for row in self.rows if row.action == action]

    @property
    def created(self):
        return self.of("create")

    @property
    def changed(self):
        return self.of("change")

    @property
    def unchanged(self):
        return self.of("same")

    @property
    def bad(self):
        return self.of("error")

    @property
    def ok(self):
        return not self.problems and not self.bad


# The uploaded file


def private_storage():
    return storages["private"]


def receive_upload(kind, upload, user):
    """Keep the uploaded file privately under a random name until it is committed or discarded."""
    discard_stale_batches()
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise FileProblem(_("The file is larger than 5 MB."))
    if not content:
        raise FileProblem(_("The file is empty."))
    read_rows(upload.name, content)  # refuse what cannot be read before keeping it
    batch_id = uuid.uuid4()
    extension = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
    path = private_storage().save(f"imports/{batch_id.hex}.{extension}", ContentFile(content))
    return ImportBatch.objects.create(
        id=batch_id,
        kind=kind,
        filename=upload.name[-200:],
        file=path,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=user,
    )


def batch_content(batch):
    """The kept file, checked against the checksum taken at upload."""
    if not batch.file:
        raise FileProblem(_("The uploaded file is no longer kept; upload it again."))
    try:
        with private_storage().open(batch.file, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise FileProblem(_("The uploaded file is no longer kept; upload it again.")) from None
    if hashlib.sha256(content).hexdigest() != batch.sha256:
        raise FileProblem(_("The uploaded file has changed since it was checked; upload it again."))
    return content


def forget_file(batch, status):
    if batch.file:
        private_storage().delete(batch.file)
    batch.file, batch.status, batch.finished_at = "", status, timezone.now()
    batch.save(update_fields=["file", "status", "finished_at"])


def discard_stale_batches():
    """Files of previews never confirmed are not kept longer than a day."""
    for batch in ImportBatch.objects.filter(
        status=ImportBatch.Status.PENDING, uploaded_at__lt=timezone.now() - STALE_AFTER
    ):
        forget_file(batch, ImportBatch.Status.DISCARDED)


# The dry run


def plan_batch(batch):
    try:
        header, data = read_rows(batch.filename, batch_content(batch))
    except FileProblem as problem:
        return Plan(kind=batch.kind, problems=[str(problem)])
    return plan_rows(batch.kind, header, data, user=batch.uploaded_by)


def header_map(spec, header):
    """Column index -> column, matching a header by its key or its label (in English or the page's language)."""
    names = {}
    for column in spec.columns:
        names[fold(column.key)] = column
        names[fold(column.key.replace("_", " "))] = column
        names.update(dict.fromkeys(in_all_languages(column.label), column))
    mapped, ignored, problems = {}, [], []
    for index, title in enumerate(header):
        column = names.get(fold(title))
        if column is None:
            if title:
                ignored.append(title)
        elif column in mapped.values():
            problems.append(_("The column “%(column)s” appears twice.") % {"column": title})
        else:
            mapped[index] = column
    missing = [c.key for c in spec.columns if c.required and c not in mapped.values()]
    if missing:
        problems.append(_("These columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    return mapped, ignored, problems


def plan_rows(kind, header, data, user=None):
    spec = spec_for(kind)
    mapped, ignored, problems = header_map(spec, header)
    plan = Plan(kind=kind, problems=problems, ignored_columns=ignored)
    if problems:
        return plan
    rows = [
        (line, {column.key: cell_text(cells[i]) if i < len(cells) else "" for i, column in mapped.items()})
        for line, cells in data
    ]
    if not rows:
        plan.problems.append(_("The file has no rows under its header."))
        return plan
    ctx = spec.preload([cells for _line, cells in rows], user=user)
    columns = list(mapped.values())
    seen = {}
    for line, cells in rows:
        key = spec.key_of(cells)
        instance = spec.find(key, cells, ctx) if key is not None else None
        result = RowResult(line=line, label=spec.label_of(cells, instance))
        plan.rows.append(result)
        identity = ("pk", instance.pk) if instance is not None else spec.identity(key, cells, ctx)
        if identity is not None and identity in seen:
            result.errors.append((None, _("The same record as line %(line)d.") % {"line": seen[identity]}))
            continue
        if identity is not None:
            seen[identity] = line
        check_row(spec, ctx, columns, cells, instance, result)
    return plan


def check_row(spec, ctx, columns, cells, instance, result):
    """Validate one row through the model's own form; on success, say what it would create or change."""
    target = instance if instance is not None else spec.model()
    old = {c.key: c.text(c.get(instance)) for c in columns} if instance is not None else {}
    data = {}
    given = {c.key for c in columns}
    form_kwargs = ctx.form_kwargs
    if any(name not in given for name in spec.form_class.base_fields):
        # Fields the file does not carry keep their current value (or the form's default for a new record).
        unbound = spec.form_class(instance=target, **form_kwargs)
        data = {name: unbound[name].value() for name in unbound.fields if name not in given}
    data.update(spec.form_values(cells, columns, ctx))
    form = spec.import_form_class(data=data, instance=target, ctx=ctx, **form_kwargs)
    if not form.is_valid():
        labels = {c.key: c.label for c in spec.columns}
        for name, messages in form.errors.items():
            label = None if name == "__all__" else labels.get(name) or form.fields[name].label
            result.errors.extend((label, message) for message in messages)
        return
    result.form = form
    if instance is None:
        result.action = "create"
        return
    for column in columns:
        new = column.text(form.cleaned_data.get(column.key))
        if new != old[column.key]:
            result.changes.append((column.label, old[column.key], new))
    result.action = "change" if result.changes else "same"


# The commit


class ImportRefused(Exception):
    def __init__(self, plan):
        super().__init__("the import has errors")
        self.plan = plan


def commit_batch(batch):
    """Write every row or none: the file is checked again inside the transaction."""
    with transaction.atomic():
        plan = plan_batch(batch)
        if not plan.ok:
            raise ImportRefused(plan)
        spec = spec_for(batch.kind)
        for row in plan.created:
            spec.created(row.form.save(), batch.uploaded_by)
        for row in plan.changed:
            row.form.save()
        batch.created_count = len(plan.created)
        batch.changed_count = len(plan.changed)
        batch.unchanged_count = len(plan.unchanged)
        batch.save(update_fields=["created_count", "changed_count", "unchanged_count"])
    forget_file(batch, ImportBatch.Status.DONE)
    return plan


# Export


def export_table(kind, user, template=False):
    """The header, rows and records of `kind` as `user` may have them; a template is the header alone."""
    spec = spec_for(kind)
    columns = spec.columns_for(user)
    header = [c.key for c in columns]
    if template:
        return header, [], []
    records = list(in_schools(spec.export_queryset(), user))
    # The restricted cells of the rows of a school where the user is not coordinator stay empty (roles per school).
    shown = restricted_pks(spec, user) if any(c.restricted for c in columns) else set()
    rows = [[c.cell(c.get(obj)) if not c.restricted or obj.pk in shown else "" for c in columns] for obj in records]
    return header, rows, records


def restricted_pks(spec, user):
    """The rows of `spec`'s export whose restricted data `user` reads: of the schools where they are coordinator."""
    return set(restricted_rows(spec.model.objects.all(), user).values_list("pk", flat=True))


def export_file(kind, file_format, user, template=False):
    """(bytes, content type, file name); an export of data (not of a template) is logged."""
    header, rows, records = export_table(kind, user, template=template)
    stem = f"{kind}-template" if template else f"{kind}-{timezone.localdate():%Y-%m-%d}"
    if file_format == "xlsx":
        content = write_xlsx(header, rows, title=kind)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = write_csv(header, rows)
        content_type = "text/csv; charset=utf-8"
    if not template:
        log_export(kind, file_format, user, records)
    return content, content_type, f"{stem}.{file_format}"


def log_export(kind, file_format, user, records):
    """The export log, and for learners whose restricted data left in the file, a line in their own
    personal-data log, as when someone looks at it on their page."""
    from privacy.models import PersonalDataLog

    restricted = any(c.restricted for c in spec_for(kind).columns_for(user))
    ExportRecord.objects.create(
        kind=kind, file_format=file_format, row_count=len(records), with_restricted_data=restricted, exported_by=user
    )
    if restricted and kind == Kind.PARTICIPANTS:
        detail = _("spreadsheet export (%(format)s)") % {"format": file_format.upper()}
        shown = restricted_pks(spec_for(kind), user)
        PersonalDataLog.objects.bulk_create(
            PersonalDataLog(participant=record, user=user, action=PersonalDataLog.Action.VIEWED, detail=detail)
            for record in records
            if record.pk in shown
        )
