"""Access-matrix entries for the public site and the coordinator's pages that write it; merged into ROUTES."""

from django.core.files.base import ContentFile
from django.utils import timezone

from public.models import Article, Attachment, NewsItem, Submission, Testimonial, Topic

from .access_expect import expect
from .sites import site_args

EVERYONE = expect(200, 200, 200, 200, 200)
NO_POST = expect(405, 405, 405, 405, 405)
REDIRECT = expect(302, 302, 302, 302, 302)
COORDINATOR = expect(302, 403, 403, 403, 200)
COORDINATOR_POST_NOT_ALLOWED = expect(302, 403, 403, 403, 405)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def coordinator_post(ok):
    return expect(302, 403, 403, 403, ok)


def article(world):
    found, _created = Article.objects.get_or_create(
        slug="buddy-learners",
        defaults={
            "project": world.project,
            "title": "Buddy learners",
            "summary": "Newcomers work beside a buddy.",
            "body": "Text.",
            "topic": Topic.INCLUSION,
            "status": Article.Status.PUBLISHED,
        },
    )
    return found


def attachment(world):
    found = Attachment.objects.filter(article=article(world)).first()
    if found is None:
        found = Attachment(article=article(world), title="Checklist", original_name="checklist.pdf", size=len(PDF))
        found.file.save("checklist.pdf", ContentFile(PDF), save=True)
    return found


def news_item(world):
    found, _created = NewsItem.objects.get_or_create(
        slug="arrival",
        defaults={
            "project": world.project,
            "title": "Arrival",
            "summary": "They arrived.",
            "body": "Text.",
            "status": NewsItem.Status.PUBLISHED,
        },
    )
    return found


def approved_submission(world):
    found, _created = Submission.objects.get_or_create(
        title="Portfolio of samples",
        project=world.project,
        defaults={
            "organisation": "Colegiul Tehnic",
            "country": "RO",
            "contact_name": "Ioana Pop",
            "email": "ioana@example.org",
            "topic": Topic.RECOGNITION,
            "text": "Samples as a portfolio.",
            "status": Submission.Status.APPROVED,
            "moderated_at": timezone.now(),
            "client_key": "x",
        },
    )
    if not found.attachment:
        found.attachment_name = "portfolio.pdf"
        found.attachment.save("portfolio.pdf", ContentFile(PDF), save=True)
    return found


def testimonial(world):
    found, _created = Testimonial.objects.get_or_create(
        participant=world.learner, defaults={"quote": "I learned a lot.", "published": True}
    )
    return found


PUBLIC_ROUTES = {
    "public:home": (site_args(), EVERYONE, NO_POST),
    "public:articles": (site_args(), EVERYONE, NO_POST),
    "public:topic": (site_args(lambda w: {"topic": Topic.MENTORING}), EVERYONE, NO_POST),
    "public:article": (site_args(lambda w: {"slug": article(w).slug}), EVERYONE, NO_POST),
    "public:attachment": (site_args(lambda w: {"slug": article(w).slug, "pk": attachment(w).pk}), EVERYONE, NO_POST),
    "public:exchange": (site_args(), EVERYONE, NO_POST),
    "public:submit": (site_args(), EVERYONE, EVERYONE),  # an empty form comes back with its errors
    "public:exchange_thanks": (site_args(), EVERYONE, NO_POST),
    "public:exchange_item": (site_args(lambda w: {"pk": approved_submission(w).pk}), EVERYONE, NO_POST),
    "public:exchange_file": (site_args(lambda w: {"pk": approved_submission(w).pk}), EVERYONE, NO_POST),
    "public:news": (site_args(), EVERYONE, NO_POST),
    "public:news_item": (site_args(lambda w: {"slug": news_item(w).slug}), EVERYONE, NO_POST),
    "public:news_rss": (site_args(), EVERYONE, EVERYONE),  # Django's feeds answer any method
    "public:news_atom": (site_args(), EVERYONE, EVERYONE),
    "public:privacy": (site_args(), EVERYONE, NO_POST),
    "public:sitemap": (None, EVERYONE, EVERYONE),
    # The installation's address: the one site's home (the world has one project), else the list of sites.
    "public:root": (None, REDIRECT, NO_POST),
    # The addresses of the time of one site send everyone on to the same page of the owning project's site.
    "public:legacy_articles": (None, REDIRECT, REDIRECT),
    "public:legacy_topic": (lambda w: {"topic": Topic.MENTORING}, REDIRECT, REDIRECT),
    "public:legacy_article": (lambda w: {"slug": article(w).slug}, REDIRECT, REDIRECT),
    "public:legacy_attachment": (lambda w: {"slug": article(w).slug, "pk": attachment(w).pk}, REDIRECT, REDIRECT),
    "public:legacy_exchange": (None, REDIRECT, REDIRECT),
    "public:legacy_submit": (None, REDIRECT, REDIRECT),
    "public:legacy_exchange_thanks": (None, REDIRECT, REDIRECT),
    "public:legacy_exchange_item": (lambda w: {"pk": approved_submission(w).pk}, REDIRECT, REDIRECT),
    "public:legacy_exchange_file": (lambda w: {"pk": approved_submission(w).pk}, REDIRECT, REDIRECT),
    "public:legacy_news": (None, REDIRECT, REDIRECT),
    "public:legacy_news_item": (lambda w: {"slug": news_item(w).slug}, REDIRECT, REDIRECT),
    "public:legacy_news_rss": (None, REDIRECT, REDIRECT),
    "public:legacy_news_atom": (None, REDIRECT, REDIRECT),
    "public:legacy_privacy": (None, REDIRECT, REDIRECT),
    "public:manage": (None, COORDINATOR, COORDINATOR_POST_NOT_ALLOWED),
    # An empty address comes back with its message on the page; nothing is saved.
    "public:manage_address": (None, COORDINATOR_POST_NOT_ALLOWED, coordinator_post(200)),
    "public:manage_page": (lambda w: {"language": "ro"}, COORDINATOR, coordinator_post(200)),
    "public:manage_articles": (None, COORDINATOR, COORDINATOR_POST_NOT_ALLOWED),
    "public:manage_article_new": (None, COORDINATOR, coordinator_post(200)),
    "public:manage_article": (lambda w: {"pk": article(w).pk}, COORDINATOR, coordinator_post(200)),
    "public:manage_attachments": (lambda w: {"pk": article(w).pk}, COORDINATOR, coordinator_post(200)),
    "public:manage_attachment_delete": (
        lambda w: {"pk": article(w).pk, "attachment_pk": attachment(w).pk},
        COORDINATOR_POST_NOT_ALLOWED,
        coordinator_post(302),
    ),
    "public:manage_news": (None, COORDINATOR, COORDINATOR_POST_NOT_ALLOWED),
    "public:manage_news_new": (None, COORDINATOR, coordinator_post(200)),
    "public:manage_news_item": (lambda w: {"pk": news_item(w).pk}, COORDINATOR, coordinator_post(200)),
    "public:manage_submissions": (None, COORDINATOR, COORDINATOR_POST_NOT_ALLOWED),
    "public:manage_submission": (lambda w: {"pk": approved_submission(w).pk}, COORDINATOR, coordinator_post(200)),
    "public:manage_submission_file": (
        lambda w: {"pk": approved_submission(w).pk},
        COORDINATOR,
        COORDINATOR_POST_NOT_ALLOWED,
    ),
    "public:manage_testimonials": (None, COORDINATOR, COORDINATOR_POST_NOT_ALLOWED),
    "public:manage_testimonial_new": (None, COORDINATOR, coordinator_post(200)),
    "public:manage_testimonial": (lambda w: {"pk": testimonial(w).pk}, COORDINATOR, coordinator_post(200)),
}
