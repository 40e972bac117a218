"""Overdose reversals as their own record, replacing the check-in's bare counters.

Each reversal counted on a check-in becomes one record, told on the day of
that check-in, with everything else unknown. The naloxone doses counted
beside them go on the first record of their check-in, so the doses total is
unchanged; doses counted with no reversal become one record of outcome "not
known" (naloxone given for an overdose is a response reported). Backwards,
the records are summed onto their check-ins again.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def to_records(apps, schema_editor):
    CheckIn = apps.get_model("sessions_app", "CheckIn")
    OverdoseReversal = apps.get_model("sessions_app", "OverdoseReversal")
    rows = []
    counted = CheckIn.objects.filter(models.Q(overdoses_reversed__gt=0) | models.Q(naloxone_used__gt=0))
    for checkin in counted.order_by("pk").only("pk", "peer_id", "participant_id", "happened_on",
                                "overdoses_reversed", "naloxone_used").iterator(chunk_size=2000):
        for n in range(max(checkin.overdoses_reversed, 1)):
            rows.append(OverdoseReversal(
                checkin_id=checkin.pk, participant_id=checkin.participant_id, reported_by_id=checkin.peer_id,
                reported_on=checkin.happened_on, outcome="unknown",
                naloxone_doses=(checkin.naloxone_used or None) if n == 0 else None,
            ))
        if len(rows) >= 2000:
            OverdoseReversal.objects.bulk_create(rows)
            rows = []
    OverdoseReversal.objects.bulk_create(rows)


def to_counters(apps, schema_editor):
    CheckIn = apps.get_model("sessions_app", "CheckIn")
    OverdoseReversal = apps.get_model("sessions_app", "OverdoseReversal")
    for reversal in OverdoseReversal.objects.filter(checkin__isnull=False).iterator():
        CheckIn.objects.filter(pk=reversal.checkin_id).update(
            overdoses_reversed=models.F("overdoses_reversed") + 1,
            naloxone_used=models.F("naloxone_used") + (reversal.naloxone_doses or 0),
        )


class Migration(migrations.Migration):

    dependencies = [
        ('sessions_app', '0014_supply_units_and_funding_sources'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='OverdoseReversal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reported_on', models.DateField(db_index=True)),
                ('happened_on', models.DateField(blank=True, null=True, verbose_name='when')),
                ('area', models.CharField(blank=True, help_text='A neighbourhood, a cross street or a ZIP code. Never an address or a name.', max_length=40, verbose_name='rough area or ZIP')),
                ('naloxone_doses', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(20)], verbose_name='naloxone doses used')),
                ('ems_called', models.BooleanField(blank=True, null=True, verbose_name='911 / EMS called')),
                ('outcome', models.CharField(choices=[('alive', 'Survived'), ('hospital', 'Survived, went to hospital'), ('died', 'Died'), ('unknown', 'Not known')], default='unknown', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('checkin', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reversals', to='sessions_app.checkin')),
                ('participant', models.ForeignKey(blank=True, help_text='Who told us (they gave the naloxone); empty for an anonymous contact.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversals', to='sessions_app.participant')),
                ('reported_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'overdose reversal',
                'ordering': ['-reported_on', '-pk'],
            },
        ),
        migrations.RunPython(to_records, to_counters),
        migrations.RemoveField(
            model_name='checkin',
            name='naloxone_used',
        ),
        migrations.RemoveField(
            model_name='checkin',
            name='overdoses_reversed',
        ),
    ]
