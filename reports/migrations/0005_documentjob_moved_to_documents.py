# The document jobs moved to the `documents` app, which keeps this table (reports_documentjob) and its rows:
# the model leaves this app's state only, after every foreign key points at its new place.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0004_more_document_kinds"),
        ("documents", "0001_initial"),
        ("conference", "0005_certificate_job_in_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DocumentJob")],
            database_operations=[],
        ),
    ]
