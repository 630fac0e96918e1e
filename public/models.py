"""The public project site: the project's page, good-practice articles, news, the exchange with other
organisations, and learners' testimonials. Everything is written by coordinators (or submitted by the public and
moderated) and published only on purpose."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from common.storage import private_storage

from .markup import render_markdown


class Topic(models.TextChoices):
    """The themes the project's good practice is sorted by (from the project's application)."""

    SELECTION = "selection", _("Selection and preparation of participants")
    INCLUSION = "inclusion", _("Inclusion and support")
    MENTORING = "mentoring", _("Mentoring at the workplace")
    RECOGNITION = "recognition", _("Recognition of learning outcomes")
    EMPLOYERS = "employers", _("Working with employers")


def language_choices():
    return [(code, name) for code, name in settings.LANGUAGES]


# Uploaded files live in the private storage under random names; the original name is kept in a field.


def attachment_path(instance, filename):
    return f"public/attachments/{secrets.token_hex(16)}.pdf"


def submission_path(instance, filename):
    return f"public/submissions/{secrets.token_hex(16)}.pdf"


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Publishable.Status.PUBLISHED, published_at__lte=timezone.now())


class Publishable(models.Model):
    """What articles and news share: a language, Markdown stored with its sanitised HTML, and a publication state."""

    project_path = "project"  # the way to its school, for accounts.roles.scoped

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    project = models.ForeignKey("placements.Project", verbose_name=_("project"), on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        allow_unicode=False,
        help_text=_("The last part of the page's address: lowercase letters, digits and hyphens."),
    )
    language = models.CharField(_("language"), max_length=8, choices=language_choices, default="en")
    summary = models.CharField(
        _("summary"), max_length=300, help_text=_("One or two sentences for lists and previews.")
    )
    body = models.TextField(
        _("text"),
        max_length=40000,
        help_text=_("Markdown: **bold**, *italic*, ## headings, - lists, [links](https://…)."),
    )
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-published_at", "-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at and self.published_at <= timezone.now()


class Article(Publishable):
    """A good-practice article of the project; one linked to a placement is that placement's story."""

    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    placement = models.ForeignKey(
        "placements.Placement",
        verbose_name=_("placement (for a placement's story)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
    )

    class Meta(Publishable.Meta):
        verbose_name = _("good-practice article")
        verbose_name_plural = _("good-practice articles")
        indexes = [models.Index(fields=["status", "published_at"])]

    def get_absolute_url(self):
        return reverse("public:article", args=[self.project.public_slug, self.slug])


class Attachment(models.Model):
    """A PDF that comes with an article (templates other schools can reuse)."""

    project_path = "article__project"  # the way to its school, for accounts.roles.scoped

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("PDF file"), storage=private_storage, upload_to=attachment_path)
    original_name = models.CharField(max_length=200, editable=False)
    size = models.PositiveIntegerField(editable=False, default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("public:attachment", args=[self.article.project.public_slug, self.article.slug, self.pk])


class NewsItem(Publishable):
    class Meta(Publishable.Meta):
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [models.Index(fields=["status", "published_at"])]

    def get_absolute_url(self):
        return reverse("public:news_item", args=[self.project.public_slug, self.slug])


class ProjectPage(models.Model):
    """The project's public home page in one language; English is the fallback."""

    project_path = "project"  # the way to its school, for accounts.roles.scoped

    project = models.ForeignKey(
        "placements.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="public_pages"
    )
    language = models.CharField(_("language"), max_length=8, choices=language_choices, default="en")
    title = models.CharField(_("title"), max_length=250)
    introduction = models.TextField(_("introduction"), max_length=2000)
    objectives = models.TextField(_("objectives"), max_length=10000, help_text=_("Markdown."))
    objectives_html = models.TextField(editable=False, default="")
    results = models.TextField(_("results so far"), max_length=10000, blank=True, help_text=_("Markdown."))
    results_html = models.TextField(editable=False, default="")
    published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("project page")
        verbose_name_plural = _("project pages")
        constraints = [models.UniqueConstraint(fields=["project", "language"], name="one_project_page_per_language")]

    def __str__(self):
        return f"{self.title} ({self.language})"

    def save(self, *args, **kwargs):
        self.objectives_html = render_markdown(self.objectives)
        self.results_html = render_markdown(self.results)
        super().save(*args, **kwargs)


class SubmissionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Submission.Status.APPROVED)


class Submission(models.Model):
    """Good practice sent in by another school or organisation through one project's site; public there only
    after one of that project's coordinators approves it."""

    project_path = "project"  # the way to its school, for accounts.roles.scoped

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        APPROVED = "approved", _("Approved and published")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(
        "placements.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="submissions"
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    country = CountryField(_("country"))
    contact_name = models.CharField(_("contact person"), max_length=150)
    email = models.EmailField(_("email"), max_length=254)
    title = models.CharField(_("title of your practice"), max_length=200)
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    text = models.TextField(_("description"), max_length=10000, help_text=_("Markdown is allowed."))
    text_html = models.TextField(editable=False, default="")
    attachment = models.FileField(_("attachment (PDF)"), storage=private_storage, upload_to=submission_path, blank=True)
    attachment_name = models.CharField(max_length=200, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(_("submitted on"), default=timezone.now)
    client_key = models.CharField(max_length=64, editable=False, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(_("note for the record"), max_length=500, blank=True)
    # When the retention rule (privacy.services) removed the contact person, their email and the address key;
    # what was published (organisation, country, the practice) stays.
    details_removed_at = models.DateTimeField(_("contact details removed"), null=True, blank=True, editable=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("good-practice submission")
        verbose_name_plural = _("good-practice submissions")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["email", "submitted_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.text_html = render_markdown(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("public:exchange_item", args=[self.project.public_slug, self.pk])


class TestimonialQuerySet(models.QuerySet):
    def public(self):
        from participants.models import Participant

        return self.filter(published=True, participant__in=Participant.objects.publishable())


class Testimonial(models.Model):
    """A learner's own words about their placement, published only while their consent allows it."""

    project_path = "participant__project"  # the way to its school, for accounts.roles.scoped
    learner_path = "participant"  # the way to its learner: a consortium member school sees its own

    participant = models.ForeignKey(
        "participants.Participant", verbose_name=_("learner"), on_delete=models.CASCADE, related_name="testimonials"
    )
    quote = models.TextField(_("in their words"), max_length=1000)
    language = models.CharField(_("language"), max_length=8, choices=language_choices, default="ro")
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        verbose_name = _("testimonial")
        verbose_name_plural = _("testimonials")
        ordering = ["-created_at"]

    def __str__(self):
        return self.quote[:60]
