"""A form's help formatted with a number is formatted when shown, in the reader's language: a lazy text
formatted at import (`_("…") % {...}` at class level) is English for every reader after that."""

import pytest
from django.utils import translation

from grants.forms import RECEIPT_HELP
from privacy.forms import UploadForm
from selection.forms import ApplicationDocumentForm


@pytest.mark.parametrize(
    "help_text",
    [UploadForm.base_fields["file"].help_text, ApplicationDocumentForm.base_fields["file"].help_text, RECEIPT_HELP],
    ids=["learner file", "application document", "receipt"],
)
def test_the_upload_help_is_in_the_readers_language(help_text):
    with translation.override("en"):
        english = str(help_text)
    with translation.override("ro"):
        romanian = str(help_text)
    assert english.startswith("PDF, JPEG or PNG, at most ")
    assert romanian != english and "MB" in romanian
