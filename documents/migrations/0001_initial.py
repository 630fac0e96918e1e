# The document jobs' model moves here from `reports` in the migrations' state only: the table
# (reports_documentjob) and its rows stay where they are, so nothing is copied and nothing can be lost.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="reports", target="documents"):
    """Permissions and admin log entries point at the content type: let them follow the model."""
    content_types = apps.get_model("contenttypes", "ContentType")
    if not content_types.objects.filter(app_label=target, model="documentjob").exists():
        content_types.objects.filter(app_label=source, model="documentjob").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="documents", target="reports")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reports", "0004_more_document_kinds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DocumentJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("certificate", "Mobility certificate"), ("placement_certificates", "All certificates of a placement (ZIP)"), ("placement_certificates_pdf", "All certificates of a placement (one PDF)"), ("learning_agreement", "Learning agreement"), ("attendance_record", "Attendance record of a learner"), ("attendance_sheet", "Weekly attendance sheet"), ("final_report", "Final report (PDF)"), ("final_report_xlsx", "Final report (spreadsheet)"), ("conference_certificate", "Certificate of attendance at the conference"), ("conference_certificates", "All certificates of attendance at the conference (ZIP)"), ("learner_data_export", "Everything held about a learner (ZIP)")], max_length=40, verbose_name="document")),
                        ("params", models.JSONField(default=dict)),
                        ("title", models.CharField(max_length=250, verbose_name="title")),
                        ("status", models.CharField(choices=[("queued", "Waiting"), ("running", "Being made"), ("done", "Ready"), ("failed", "Failed")], default="queued", max_length=20, verbose_name="status")),
                        ("progress", models.PositiveSmallIntegerField(default=0)),
                        ("file", models.CharField(blank=True, max_length=300)),
                        ("filename", models.CharField(blank=True, max_length=200)),
                        ("size", models.PositiveIntegerField(blank=True, null=True)),
                        ("sha256", models.CharField(blank=True, max_length=64)),
                        ("error", models.TextField(blank=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("dispatched_at", models.DateTimeField(blank=True, null=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("requested_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="document_jobs", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "document job",
                        "verbose_name_plural": "document jobs",
                        "ordering": ["-created_at", "-pk"],
                        "db_table": "reports_documentjob",
                        "indexes": [models.Index(fields=["status", "dispatched_at"], name="reports_doc_status_9610ab_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
