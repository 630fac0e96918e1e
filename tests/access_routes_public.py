"""Access-matrix entries for the public site and the coordinator's pages that write it; merged into ROUTES."""

from django.core.files.base import ContentFile
from django.utils import timezone

from public.models import Article, Attachment, NewsItem, Submission, Testimonial, Topic

from .access_expect import expect

EVERYONE = expect(200, 200, 200, 200, 200)
NO_POST = expect(405, 405, 405, 405, 405)
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
    "public:home": (None, EVERYONE, NO_POST),
    "public:articles": (None, EVERYONE, NO_POST),
    "public:topic": (lambda w: {"topic": Topic.MENTORING}, EVERYONE, NO_POST),
    "public:article": (lambda w: {"slug": article(w).slug}, EVERYONE, NO_POST),
    "public:attachment": (lambda w: {"slug": article(w).slug, "pk": attachment(w).pk}, EVERYONE, NO_POST),
    "public:exchange": (None, EVERYONE, NO_POST),
    "public:submit": (None, EVERYONE, EVERYONE),  # an empty form comes back with its errors
    "public:exchange_thanks": (None, EVERYONE, NO_POST),
    "public:exchange_item": (lambda w: {"pk": approved_submission(w).pk}, EVERYONE, NO_POST),
    "public:exchange_file": (lambda w: {"pk": approved_submission(w).pk}, EVERYONE, NO_POST),
    "public:news": (None, EVERYONE, NO_POST),
    "public:news_item": (lambda w: {"slug": news_item(w).slug}, EVERYONE, NO_POST),
    "public:news_rss": (None, EVERYONE, EVERYONE),  # Django's feeds answer any method
    "public:news_atom": (None, EVERYONE, EVERYONE),
    "public:privacy": (None, EVERYONE, NO_POST),
    "public:sitemap": (None, EVERYONE, EVERYONE),
    "public:manage": (None, COORDINATOR, COORDINATOR_POST_NOT_ALLOWED),
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
