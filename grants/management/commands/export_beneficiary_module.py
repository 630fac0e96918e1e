from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grants.beneficiary_module import export_xlsx
from placements.models import Project


class Command(BaseCommand):
    help = "Write a project's mobility activities as an XLSX for the EU's Beneficiary Module import."

    def add_arguments(self, parser):
        parser.add_argument("project_id", type=int)
        parser.add_argument("--out", required=True, help="The file to write, e.g. mobilities.xlsx")

    def handle(self, *args, project_id, out, **options):
        project = Project.objects.select_related("sending_organisation").filter(pk=project_id).first()
        if project is None:
            raise CommandError(f"No project has the id {project_id}.")
        content, _name = export_xlsx(project)
        Path(out).write_bytes(content)
        self.stdout.write(f"Wrote {out}.")
