"""What this app gives the document engine (documents.registry): the export of everything held about a
learner, which only a coordinator may ask for or download."""

from accounts.roles import WRITERS
from documents import registry
from documents.models import DocumentJob


def register() -> None:
    from .export import render_learner_data_export, request_export

    registry.register_renderer(DocumentJob.Kind.LEARNER_DATA_EXPORT, render_learner_data_export, coordinator_only=True)
    registry.register_request(
        "learner-data", kind=DocumentJob.Kind.LEARNER_DATA_EXPORT, roles=WRITERS, prepare=request_export
    )
