"""The demo's Europass Mobility documents: on the school's finished project, the first learner's is issued (its
PDFs and credential made now, so that the pages and the learner's My trip show them) and the others' are
drafted, waiting for the coordinator's review."""

from accounts.models import User
from assessments.models import Outcome
from documents.registry import NotIssuable
from placements.models import Assignment

from . import services
from .models import EuropassMobility

FINISHED_PROJECT = "2025-1-RO01-KA122-VET-000154309"  # alumni.demo's earlier project


def load_europass():
    coordinator = User.objects.filter(username="coordinator").first()
    if coordinator is None:
        return
    assignments = (
        Assignment.objects.filter(placement__project__reference=FINISHED_PROJECT, status=Assignment.Status.COMPLETED)
        .select_related("participant", "placement__project")
        .order_by("placement__start_date", "participant__name_key")
    )
    for number, assignment in enumerate(assignments):
        try:
            europass = services.draft_for(assignment, coordinator)
        except NotIssuable:
            continue
        if number == 0 and not europass.issued:
            if not europass.activities.strip():
                europass.activities = "Întreținerea preventivă a utilajelor\nCurățenia și ordinea în atelier"
            if not europass.job_skills.strip():
                # The demo's finished project kept no final ratings: the qualification's first outcomes stand in.
                outcomes = Outcome.objects.filter(unit__qualification=assignment.participant.qualification)
                europass.job_skills = "\n".join(
                    outcome.text for outcome in outcomes.order_by("unit__position", "position")[:4]
                )
            europass.language_skills = "Portugheză: saluturi, uneltele și instrucțiunile de lucru din atelier"
            europass.communication_skills = "Lucrează în echipă cu colegi care vorbesc altă limbă"
            europass.save()
            services.issue(europass, coordinator)
            europass.refresh_from_db()
            services.make_files(europass)
    return EuropassMobility.objects.count()
