"""The public project site: what the public reads, what it may send, and what it must never reach."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from public.markup import render_markdown
from public.models import Article, NewsItem, ProjectPage, Submission, Topic
from public.models import Testimonial as LearnerTestimonial
from public.services import SUBMISSIONS_PER_DAY

from .sites import on_site

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_article(world, slug="buddy", status=Article.Status.PUBLISHED, **extra):
    fields = {
        "project": world.project,
        "title": f"Article {slug}",
        "slug": slug,
        "summary": "A summary.",
        "body": "Some **text**.",
        "topic": Topic.INCLUSION,
        "status": status,
        **extra,
    }
    return Article.objects.create(**fields)


def submission_data(**extra):
    return {
        "organisation": "Escola Profissional",
        "country": "PT",
        "contact_name": "Ana Ribeiro",
        "email": "ana@example.org",
        "title": "Buddy learners",
        "topic": Topic.INCLUSION,
        "text": "Each newcomer works beside a buddy.",
        "agree": "on",
        "website": "",
        **extra,
    }


def test_home_shows_counts_partners_and_the_eu_statement_but_no_learner_names(world, client):
    html = client.get(on_site("public:home")).content.decode()
    assert world.project.title in html
    assert "Co-funded by the European Union" in html
    assert "can be held responsible for them" in html
    assert world.host.name in html and world.host.city in html
    assert world.learner.last_name not in html
    assert world.other_learner.last_name not in html


def test_home_uses_the_page_in_the_visitors_language_and_falls_back_to_english(world, client):
    for language, title in [("en", "Inclusion through practice"), ("ro", "Incluziune prin practică")]:
        ProjectPage.objects.create(
            project=world.project,
            language=language,
            title=title,
            introduction="Intro",
            objectives="- one",
            published=True,
        )
    client.cookies["django_language"] = "ro"
    assert "Incluziune prin practică" in client.get(on_site("public:home")).content.decode()
    client.cookies["django_language"] = "pt"
    html = client.get(on_site("public:home")).content.decode()
    assert "Inclusion through practice" in html
    assert 'lang="pt"' in html


def test_a_testimonial_is_public_only_while_the_learner_consents(world, client, forget_cache):
    world.learner.consent_dissemination_on = date(2026, 9, 1)
    world.learner.save()
    LearnerTestimonial.objects.create(participant=world.learner, quote="Am învățat să sudez.", published=True)
    assert "Am învățat să sudez." in client.get(on_site("public:home")).content.decode()

    world.learner.consent_dissemination_on = None  # consent withdrawn
    world.learner.save()
    forget_cache()
    assert "Am învățat să sudez." not in client.get(on_site("public:home")).content.decode()


def test_an_unpublished_testimonial_is_not_shown(world, client):
    world.learner.consent_dissemination_on = date(2026, 9, 1)
    world.learner.save()
    LearnerTestimonial.objects.create(participant=world.learner, quote="Not yet approved words.", published=False)
    assert "Not yet approved words." not in client.get(on_site("public:home")).content.decode()


def test_the_public_never_reaches_a_draft_or_future_article_by_its_address(world, client):
    draft = make_article(world, "draft", status=Article.Status.DRAFT)
    future = make_article(world, "future", published_at=timezone.now() + timedelta(days=3))
    for article in (draft, future):
        assert client.get(on_site("public:article", article.slug)).status_code == 404
    listing = client.get(on_site("public:articles")).content.decode()
    assert "Article draft" not in listing and "Article future" not in listing


def test_article_search_and_topic_pages(world, client):
    make_article(world, "mentors", title="Mentors at the workbench", topic=Topic.MENTORING)
    make_article(world, "selection", title="Choosing learners fairly", topic=Topic.SELECTION)
    found = client.get(on_site("public:articles"), {"q": "workbench"}).content.decode()
    assert "Mentors at the workbench" in found and "Choosing learners fairly" not in found
    topic = client.get(on_site("public:topic", Topic.SELECTION)).content.decode()
    assert "Choosing learners fairly" in topic and "Mentors at the workbench" not in topic
    assert client.get(on_site("public:topic", "nonsense")).status_code == 404


def test_markdown_is_sanitised_before_it_is_stored():
    html = render_markdown(
        "# Title\n\n<script>alert(1)</script> [bad](javascript:alert(1)) <img src=x onerror=alert(1)> **ok**"
    )
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html and "<img" not in html
    assert "<h2>Title</h2>" in html and "<strong>ok</strong>" in html


def test_a_submission_waits_for_moderation_and_the_submitter_gets_a_confirmation(
    world, client, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(on_site("public:submit"), submission_data())
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.PENDING
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana@example.org"]
    assert f"GP-{submission.pk:05d}" in mail.outbox[0].body

    assert "Buddy learners" not in client.get(on_site("public:exchange")).content.decode()
    assert client.get(on_site("public:exchange_item", submission.pk)).status_code == 404

    coordinator = client_for(world.coordinator)
    response = coordinator.post(reverse("public:manage_submission", args=[submission.pk]), {"decision": "approved"})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.moderated_by == world.coordinator
    page = client.get(on_site("public:exchange_item", submission.pk)).content.decode()
    assert "Buddy learners" in page and "Escola Profissional" in page
    assert "ana@example.org" not in page and "Ana Ribeiro" not in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"organisation": "", "title": "", "text": ""}, "title", "This field is required."),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"text": "Nice <script>alert(1)</script>"}, "text", "HTML tags"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"agree": ""}, "agree", "This field is required."),
    ],
)
def test_bad_submissions_are_refused_with_a_clear_message_and_nothing_is_stored(client, changes, field, message):
    response = client.post(on_site("public:submit"), submission_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Nothing was saved" in response.content.decode()
    assert not Submission.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("practice.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"), "not a PDF"),
        (SimpleUploadedFile("practice.pdf", PDF + b"0" * (5 * 1024 * 1024), "application/pdf"), "the limit is 5 MB"),
    ],
)
def test_a_wrong_or_too_big_attachment_is_refused_and_nothing_is_stored(client, private_files, upload, message):
    response = client.post(on_site("public:submit"), submission_data(attachment=upload))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["attachment"])
    assert not Submission.objects.exists()
    assert not any(private_files.rglob("*.pdf"))


def test_a_pdf_attachment_is_stored_privately_and_served_only_once_approved(client, private_files):
    upload = SimpleUploadedFile("Șablon.pdf", PDF, "application/pdf")
    assert client.post(on_site("public:submit"), submission_data(attachment=upload)).status_code == 302
    submission = Submission.objects.get()
    assert submission.attachment.name.startswith("public/submissions/")
    assert "Șablon" not in submission.attachment.name  # stored under a random name
    assert (private_files / submission.attachment.name).exists()
    assert client.get(on_site("public:exchange_file", submission.pk)).status_code == 404
    submission.status = Submission.Status.APPROVED
    submission.save()
    response = client.get(on_site("public:exchange_file", submission.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_the_confirmation_email_repeats_nothing_the_sender_typed(client, django_capture_on_commit_callbacks):
    """Anyone can type someone else's address: the confirmation must not carry the sender's text to them."""
    spam = submission_data(
        email="victim@example.org", contact_name="Cheap pills at http://spam.example", title="Visit spam.example now"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(on_site("public:submit"), spam)
    (message,) = mail.outbox
    assert message.to == ["victim@example.org"]
    assert "spam.example" not in message.body and "spam.example" not in message.subject
    assert f"GP-{Submission.objects.get().pk:05d}" in message.body


def test_the_honeypot_thanks_the_robot_and_keeps_nothing(client):
    response = client.post(on_site("public:submit"), submission_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Submission.objects.exists() and not mail.outbox


def test_one_address_may_send_only_a_few_practices_a_day(client):
    for number in range(SUBMISSIONS_PER_DAY):
        assert client.post(on_site("public:submit"), submission_data(title=f"Practice {number}")).status_code == 302
    response = client.post(on_site("public:submit"), submission_data(title="One too many"))
    assert response.status_code == 200
    assert "Please try again tomorrow" in response.content.decode()
    assert Submission.objects.count() == SUBMISSIONS_PER_DAY


def test_behind_the_proxy_the_limit_counts_each_visitor_not_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for number in range(SUBMISSIONS_PER_DAY):
        data = submission_data(title=f"P{number}", email=f"p{number}@example.org")
        assert (
            client.post(on_site("public:submit"), data, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 302
        )
    again = client.post(
        on_site("public:submit"), submission_data(email="new@example.org"), HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy
    )
    assert "Please try again tomorrow" in again.content.decode()
    other_school = client.post(
        on_site("public:submit"),
        submission_data(email="other@example.org"),
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **proxy,
    )
    assert other_school.status_code == 302
    assert Submission.objects.count() == SUBMISSIONS_PER_DAY + 1


def test_feeds_and_sitemap_list_only_what_is_published(world, client):
    NewsItem.objects.create(
        project=world.project,
        title="Arrival in Braga",
        slug="arrival",
        summary="s",
        body="b",
        status=NewsItem.Status.PUBLISHED,
    )
    NewsItem.objects.create(project=world.project, title="Secret draft", slug="draft", summary="s", body="b")
    make_article(world, "public-one")
    make_article(world, "hidden-one", status=Article.Status.DRAFT)
    for name in ("public:news_rss", "public:news_atom"):
        feed = client.get(on_site(name)).content.decode()
        assert "Arrival in Braga" in feed and "Secret draft" not in feed
    sitemap = client.get(reverse("public:sitemap")).content.decode()
    assert "/good-practice/public-one/" in sitemap and "hidden-one" not in sitemap
    assert "/news/arrival/" in sitemap and "/news/draft/" not in sitemap


def test_an_article_page_has_open_graph_tags(world, client):
    article = make_article(world, "og", title="Mentoring that works", summary="How mentors helped.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Mentoring that works">' in html
    assert '<meta property="og:description" content="How mentors helped.">' in html
    assert '<meta property="og:type" content="article">' in html


def test_a_missing_page_is_friendly(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and f'href="{reverse("public:root")}"' in html


def test_preview_shows_the_sanitised_text_and_saves_nothing(world, client_for):
    client = client_for(world.coordinator)
    data = {
        "title": "Mentors",
        "slug": "mentors",
        "language": "en",
        "topic": Topic.MENTORING,
        "summary": "S",
        "body": "**Bold** <script>x()</script>",
        "status": "draft",
    }
    response = client.post(reverse("public:manage_article_new"), {**data, "preview": "1"})
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in response.content.decode()
    assert "<script>x()" not in response.content.decode()
    assert not Article.objects.exists()
    assert client.post(reverse("public:manage_article_new"), data).status_code == 302
    article = Article.objects.get()
    assert article.author == world.coordinator and "<script" not in article.body_html


def test_an_article_with_a_taken_address_is_refused_on_the_field(world, client_for):
    make_article(world, "taken")
    response = client_for(world.coordinator).post(
        reverse("public:manage_article_new"),
        {
            "title": "T",
            "slug": "taken",
            "language": "en",
            "topic": Topic.MENTORING,
            "summary": "S",
            "body": "B",
            "status": "draft",
        },
    )
    assert response.status_code == 200 and "slug" in response.context["form"].errors
    assert Article.objects.count() == 1


def test_attachments_must_be_pdfs(world, client_for, private_files):
    article = make_article(world, "with-files")
    client = client_for(world.coordinator)
    url = reverse("public:manage_attachments", args=[article.pk])
    bad = SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = client.post(url, {"title": "Evil", "file": bad})
    assert response.status_code == 200 and "not a PDF" in response.content.decode()
    good = SimpleUploadedFile("checklist.pdf", PDF, "application/pdf")
    assert client.post(url, {"title": "Checklist", "file": good}).status_code == 302
    attachment = article.attachments.get()
    public = client_for(None).get(attachment.get_absolute_url())
    assert public.status_code == 200 and b"".join(public.streaming_content) == PDF
    article.status = Article.Status.DRAFT
    article.save()
    assert client_for(None).get(attachment.get_absolute_url()).status_code == 404


def count_queries(client, url, shows):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert shows in response.content.decode(), f"{url} does not show {shows!r}"
    return len(queries)


# What each list shows of the data added (its newest item), so that a count on an empty page cannot pass.
SHOWS = {
    "public:articles": "Article a{last}",
    "public:news": "N{last}",
    "public:exchange": "S{last}",
    "public:home": "Article a{last}",
    "public:manage_articles": "Article a{last}",
    "public:manage_submissions": "S{last}",
}


@pytest.mark.parametrize(
    "name",
    [
        "public:articles",
        "public:news",
        "public:exchange",
        "public:home",
        "public:manage_articles",
        "public:manage_submissions",
    ],
)
def test_public_lists_do_a_fixed_number_of_queries(world, client_for, name, forget_cache, cache_queries):
    client = client_for(world.coordinator)

    def add(count, start):
        for number in range(start, start + count):
            make_article(world, f"a{number}", placement=world.placement)
            NewsItem.objects.create(
                project=world.project,
                title=f"N{number}",
                slug=f"n{number}",
                summary="s",
                body="b",
                status=NewsItem.Status.PUBLISHED,
            )
            Submission.objects.create(
                project=world.project,
                organisation="O",
                country="PT",
                contact_name="C",
                email=f"{number}@x.org",
                title=f"S{number}",
                topic=Topic.INCLUSION,
                text="t",
                client_key="k",
                status=Submission.Status.APPROVED,
            )

    url = reverse(name) if "manage" in name else on_site(name)
    if name == "public:manage_submissions":
        url += "?status=approved"  # the list opens on pending submissions, of which there are none here
    add(2, 0)
    forget_cache()
    few = count_queries(client, url, SHOWS[name].format(last=1))
    add(10, 2)
    forget_cache()
    many = count_queries(client, url, SHOWS[name].format(last=11))
    assert few == many
    # The home page's figures walk the attendance records once (then they are cached for a few minutes): one
    # cache read that misses and one write, which cost queries on the database cache. The attendance rate comes
    # from the final report's data, which now includes the tables other apps contribute (feedback: 4 queries,
    # alumni: 2); the graduates' paths (alumni) and the partners named publicly (employers) add one each.
    assert many <= (46 + cache_queries(reads=1, writes=1) if name == "public:home" else 20)


def test_the_server_error_page_needs_no_context_and_speaks_three_languages(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html and 'lang="ro"' in html and 'lang="pt"' in html


def test_the_final_report_lists_what_the_site_published_as_dissemination(world):
    from reports.final_report import report_data

    make_article(world, "published-one", title="Mentors at the workbench")
    make_article(world, "draft-one", title="Unfinished draft", status=Article.Status.DRAFT)
    Submission.objects.create(
        project=world.project,
        organisation="Escola",
        country="PT",
        contact_name="A",
        email="a@x.org",
        title="T",
        topic=Topic.INCLUSION,
        text="t",
        client_key="k",
        status=Submission.Status.APPROVED,
        moderated_at=timezone.now(),
    )
    entries = report_data(world.project)["dissemination"]
    titles = [entry["title"] for entry in entries]
    assert "Mentors at the workbench" in titles and "Unfinished draft" not in titles
    exchange = next(entry for entry in entries if entry["kind"] == "Exchange of good practice")
    assert exchange["reached"] == 1


def test_the_coordinators_dashboard_says_when_submissions_wait_for_moderation(world, client_for):
    Submission.objects.create(
        project=world.project,
        organisation="O",
        country="PT",
        contact_name="C",
        email="c@x.org",
        title="T",
        topic=Topic.INCLUSION,
        text="t",
        client_key="k",
    )
    html = client_for(world.coordinator).get(reverse("dashboard")).content.decode()
    assert "1 good-practice submission waits for moderation." in html
    assert reverse("public:manage_submissions") in html


def test_a_body_larger_than_any_form_takes_is_refused_before_it_is_read(client):
    response = client.generic(
        "POST",
        on_site("public:submit"),
        b"x",
        CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(500 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert not Submission.objects.exists()
