from django.db import migrations

# code, label, excused, counts hours, mentors may use, needs a reason, not a working day
STATUSES = [
    ("present", "Present", False, True, True, False, False),
    ("late", "Late", False, True, True, True, False),
    ("left-early", "Left early", False, True, True, True, False),
    ("absent-excused", "Absent, excused", True, False, True, True, False),
    ("absent-unexcused", "Absent, unexcused", False, False, True, False, False),
    ("sick", "Sick", True, False, True, False, False),
    ("closed", "Public holiday / closed", True, False, True, False, True),
]


def load(apps, schema_editor):
    Status = apps.get_model("attendance", "AttendanceStatus")
    for position, (code, label, excused, hours, mentor, reason, closed) in enumerate(STATUSES):
        Status.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "is_excused": excused,
                "counts_hours": hours,
                "mentor_may_use": mentor,
                "needs_reason": reason,
                "not_a_working_day": closed,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
