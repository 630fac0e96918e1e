"""The door to document jobs: a coordinator sees every job of their schools' people; everyone else only the jobs
they asked for (and none of the coordinators' own kinds)."""

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import can_see_restricted_data, coordinates, in_schools, restricted_rows
from common.validators import parse_id

from .models import DocumentJob
from .registry import COORDINATOR_ONLY


def _jobs(user: Any, *, write: bool) -> QuerySet[DocumentJob]:
    """A coordinator's, every job of the schools where they are coordinator (roles per school), and their own;
    in the other schools, and for everyone else, the jobs they asked for, none of the coordinators' own kinds."""
    jobs = in_schools(DocumentJob.objects.select_related("requested_by"), user, write=write)
    coordinators = restricted_rows(DocumentJob.objects.all(), user)
    own = Q(requested_by=user)
    # Their own jobs of the coordinators' kinds: asked for through the per-school check of each kind (a learner's
    # data of a school where they are coordinator), so the highest role only decides whether there can be any.
    if not can_see_restricted_data(user):
        own &= ~Q(kind__in=COORDINATOR_ONLY)
    return jobs.filter(Q(pk__in=coordinators.values("pk")) | own)


def job_for(user: Any, pk: object) -> DocumentJob:
    return get_object_or_404(_jobs(user, write=False), pk=parse_id(pk))


def job_to_change(user: Any, pk: object) -> DocumentJob:
    """A job to retry: one the user may read (the person who asked retries their own)."""
    return job_for(user, pk)


def shows_error_detail(user: Any, job: DocumentJob) -> bool:
    """What went wrong in a failed job is for the coordinators of the job's school (its asker's: roles per school,
    as the jobs a coordinator reads in _jobs); the person who asked, and a coordinator of another school, read a
    fixed sentence."""
    return coordinates(user, job)
