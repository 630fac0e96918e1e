"""Portuguese for everyone in Portugal: every message of the pages and mail a host company's people open (the
mentor's workspace, the learning agreement, the questionnaire, the reminders, signing in) has its Portuguese in
the catalogue. The templates are read as makemessages reads them, so a new {% translate %} without its
Portuguese fails here, not in a mentor's hands."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

# What a mentor or a host company's people open. A template added to their pages belongs here.
HOST_TEMPLATES = [
    "base.html",
    "attendance/today.html",
    "attendance/week.html",
    "attendance/learner.html",
    "attendance/placement_summary.html",
    "attendance/partials/today_row.html",
    "attendance/partials/week_grid.html",
    "assessments/assignment.html",
    "assessments/round.html",
    "assessments/placement.html",
    "assessments/partials/level.html",
    "assessments/partials/progress_table.html",
    "assessments/partials/round_status.html",
    "assessments/partials/scale_table.html",
    "reports/mentor_dashboard.html",
    "reports/documents/learning_agreement.html",
    "reports/documents/certificate.html",  # a mentor asks for their learners' certificates
    "reports/documents/attendance_record.html",
    "reports/documents/attendance_sheet.html",  # the host company's people fill it in and sign it
    "offline/outbox.html",
    "signatures/sign_week.html",
    "signatures/sign_agreement.html",
    "signatures/host_sign.html",
    "signatures/partials/learner_section.html",
    "signatures/partials/pad.html",
    "signatures/partials/signed_in_form.html",
    "signatures/partials/states.html",
    "signatures/partials/my_code.html",
    "signatures/partials/week_signatures.html",
    "signatures/partials/placement_signatures.html",
    "signatures/documents/sheet_sign.html",
    "signatures/documents/evidence.html",
    "signatures/documents/signed_block.html",
    "reports/documents/base_print.html",
    "reports/documents/eu_statement.html",
    "documents/documents.html",
    "documents/job.html",
    "documents/partials/job_status.html",
    "documents/partials/job_failure.html",
    "includes/pagination.html",
    "includes/sort_link.html",
    # A mentor's "My learners" and "Placements" (their own only).
    "participants/participant_list.html",
    "participants/participant_detail.html",
    "participants/partials/consent_state.html",
    "placements/placement_list.html",
    "placements/partials/placement_table.html",
    "placements/placement_detail.html",
    "accounts/two_factor.html",
    "accounts/two_factor_enrol.html",
    "accounts/two_factor_verify.html",
    "accounts/two_factor_codes.html",
    "feedback/start.html",
    "feedback/question.html",
    "feedback/answered.html",
    "feedback/base_link.html",
    "feedback/partials/face.html",
    "feedback/partials/read_aloud.html",
    "feedback/partials/topic.html",
    "feedback/email/invitation.txt",
    "notifications/settings.html",
    "notifications/email/digest.txt",
    "accounts/join.html",
    "accounts/join_invalid.html",
    "accounts/email/invitation.txt",
    "registration/login.html",
    "registration/password_reset_form.html",
    "registration/password_reset_done.html",
    "registration/password_reset_confirm.html",
    "registration/password_reset_complete.html",
    "registration/password_reset_email.txt",
    "registration/password_reset_subject.txt",
    "registration/password_change_form.html",
    "registration/password_change_done.html",
]

STRING = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
CALL = re.compile(rf"\b(gettext|ngettext|pgettext|npgettext|_)\(\s*({STRING}(?:\s*,\s*{STRING})*)")


def catalogue_keys(path):
    """The keys under which the template's messages are looked up: msgid, (msgid, 0) for a plural,
    "context\\x04msgid" for a message with a context."""
    for call in CALL.finditer(templatize(path.read_text(encoding="utf-8"), origin=str(path))):
        kind = call.group(1)
        strings = [ast.literal_eval(s.removeprefix("u")) for s in re.findall(STRING, call.group(2))]
        if kind in ("pgettext", "npgettext"):
            strings = [f"{strings[0]}\x04{strings[1]}", *strings[2:]]
        yield (strings[0], 0) if kind in ("ngettext", "npgettext") else strings[0]


def untranslated(language, templates, folder=None):
    folder = folder or Path(settings.BASE_DIR) / "templates"
    catalogue = trans_real.translation(language)._catalog
    return sorted(
        {
            (template, str(key))
            for template in templates
            for key in catalogue_keys(folder / template)
            if not catalogue.get(key)
        }
    )


def test_every_message_a_host_company_reads_has_its_portuguese():
    missing = untranslated("pt", HOST_TEMPLATES)
    assert not missing, "\n".join(f"{template}: {key}" for template, key in missing)


def test_the_check_finds_a_message_without_portuguese(tmp_path):
    (tmp_path / "new.html").write_text(
        '{% load i18n %}{% translate "Sign out" %} {% blocktranslate %}Nobody translated this{% endblocktranslate %}',
        encoding="utf-8",
    )
    assert untranslated("pt", ["new.html"], tmp_path) == [("new.html", "Nobody translated this")]


def test_the_host_templates_exist():
    for template in HOST_TEMPLATES:
        assert (Path(settings.BASE_DIR) / "templates" / template).exists(), template


@pytest.mark.parametrize("url_name", ["attendance:today", "dashboard"])
def test_a_portuguese_mentors_pages_speak_portuguese(world, client_for, url_name):
    world.mentor.language = "pt"
    world.mentor.save()
    html = client_for(world.mentor).get(reverse(url_name)).content.decode()
    assert 'lang="pt"' in html
    assert "Terminar sessão" in html
    assert "Sign out" not in html


def test_every_template_a_host_template_includes_is_checked_too():
    """A partial included by a checked page is read by the same mentor: it belongs to the list."""
    folder = Path(settings.BASE_DIR) / "templates"
    included = {
        (template, name)
        for template in HOST_TEMPLATES
        for name in re.findall(r'{%\s*(?:include|extends)\s+"([^"]+)"', (folder / template).read_text(encoding="utf-8"))
    }
    missing = sorted((template, name) for template, name in included if name not in HOST_TEMPLATES)
    assert not missing, missing


# What a mentor opens, with the objects it is opened on (the same as the access matrix's).
MENTOR_PAGES = [
    "dashboard",
    "attendance:today",
    "attendance:week",
    "attendance:learner",
    "attendance:placement",
    "assessments:assignment",
    "assessments:round",
    "assessments:placement",
    "signatures:sign_week",
    "participants:list",
    "participants:detail",
    "placements:list",
    "placements:placement_detail",
    "documents:documents",
    "notifications:settings",
    "accounts:two_factor",
    "accounts:password_change",
]


@pytest.mark.parametrize("url_name", MENTOR_PAGES)
def test_each_page_a_portuguese_mentor_opens_reads_as_portuguese(world, client_for, url_name):
    """The whole page as rendered, so that what comes from Python (forms' labels, statuses, messages, dates)
    is read too, not only the templates' own messages."""
    from .test_access import url_for
    from .test_reader_formats import reader_faults

    world.mentor.language = "pt"
    world.mentor.save()
    response = client_for(world.mentor).get(url_for(world, url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="pt"' in html
    # What people typed (names, titles, the qualification's outcomes) stays in the language it was typed in.
    typed = [world.placement.title, world.project.title, str(world.placement.qualification)]
    faults = [fault for fault in reader_faults(html, "pt") if not any(text in fault for text in typed)]
    assert not faults, faults
