"""Supplies as funders count them: units, units per handout, collected back, funding sources.

Existing items get their units here (a naloxone kit holds two doses: the
Overdose Measures Matter rule, docs/checkins.md); admins change them later.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

# name: (handed out as, unit, units per handout, naloxone, collected back)
UNITS = {
    "Naloxone kits": ("kits", "doses", 2, True, False),
    "Syringes": ("syringes", "syringes", 1, False, True),
    "Sharps containers": ("containers", "containers", 1, False, False),
    "Fentanyl test strips": ("strips", "strips", 1, False, False),
    "Safer smoking supplies": ("kits", "kits", 1, False, False),
    "Safer sex supplies": ("packs", "packs", 1, False, False),
    "Wound care kits": ("kits", "kits", 1, False, False),
    "Hygiene kits": ("kits", "kits", 1, False, False),
}


def set_units(apps, schema_editor):
    SupplyItem = apps.get_model("sessions_app", "SupplyItem")
    for name, (handed_out_as, unit, per, naloxone, collected) in UNITS.items():
        SupplyItem.objects.filter(name=name).update(
            handed_out_as=handed_out_as, unit=unit, units_per_handout=per, naloxone=naloxone, collected=collected,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('sessions_app', '0013_participant_merge_permission'),
    ]

    operations = [
        migrations.CreateModel(
            name='FundingSource',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, unique=True)),
                ('order', models.PositiveSmallIntegerField(default=0)),
                ('active', models.BooleanField(default=True)),
            ],
            options={
                'verbose_name': 'funding source',
                'ordering': ['order', 'name'],
                'abstract': False,
            },
        ),
        migrations.AddField(
            model_name='supplygiven',
            name='collected',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(9999)], verbose_name='collected for disposal'),
        ),
        migrations.AddField(
            model_name='supplyitem',
            name='collected',
            field=models.BooleanField(default=False, help_text='People return these to us for disposal (used syringes): the check-in asks how many.', verbose_name='also collected back'),
        ),
        migrations.AddField(
            model_name='supplyitem',
            name='handed_out_as',
            field=models.CharField(default='items', help_text='What a peer counts when handing it over, plural: kits, boxes, packs, syringes.', max_length=30, verbose_name='handed out as'),
        ),
        migrations.AddField(
            model_name='supplyitem',
            name='naloxone',
            field=models.BooleanField(default=False, help_text='Its units count as naloxone doses distributed.', verbose_name='is naloxone'),
        ),
        migrations.AddField(
            model_name='supplyitem',
            name='unit',
            field=models.CharField(default='items', help_text='What reports count, plural: doses, strips, syringes, kits.', max_length=30, verbose_name='unit funders count'),
        ),
        migrations.AddField(
            model_name='supplyitem',
            name='units_per_handout',
            field=models.PositiveSmallIntegerField(default=1, help_text='How many units one handout holds: 2 for a naloxone kit with two doses.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000)], verbose_name='units per handout'),
        ),
        migrations.AlterField(
            model_name='supplygiven',
            name='count',
            field=models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(999)], verbose_name='handed out'),
        ),
        migrations.AddField(
            model_name='supplyitem',
            name='funding_source',
            field=models.ForeignKey(blank=True, help_text="Who pays for it. Reports can split by funder or leave a funder's items out.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='items', to='sessions_app.fundingsource'),
        ),
        migrations.RunPython(set_units, migrations.RunPython.noop),
    ]
