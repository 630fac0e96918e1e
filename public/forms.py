import re

import filetype
from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import Participant
from placements.models import Placement, Project

from .models import Article, Attachment, NewsItem, ProjectPage, Submission, Testimonial

MAX_PDF_SIZE = 5 * 1024 * 1024
# Something that looks like an HTML tag or comment: the public writes Markdown, never HTML.
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def validate_pdf(upload):
    """A PDF by its content, not its name, and not too big; the message says which rule failed."""
    if upload.size > MAX_PDF_SIZE:
        raise forms.ValidationError(
            _("The file is %(size).1f MB; the limit is %(limit)d MB."),
            params={"size": upload.size / 1024 / 1024, "limit": MAX_PDF_SIZE // 1024 // 1024},
            code="too_big",
        )
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime != "application/pdf":
        raise forms.ValidationError(_("Only PDF files can be attached; this file is not a PDF."), code="not_pdf")
    return upload


def reject_html(value):
    if value and HTML_TAG.search(value):
        raise forms.ValidationError(
            _("Please write plain text (Markdown is fine); HTML tags such as <script> are not accepted."),
            code="html",
        )


class PublishableForm(forms.ModelForm):
    def clean_slug(self):
        return self.cleaned_data["slug"].lower()


class ArticleForm(PublishableForm):
    class Meta:
        model = Article
        fields = ["title", "slug", "language", "topic", "placement", "summary", "body", "status"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16}), "summary": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placement"].queryset = Placement.objects.filter(project=project).order_by("start_date")
        self.fields["placement"].help_text = _("Choose a placement to show this article as its story on the home page.")


class NewsForm(PublishableForm):
    class Meta:
        model = NewsItem
        fields = ["title", "slug", "language", "summary", "body", "status"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12}), "summary": forms.Textarea(attrs={"rows": 2})}


class ProjectPageForm(forms.ModelForm):
    class Meta:
        model = ProjectPage
        fields = ["title", "introduction", "objectives", "results", "published"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 10}),
            "results": forms.Textarea(attrs={"rows": 8}),
        }


class PublicAddressForm(forms.ModelForm):
    """The project's public site address, /p/<public_slug>/ (unique: the model refuses one already taken)."""

    class Meta:
        model = Project
        fields = ["public_slug"]

    def clean_public_slug(self):
        return self.cleaned_data["public_slug"].lower()


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": "application/pdf"})}

    def clean_file(self):
        return validate_pdf(self.cleaned_data["file"])


class SubmissionForm(forms.ModelForm):
    """The public's form. `website` is a honeypot: people never see it, form-filling robots do."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    agree = forms.BooleanField(
        label=_(
            "I agree that, once approved, this text is published with the name of my organisation and country "
            "(not my name or email)."
        ),
    )

    class Meta:
        model = Submission
        fields = ["organisation", "country", "contact_name", "email", "title", "topic", "text", "attachment"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 10}),
            "attachment": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        }
        help_texts = {
            "email": _("We send a confirmation here and may contact you about your practice; it is never published."),
            "attachment": _("Optional: one PDF, at most 5 MB."),
        }

    def clean(self):
        cleaned = super().clean()
        for name in ["organisation", "contact_name", "title", "text"]:
            try:
                reject_html(cleaned.get(name))
            except forms.ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        return validate_pdf(upload) if upload else upload

    @property
    def is_spam(self):
        return bool(self.cleaned_data.get("website"))


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Submission.Status.APPROVED, _("Approve and publish")), (Submission.Status.REJECTED, _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note for the record"), max_length=500, required=False)


class TestimonialForm(forms.ModelForm):
    class Meta:
        model = Testimonial
        fields = ["participant", "quote", "language", "published"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "published": _("Shown on the public site only while the learner's consent to publication is recorded.")
        }

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.active().filter(project=project)
