"""The columns of each kind of spreadsheet, and how a row finds the record it describes.

The same columns serve the template, the export and the import, so that an exported file imports back
with no changes. Values go through the app's own forms: an import can store nothing the UI would refuse.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override
from django_countries import countries

from accounts.models import Organisation, Role, User
from accounts.roles import in_schools
from participants.forms import RESTRICTED_FIELDS, ParticipantForm
from participants.models import BARRIERS, Barrier, Participant, fold
from placements.forms import AssignmentImportForm, OrganisationForm, PlacementForm
from placements.models import Assignment, Placement, Project, Qualification
from placements.services import add_to_address_book, own_schools

from .models import Kind


def in_all_languages(text):
    """The folded forms of a translatable text in every language of the site."""
    names = set()
    for code, _name in settings.LANGUAGES:
        with override(code):
            names.add(fold(str(text)))
    return names


@cache
def country_codes():
    """Folded country names in every language of the site -> ISO code ("Portugalia" -> "PT")."""
    codes = {}
    for code, _name in settings.LANGUAGES:
        with override(code):
            codes.update({fold(str(name)): iso for iso, name in countries})
    return codes


DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%y"]


def parse_date(text):
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


# Columns


class Column:
    """A text column: the cell is the form's value as it is."""

    hint = ""

    def __init__(self, key, restricted=False, required=False):
        self.key, self.restricted, self.required = key, restricted, required

    def bind(self, model):
        self.label = model._meta.get_field(self.key).verbose_name
        return self

    def get(self, obj):
        return getattr(obj, self.key)

    def text(self, value):
        """The value as the text it has in a file: what the preview compares and shows."""
        return "" if value is None else str(value)

    def cell(self, value):
        return self.text(value)

    def to_form(self, text, ctx):
        return text


class DateColumn(Column):
    hint = gettext_lazy("a date: 2026-03-31 or 31.03.2026")

    def text(self, value):
        return value.isoformat() if isinstance(value, date) else ""

    def cell(self, value):
        return value

    def to_form(self, text, ctx):
        parsed = parse_date(text) if text else None
        return parsed.isoformat() if parsed else text


class ChoiceColumn(Column):
    """Accepts the stored value or its label, in any of the site's languages ("female", "Feminin")."""

    def bind(self, model):
        super().bind(model)
        self.choices = model._meta.get_field(self.key).choices
        self.names = {}
        for value, label in self.choices:
            self.names[fold(value)] = value
            self.names.update(dict.fromkeys(in_all_languages(label), value))
        return self

    @property
    def hint(self):
        return _("one of: %(values)s") % {"values": ", ".join(value for value, _label in self.choices)}

    def to_form(self, text, ctx):
        return self.names.get(fold(text), text)


class CountryColumn(Column):
    hint = gettext_lazy("a two-letter country code (PT) or the country's name")

    def text(self, value):
        return str(value.code if hasattr(value, "code") else value or "")

    def to_form(self, text, ctx):
        if len(text) == 2 and text.isalpha():
            return text.upper()
        return country_codes().get(fold(text), text)


class LookupColumn(Column):
    """A link to another record, written as that record's name or reference."""

    def __init__(self, key, attribute, hint, **kwargs):
        super().__init__(key, **kwargs)
        self.attribute, self.hint = attribute, hint

    def text(self, value):
        return getattr(value, self.attribute) if value is not None else ""

    def to_form(self, text, ctx):
        if not text:
            return ""
        return ctx.lookups[self.key].get(fold(text), text)


class ManyColumn(LookupColumn):
    """Several linked records in one cell, separated by commas."""

    def get(self, obj):
        return list(getattr(obj, self.key).all())

    def text(self, value):
        return ", ".join(sorted(getattr(item, self.attribute) for item in value or []))

    def to_form(self, text, ctx):
        items = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        return [ctx.lookups[self.key].get(fold(item), item) for item in items]


class ProjectOfPlacementColumn(LookupColumn):
    """The project of a row's placement, for a model that links to the placement only (an assignment)."""

    def __init__(self, **kwargs):
        super().__init__("project", "reference", gettext_lazy("the project's Erasmus+ reference number"), **kwargs)

    def bind(self, model):
        self.label = Project._meta.verbose_name
        return self

    def get(self, obj):
        return obj.placement.project


class ParticipantColumn(LookupColumn):
    """A learner by name, and date of birth where two learners of the project share the name."""

    def __init__(self, key, **kwargs):
        hint = gettext_lazy(
            "the learner's last and first name, with the date of birth in brackets when two learners of the project "
            "share the name: Popescu Ana (2008-03-01)"
        )
        super().__init__(key, "name_key", hint, **kwargs)

    def text(self, value):
        return f"{value.last_name} {value.first_name} ({value.date_of_birth:%Y-%m-%d})" if value is not None else ""


NAME_AND_DATE = re.compile(r"^(?P<name>.*?)\s*\((?P<born>[^()]*)\)\s*$")


@dataclass(frozen=True)
class Unresolved:
    """A cell that names no single record. LookupField refuses it with `message`; with no message, another
    column's error already says why (an unknown project leaves its placement and learner unresolved)."""

    message: str | None = None


class LookupField(forms.Field):
    """Stands in for a ModelChoiceField during an import: resolves from records loaded once for the whole file,
    instead of one query per row. Unknown names get a message that says what was written."""

    def __init__(self, model, by_pk, many=False, **kwargs):
        kwargs.setdefault("widget", forms.MultipleHiddenInput if many else forms.TextInput)
        super().__init__(**kwargs)
        self.model, self.by_pk, self.many = model, by_pk, many

    def resolve(self, value):
        if isinstance(value, Unresolved):
            raise ValidationError(value.message, code="unknown")
        if isinstance(value, self.model):
            return value
        if isinstance(value, int) and value in self.by_pk:  # a default taken from the form's initial data
            return self.by_pk[value]
        raise ValidationError(
            _("Nothing called “%(value)s” was found: check the spelling, or add it first.") % {"value": value},
            code="unknown",
        )

    def clean(self, value):
        if self.many:
            values = value if isinstance(value, list | tuple) else ([value] if value else [])
            if not values and self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return [self.resolve(v) for v in values]
        if value == Unresolved():
            return None
        if value in (None, ""):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        return self.resolve(value)


# Kinds


@dataclass
class Context:
    """Everything a whole file needs from the database, loaded before the first row."""

    lookups: dict = field(default_factory=dict)  # column key -> {folded name: record}
    by_pk: dict = field(default_factory=dict)  # column key -> {pk: record}
    existing: dict = field(default_factory=dict)  # natural key -> record
    form_kwargs: dict = field(default_factory=dict)


class Spec:
    kind = None
    model = None
    form_class = None
    columns = []
    title = ""

    def __init__(self):
        self.columns = [column.bind(self.model) for column in self.columns]

    @property
    def required_keys(self):
        return [c.key for c in self.columns if c.required]

    def columns_for(self, user):
        from accounts.roles import can_see_restricted_data

        # A coordinator at one school at least has the restricted columns; each row's restricted cells are filled
        # only for the schools where they are coordinator (services.restricted_pks, roles per school), and an
        # import names only those schools' projects (projects_of).
        restricted_ok = can_see_restricted_data(user)
        return [c for c in self.columns if restricted_ok or not c.restricted]

    def export_queryset(self):
        return self.model.objects.all()

    def preload(self, rows, user=None):
        """`rows` are dicts of cell texts by column key."""
        raise NotImplementedError

    def key_of(self, cells):
        raise NotImplementedError

    def find(self, key, cells, ctx):
        return ctx.existing.get(key)

    def identity(self, key, cells, ctx):
        """What makes two rows of a file describe the same new record."""
        return key

    def form_values(self, cells, columns, ctx):
        """The form's data for the row's cells."""
        return {c.key: c.to_form(cells[c.key], ctx) for c in columns}

    def label_of(self, cells, instance=None):
        raise NotImplementedError

    def created(self, instance, user):
        """After the import of `user` saved `instance`, a record new to the installation."""

    @cached_property
    def import_form_class(self):
        """The app's own form for this model, with its links resolved from records loaded once per file."""
        lookups = [c for c in self.columns if isinstance(c, LookupColumn)]

        class ImportForm(self.form_class):
            def __init__(self, *args, ctx, **kwargs):
                super().__init__(*args, **kwargs)
                for column in lookups:
                    original = self.fields[column.key]
                    self.fields[column.key] = LookupField(
                        original.queryset.model,
                        ctx.by_pk[column.key],
                        many=isinstance(column, ManyColumn),
                        label=original.label,
                        required=original.required,
                    )

            def _get_validation_exclusions(self):
                # The model would check each link with a query of its own; the LookupField has already found
                # the record among those loaded (with the same limit_choices_to), so the check is the same.
                return super()._get_validation_exclusions() | {c.key for c in lookups}

        ImportForm.__name__ = f"Import{self.form_class.__name__}"
        return ImportForm


def _index(records, *attributes):
    index = {}
    for record in records:
        for attribute in attributes:
            value = getattr(record, attribute)
            if value:
                index.setdefault(fold(str(value)), record)
    return index


class ParticipantSpec(Spec):
    kind = Kind.PARTICIPANTS
    model = Participant
    form_class = ParticipantForm
    columns = [
        LookupColumn("project", "reference", gettext_lazy("the project's Erasmus+ reference number"), required=True),
        Column("last_name", required=True),
        Column("first_name", required=True),
        DateColumn("date_of_birth", required=True),
        ChoiceColumn("gender"),
        LookupColumn("qualification", "name", gettext_lazy("the qualification's name or national code")),
        Column("email"),
        Column("phone"),
        Column("address"),
        Column("emergency_contact_name"),
        Column("emergency_contact_relation"),
        Column("emergency_contact_phone"),
        ManyColumn(
            "barriers",
            "code",
            format_lazy(
                "{}: {}", gettext_lazy("category codes separated by commas"), ", ".join(c for c, _n in BARRIERS)
            ),
            restricted=True,
        ),
        *[
            (DateColumn if name.endswith("expiry") else Column)(name, restricted=True)
            for name in RESTRICTED_FIELDS
            if name != "barriers"
        ],
        DateColumn("consent_data_processing_on"),
        DateColumn("consent_dissemination_on"),
        ChoiceColumn("consent_given_by"),
    ]

    def export_queryset(self):
        return Participant.objects.select_related("project", "qualification").prefetch_related("barriers")

    def key_of(self, cells):
        born = parse_date(cells.get("date_of_birth", ""))
        name = fold(f"{cells.get('last_name', '')} {cells.get('first_name', '')}")
        if not born or not name:
            return None
        return (fold(cells.get("project", "")), name, born)

    def preload(self, rows, user=None):
        projects = list(projects_of(user))
        qualifications = list(Qualification.objects.all())
        barriers = list(Barrier.objects.all())
        wanted = {fold(cells.get("project", "")) for cells in rows}
        by_reference = _index(projects, "reference")
        named = [by_reference[ref].pk for ref in wanted if ref in by_reference]
        existing = {}
        for participant in self.export_queryset().filter(project__in=named):
            existing.setdefault(
                (fold(participant.project.reference), participant.name_key, participant.date_of_birth), participant
            )
        barrier_index = _index(barriers, "code", "name")
        barrier_index.update({fold(str(b)): b for b in barriers})  # the translated name
        return Context(
            lookups={
                "project": by_reference,
                "qualification": _index(qualifications, "name", "code"),
                "barriers": barrier_index,
            },
            by_pk={
                "project": {p.pk: p for p in projects},
                "qualification": {q.pk: q for q in qualifications},
                "barriers": {b.pk: b for b in barriers},
            },
            existing=existing,
            # The form otherwise looks up "the current project" once per new row.
            form_kwargs={"initial": {"project": max(projects, key=lambda p: p.start_date).pk if projects else None}},
        )

    def label_of(self, cells, instance=None):
        if instance is not None:
            return f"{instance.last_name} {instance.first_name} ({instance.date_of_birth:%Y-%m-%d})"
        return " ".join(filter(None, [cells.get("last_name"), cells.get("first_name")])) or "—"


class OrganisationSpec(Spec):
    kind = Kind.ORGANISATIONS
    model = Organisation
    form_class = OrganisationForm
    columns = [
        Column("name", required=True),
        ChoiceColumn("kind"),
        Column("oid"),
        CountryColumn("country", required=True),
        Column("city"),
        Column("address"),
        Column("website"),
        Column("email"),
        Column("phone"),
        Column("notes"),
    ]

    def key_of(self, cells):
        oid = cells.get("oid", "").strip().upper()
        if oid:
            return ("oid", oid)
        return self.name_key(cells)

    def name_key(self, cells):
        name = fold(cells.get("name", ""))
        if not name:
            return None
        return ("name", name, CountryColumn("country").to_form(cells.get("country", ""), None))

    def preload(self, rows, user=None):
        existing = {}
        # Only the importer's address book is matched: another school's record of a company is not theirs to
        # change (their new row makes a record of their own; the OID is unique within an address book).
        schools = own_schools(user) if user is not None else []
        for organisation in projects_of(user, Organisation.objects.prefetch_related("schools")):
            existing[("name", fold(organisation.name), organisation.country.code)] = organisation
            if organisation.oid:
                existing[("oid", organisation.oid)] = organisation
        return Context(existing=existing, form_kwargs={"schools": schools})

    def created(self, instance, user):
        if user is not None:
            add_to_address_book(organisation=instance, schools=own_schools(user))

    def find(self, key, cells, ctx):
        if key is None:
            return None
        found = ctx.existing.get(key)
        if found is None and key[0] == "oid":
            # An organisation entered without its OID gets it from the file.
            name_key = (
                "name",
                fold(cells.get("name", "")),
                CountryColumn("country").to_form(cells.get("country", ""), ctx),
            )
            candidate = ctx.existing.get(name_key)
            if candidate is not None and not candidate.oid:
                found = candidate
        return found

    def label_of(self, cells, instance=None):
        return instance.name if instance is not None else cells.get("name") or "—"


class PlacementSpec(Spec):
    kind = Kind.PLACEMENTS
    model = Placement
    form_class = PlacementForm
    columns = [
        LookupColumn("project", "reference", gettext_lazy("the project's Erasmus+ reference number"), required=True),
        Column("title", required=True),
        LookupColumn("qualification", "name", gettext_lazy("the qualification's name or national code")),
        LookupColumn("receiving_partner", "name", gettext_lazy("the receiving partner's name or OID")),
        Column("city"),
        CountryColumn("country"),
        DateColumn("start_date"),
        DateColumn("end_date"),
        ChoiceColumn("status"),
        Column("description"),
    ]

    def export_queryset(self):
        return Placement.objects.select_related("project", "qualification", "receiving_partner").prefetch_related(
            "accompanying_persons"
        )

    def key_of(self, cells):
        title = fold(cells.get("title", ""))
        return (fold(cells.get("project", "")), title) if title else None

    def preload(self, rows, user=None):
        projects = list(projects_of(user))
        qualifications = list(Qualification.objects.all())
        partners = list(projects_of(user, Organisation.objects.filter(kind=Organisation.Kind.RECEIVING)))
        existing = {}
        for placement in self.export_queryset():
            existing.setdefault((fold(placement.project.reference), fold(placement.title)), placement)
        return Context(
            lookups={
                "project": _index(projects, "reference"),
                "qualification": _index(qualifications, "name", "code"),
                "receiving_partner": _index(partners, "name", "oid"),
            },
            by_pk={
                "project": {p.pk: p for p in projects},
                "qualification": {q.pk: q for q in qualifications},
                "receiving_partner": {o.pk: o for o in partners},
            },
            existing=existing,
        )

    def label_of(self, cells, instance=None):
        return instance.title if instance is not None else cells.get("title") or "—"


class AssignmentSpec(Spec):
    """Who goes where: a learner on a placement of the row's project, at a host company, with a mentor."""

    kind = Kind.ASSIGNMENTS
    model = Assignment
    form_class = AssignmentImportForm
    columns = [
        ProjectOfPlacementColumn(required=True),
        LookupColumn("placement", "title", gettext_lazy("the placement's title"), required=True),
        ParticipantColumn("participant", required=True),
        LookupColumn("host_company", "name", gettext_lazy("the host company's name or OID")),
        LookupColumn("mentor", "username", gettext_lazy("the mentor's user name or email address")),
        ChoiceColumn("status"),
        Column("withdrawal_reason"),
        Column("tasks"),
    ]

    def export_queryset(self):
        return Assignment.objects.select_related(
            "participant", "placement__project", "host_company", "mentor"
        ).order_by("placement__project__reference", "placement__title", "participant__name_key", "pk")

    def key_of(self, cells):
        texts = [" ".join(fold(cells.get(key, "")).split()) for key in ("project", "placement", "participant")]
        return tuple(texts) if all(texts) else None

    def preload(self, rows, user=None):
        projects = list(projects_of(user))
        by_reference = _index(projects, "reference")
        wanted = {
            by_reference[ref].pk for ref in {fold(cells.get("project", "")) for cells in rows} if ref in by_reference
        }
        placements = list(Placement.objects.filter(project__in=wanted))
        participants = list(Participant.objects.filter(project__in=wanted))
        hosts = list(projects_of(user, Organisation.objects.filter(kind=Organisation.Kind.HOST)))
        mentors = list(projects_of(user, User.objects.filter(role=Role.MENTOR)))
        learners_named = {}
        for learner in participants:
            learners_named.setdefault((learner.project_id, learner.name_key), []).append(learner)
        return Context(
            lookups={
                "project": by_reference,
                "placement": {(p.project_id, fold(p.title)): p for p in placements},
                "participant": learners_named,
                "host_company": _index(hosts, "name", "oid"),
                # As in the assignment form: only mentors who may still sign in can be chosen.
                "mentor": _index([m for m in mentors if m.is_active], "username", "email"),
            },
            by_pk={
                "project": {p.pk: p for p in projects},
                "placement": {p.pk: p for p in placements},
                "participant": {p.pk: p for p in participants},
                "host_company": {o.pk: o for o in hosts},
                "mentor": {m.pk: m for m in mentors},
            },
            existing={
                (a.participant_id, a.placement_id): a
                for a in Assignment.objects.filter(placement__project__in=wanted).select_related(
                    "participant", "placement__project", "host_company", "mentor"
                )
            },
        )

    def resolve(self, cells, ctx):
        """(project, placement, learner) named by the row: a record, or Unresolved saying why not."""
        project = ctx.lookups["project"].get(fold(cells.get("project", "")))
        if project is None:
            return None, Unresolved(), Unresolved()
        placement_text = cells.get("placement", "")
        placement = ctx.lookups["placement"].get((project.pk, fold(placement_text)))
        if placement is None and placement_text:
            placement = Unresolved(
                _("The project %(project)s has no placement called “%(value)s”.")
                % {"project": project.reference, "value": placement_text}
            )
        return project, placement, self.learner(project, cells.get("participant", ""), ctx)

    def learner(self, project, text, ctx):
        if not text:
            return None
        match = NAME_AND_DATE.match(text)
        name, born = (match["name"], parse_date(match["born"])) if match else (text, None)
        found = ctx.lookups["participant"].get((project.pk, " ".join(fold(name).split())), [])
        if born is not None:
            found = [learner for learner in found if learner.date_of_birth == born]
        if len(found) == 1:
            return found[0]
        if not found:
            return Unresolved(
                _("The project %(project)s has no learner called “%(value)s”.")
                % {"project": project.reference, "value": text}
            )
        message = ngettext(
            "%(count)d learner is called “%(value)s”: add the date of birth in brackets, e.g. %(example)s.",
            "%(count)d learners are called “%(value)s”: add the date of birth in brackets, e.g. %(example)s.",
            len(found),
        )
        example = ParticipantColumn("participant").text(found[0])
        return Unresolved(message % {"count": len(found), "value": text, "example": example})

    def find(self, key, cells, ctx):
        if key is None:
            return None
        _project, placement, learner = self.resolve(cells, ctx)
        if isinstance(placement, Placement) and isinstance(learner, Participant):
            return ctx.existing.get((learner.pk, placement.pk))
        return None

    def identity(self, key, cells, ctx):
        _project, placement, learner = self.resolve(cells, ctx)
        if isinstance(placement, Placement) and isinstance(learner, Participant):
            return ("learner on placement", learner.pk, placement.pk)
        return key

    def form_values(self, cells, columns, ctx):
        values = super().form_values(cells, columns, ctx)
        _project, values["placement"], values["participant"] = self.resolve(cells, ctx)
        if "status" in values and not values["status"]:
            # An empty status keeps the recorded one; a new assignment is planned, as in the assignment form.
            current = self.find(self.key_of(cells), cells, ctx)
            values["status"] = current.status if current else Assignment.Status.PLANNED
        return values

    def label_of(self, cells, instance=None):
        if instance is not None:
            return f"{instance.participant.last_name} {instance.participant.first_name} – {instance.placement.title}"
        return " – ".join(filter(None, [cells.get("participant"), cells.get("placement")])) or "—"


SPECS = {spec.kind: spec for spec in (ParticipantSpec(), OrganisationSpec(), PlacementSpec(), AssignmentSpec())}


def spec_for(kind):
    return SPECS.get(kind)


def projects_of(user, queryset=None):
    """The projects (or `queryset`'s rows) an import by `user` may name: those of the schools where they change
    rows (accounts.roles, roles per school: a school where they are staff is theirs to read, not to import into)."""
    queryset = Project.objects.all() if queryset is None else queryset
    return queryset if user is None else in_schools(queryset, user, write=True)
