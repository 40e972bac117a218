from django.db import migrations, models
from django.utils import timezone


def fill(apps, schema_editor):
    CheckIn = apps.get_model("sessions_app", "CheckIn")
    batch = []
    for checkin in CheckIn.objects.only("pk", "happened_at").iterator(chunk_size=2000):
        checkin.happened_on = timezone.localdate(checkin.happened_at)
        batch.append(checkin)
        if len(batch) == 2000:
            CheckIn.objects.bulk_update(batch, ["happened_on"])
            batch = []
    CheckIn.objects.bulk_update(batch, ["happened_on"])


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0003_review")]

    operations = [
        migrations.AddField("checkin", "happened_on", models.DateField(null=True, editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("checkin", "happened_on", models.DateField(editable=False, db_index=True)),
    ]
