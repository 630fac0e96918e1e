"""Documents are made in the language chosen for them: the job carries the requester's language to the worker,
which has none of its own (the final report and the attendance sheet came out in English for a coordinator
working in Romanian)."""

from django.utils import translation

from documents import jobs
from documents.models import DocumentJob
from documents.registry import RENDERERS


def test_a_job_carries_the_language_its_requester_reads(world):
    with translation.override("ro"):
        job = jobs.request_document(world.coordinator, "certificate", {"assignment": world.assignment.pk}, "c")
    assert job.language == "ro"
    assert jobs.request_document(world.coordinator, "certificate", {}, "c", language="pt").language == "pt"


def test_the_worker_renders_in_the_jobs_language(world, private_files, monkeypatch):
    seen = []

    def render(job):
        seen.append(translation.get_language())
        return b"x", "x.txt"

    monkeypatch.setitem(RENDERERS, "certificate", render)
    with translation.override("ro"):
        job = jobs.request_document(world.coordinator, "certificate", {}, "c")
    # The worker's own language is the installation's.
    with translation.override("en"):
        jobs.run_job(job.pk)
    assert seen == ["ro"]
    assert DocumentJob.objects.get(pk=job.pk).status == DocumentJob.Status.DONE
