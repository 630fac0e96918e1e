"""The public site (no sign-in) and the coordinator's pages that write it."""

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import (
    CreateView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
    View,
)

from accounts.roles import WRITERS, RoleRequiredMixin, get_for, scoped
from common import private_files, sections
from common.views import FormPageMixin, SavedMessageMixin
from participants.models import Participant
from placements.selectors import current_project
from placements.sites import SiteMixin, public_sites

from . import selectors, services
from .forms import (
    ArticleForm,
    AttachmentForm,
    ModerationForm,
    NewsForm,
    ProjectPageForm,
    PublicAddressForm,
    SubmissionForm,
    TestimonialForm,
)
from .markup import render_markdown
from .models import Article, Attachment, NewsItem, ProjectPage, Submission, Testimonial, Topic


def page_for(project, language):
    """The published project page in the visitor's language, else in English, else none."""
    pages = {p.language: p for p in ProjectPage.objects.filter(project=project, published=True)}
    return pages.get(language) or pages.get("en") or next(iter(pages.values()), None)


# Public pages: each project's site under /p/<site>/ shows that project's content and nothing of another's.


class RootView(TemplateView):
    """The installation's address: the one site's home, or the list of the projects' sites."""

    template_name = "public/sites.html"

    def get(self, request, *args, **kwargs):
        sites = public_sites()
        if not sites:
            raise Http404
        if len(sites) == 1:
            return HttpResponseRedirect(reverse("public:home", args=[sites[0].public_slug]))
        return self.render_to_response(self.get_context_data(sites=sites))


def article_project(kwargs):
    return Article.objects.published().filter(slug=kwargs["slug"]).values_list("project__public_slug", flat=True)


def news_project(kwargs):
    return NewsItem.objects.published().filter(slug=kwargs["slug"]).values_list("project__public_slug", flat=True)


def submission_project(kwargs):
    return Submission.objects.approved().filter(pk=kwargs["pk"]).values_list("project__public_slug", flat=True)


class HomeView(SiteMixin, TemplateView):
    template_name = "public/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.project
        context.update(
            selectors.home_content(project),
            project=project,
            site_project=project,  # the header's project, without the context processor's second look-up
            page=page_for(project, get_language()),
            calls=[call for found in sections.contributions(sections.PUBLIC_CALLS, project) for call in found],
        )
        return context


class ArticleListView(SiteMixin, ListView):
    template_name = "public/article_list.html"
    context_object_name = "articles"
    paginate_by = 12

    def get_queryset(self):
        articles = Article.objects.published().filter(project=self.project)
        self.topic = self.kwargs.get("topic")
        if self.topic:
            if self.topic not in Topic.values:
                raise Http404
            articles = articles.filter(topic=self.topic)
        self.search_text = self.request.GET.get("q", "").strip()[:100]
        for word in self.search_text.split():
            articles = articles.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word))
        return articles.annotate(attachment_count=Count("attachments")).order_by("-published_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            topics=Topic.choices,
            topic=self.topic,
            topic_label=Topic(self.topic).label if self.topic else None,
            search_text=self.search_text,
        )
        return context


class ArticleView(SiteMixin, DetailView):
    template_name = "public/article.html"
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.published()
            .filter(project=self.project)
            .select_related("placement")
            .prefetch_related("attachments")
        )


class AttachmentView(SiteMixin, View):
    def get(self, request, site, slug, pk):
        articles = Article.objects.published().filter(project=self.project)
        attachment = get_object_or_404(Attachment, pk=pk, article__slug=slug, article__in=articles)
        return _file_response(attachment.file, attachment.original_name)


def _file_response(field, name):
    if not field:
        raise Http404
    return private_files.serve(
        field.name, filename=name or "document.pdf", content_type="application/pdf", storage=field.storage
    )


class ExchangeView(SiteMixin, ListView):
    template_name = "public/exchange.html"
    context_object_name = "submissions"
    paginate_by = 12

    def get_queryset(self):
        return Submission.objects.approved().filter(project=self.project).order_by("-moderated_at")


class ExchangeItemView(SiteMixin, DetailView):
    template_name = "public/exchange_item.html"
    context_object_name = "submission"

    def get_queryset(self):
        return Submission.objects.approved().filter(project=self.project)


class ExchangeFileView(SiteMixin, View):
    def get(self, request, site, pk):
        submission = get_object_or_404(Submission.objects.approved().filter(project=self.project), pk=pk)
        return _file_response(submission.attachment, submission.attachment_name)


class SubmitView(SiteMixin, CreateView):
    template_name = "public/submit.html"
    form_class = SubmissionForm

    def get_success_url(self):
        return reverse("public:exchange_thanks", args=[self.project.public_slug])

    def form_valid(self, form):
        # A robot that filled the hidden field is told "thank you" and nothing is kept or sent.
        if form.is_spam:
            return HttpResponseRedirect(self.get_success_url())
        if services.over_limit(form.cleaned_data["email"], services.client_key(self.request), project=self.project):
            form.add_error(
                None,
                _("You have already sent %(count)d practices today. Please try again tomorrow.")
                % {"count": services.SUBMISSIONS_PER_DAY},
            )
            return self.form_invalid(form)
        services.take_submission(form, self.request, self.project)
        return HttpResponseRedirect(self.get_success_url())


class SubmitThanksView(SiteMixin, TemplateView):
    template_name = "public/submit_thanks.html"


class NewsListView(SiteMixin, ListView):
    template_name = "public/news_list.html"
    context_object_name = "news"
    paginate_by = 10

    def get_queryset(self):
        return NewsItem.objects.published().filter(project=self.project)


class NewsView(SiteMixin, DetailView):
    template_name = "public/news_item.html"
    context_object_name = "item"

    def get_queryset(self):
        return NewsItem.objects.published().filter(project=self.project)


class PrivacyNoticeView(SiteMixin, TemplateView):
    template_name = "public/privacy.html"


# Coordinator's pages


class ManageMixin(RoleRequiredMixin):
    allowed_roles = WRITERS

    def get_project(self):
        # The project of a school where the user is coordinator (roles per school): a school where they are
        # staff is not theirs to publish for.
        project = current_project(None, self.request.user, write=True)
        if project is None:
            raise Http404
        return project


class ManageView(ManageMixin, TemplateView):
    template_name = "public/manage/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        pages = {p.language: p for p in ProjectPage.objects.filter(project=project)}
        context.update(
            project=project,
            languages=[(code, name, pages.get(code)) for code, name in settings.LANGUAGES],
            pending=Submission.objects.filter(project=project, status=Submission.Status.PENDING).count(),
            address_form=kwargs.get("address_form") or PublicAddressForm(instance=project),
            articles=Article.objects.filter(project=project).count(),
            news=NewsItem.objects.filter(project=project).count(),
            testimonials=Testimonial.objects.filter(participant__project=project).count(),
        )
        return context


class PreviewMixin:
    """A "Preview" button shows the Markdown as the public will see it and saves nothing."""

    preview_field = "body"

    def form_valid(self, form):
        if "preview" in self.request.POST:
            return self.render_to_response(
                self.get_context_data(form=form, preview_html=render_markdown(form.cleaned_data[self.preview_field]))
            )
        return super().form_valid(form)


class ProjectPageEditView(ManageMixin, PreviewMixin, SavedMessageMixin, UpdateView):
    template_name = "public/manage/form.html"
    form_class = ProjectPageForm
    preview_field = "objectives"
    success_url = reverse_lazy("public:manage")

    def get_object(self, queryset=None):
        language = self.kwargs["language"]
        if language not in dict(settings.LANGUAGES):
            raise Http404
        project = self.get_project()
        return ProjectPage.objects.filter(project=project, language=language).first() or ProjectPage(
            project=project, language=language, title=project.title, introduction=project.summary
        )

    def form_valid(self, form):
        form.instance.updated_by = self.request.user
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Project page (%(language)s)") % {"language": self.object.get_language_display()}
        return context


class ArticleManageList(ManageMixin, ListView):
    template_name = "public/manage/article_list.html"
    context_object_name = "articles"
    paginate_by = 50
    model = Article
    kind = "article"

    def get_queryset(self):
        return self.model.objects.filter(project=self.get_project()).select_related("author").order_by("-created_at")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        return context


class NewsManageList(ArticleManageList):
    model = NewsItem
    kind = "news"


class PublishableEditMixin(ManageMixin, PreviewMixin, FormPageMixin, SavedMessageMixin):
    template_name = "public/manage/form.html"

    def get_queryset(self):
        return self.model.objects.filter(project=self.get_project())

    def form_valid(self, form):
        form.instance.project = self.get_project()
        if not form.instance.author_id:
            form.instance.author = self.request.user
        return super().form_valid(form)

    def get_success_url(self):
        return reverse(self.list_crumb[0])


class ArticleFormMixin(PublishableEditMixin):
    model = Article
    form_class = ArticleForm
    list_crumb = ("public:manage_articles", gettext_lazy("Good-practice articles"))
    create_title = gettext_lazy("New good-practice article")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.get_project()}


class ArticleCreateView(ArticleFormMixin, CreateView):
    pass


class ArticleEditView(ArticleFormMixin, UpdateView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attachments_url"] = reverse("public:manage_attachments", args=[self.object.pk])
        return context


class NewsFormMixin(PublishableEditMixin):
    model = NewsItem
    form_class = NewsForm
    list_crumb = ("public:manage_news", gettext_lazy("News"))
    create_title = gettext_lazy("New news item")


class NewsCreateView(NewsFormMixin, CreateView):
    pass


class NewsEditView(NewsFormMixin, UpdateView):
    pass


class AttachmentsView(ManageMixin, FormView):
    """An article's PDFs: the list, an upload form and a delete button per file."""

    template_name = "public/manage/attachments.html"
    form_class = AttachmentForm

    def get_article(self):
        return get_for(
            self.request.user, Article.objects.all(), pk=self.kwargs["pk"], project=self.get_project(), write=True
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["article"] = article = self.get_article()
        context["attachments"] = article.attachments.all()
        return context

    def form_valid(self, form):
        attachment = form.save(commit=False)
        attachment.article = self.get_article()
        attachment.original_name = form.cleaned_data["file"].name[:200]
        attachment.size = form.cleaned_data["file"].size
        attachment.save()
        messages.success(self.request, _("“%(title)s” was attached.") % {"title": attachment.title})
        return HttpResponseRedirect(self.request.path)


class AttachmentDeleteView(ManageMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, attachment_pk):
        attachment = get_for(
            request.user,
            Attachment.objects.all(),
            pk=attachment_pk,
            article__pk=pk,
            article__project=self.get_project(),
            write=True,
        )
        attachment.file.delete(save=False)
        attachment.delete()
        messages.success(request, _("“%(title)s” was removed.") % {"title": attachment.title})
        return HttpResponseRedirect(reverse("public:manage_attachments", args=[pk]))


class PublicAddressView(ManageView):
    """The coordinator changes the project's public site address (/p/<slug>/); the old address stops working.
    A refused address shows the site's page again with the message under the field."""

    http_method_names = ["post"]

    def post(self, request):
        project = self.get_project()
        form = PublicAddressForm(request.POST, instance=project)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(address_form=form))
        form.save()
        url = reverse("public:home", args=[project.public_slug])
        messages.success(request, _("The public site's address is now %(url)s.") % {"url": url})
        return HttpResponseRedirect(reverse("public:manage"))


class SubmissionManageList(ManageMixin, ListView):
    """The submissions sent through the sites of the coordinator's schools' projects, and no others."""

    template_name = "public/manage/submission_list.html"
    context_object_name = "submissions"
    paginate_by = 50

    def get_queryset(self):
        self.status = self.request.GET.get("status", Submission.Status.PENDING)
        submissions = scoped(Submission.objects.select_related("moderated_by", "project"), self.request.user)
        if self.status in Submission.Status.values:
            submissions = submissions.filter(status=self.status)
        return submissions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(statuses=Submission.Status.choices, status=self.status)
        return context


class SubmissionModerateView(ManageMixin, FormView):
    template_name = "public/manage/submission.html"
    form_class = ModerationForm

    def get_submission(self):
        return get_for(
            self.request.user, Submission.objects.select_related("moderated_by"), pk=self.kwargs["pk"], write=True
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["submission"] = self.get_submission()
        return context

    def form_valid(self, form):
        submission = services.moderate(
            self.get_submission(), self.request.user, form.cleaned_data["decision"], form.cleaned_data["note"]
        )
        messages.success(
            self.request,
            _("“%(title)s”: %(status)s.") % {"title": submission.title, "status": submission.get_status_display()},
        )
        return HttpResponseRedirect(reverse("public:manage_submissions"))


class SubmissionFileView(ManageMixin, View):
    def get(self, request, pk):
        submission = get_for(request.user, Submission.objects.all(), pk=pk, write=True)
        return _file_response(submission.attachment, submission.attachment_name)


class TestimonialManageList(ManageMixin, ListView):
    template_name = "public/manage/testimonial_list.html"
    context_object_name = "testimonials"
    paginate_by = 50

    def get_queryset(self):
        publishable = Participant.objects.publishable().filter(pk=OuterRef("participant"))
        return (
            Testimonial.objects.filter(participant__project=self.get_project())
            .select_related("participant")
            .annotate(consented=Exists(publishable))
        )


class TestimonialFormMixin(ManageMixin, FormPageMixin, SavedMessageMixin):
    template_name = "public/manage/form.html"
    model = Testimonial
    form_class = TestimonialForm
    list_crumb = ("public:manage_testimonials", gettext_lazy("Testimonials"))
    create_title = gettext_lazy("New testimonial")
    success_url = reverse_lazy("public:manage_testimonials")

    def get_queryset(self):
        return Testimonial.objects.filter(participant__project=self.get_project())

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.get_project()}

    def form_valid(self, form):
        if not form.instance.created_by_id:
            form.instance.created_by = self.request.user
        return super().form_valid(form)


class TestimonialCreateView(TestimonialFormMixin, CreateView):
    pass


class TestimonialEditView(TestimonialFormMixin, UpdateView):
    pass
