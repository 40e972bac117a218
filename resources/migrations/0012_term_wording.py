"""The coach's "use this wording" button (issue 14, item 16): each term's words to put in place of a flag.

Filled from resources/content/terms.csv for every term whose first flag the
file has and whose wording is still empty; a term a content admin added keeps
no wording (the hint only) until they write one.
"""

from django.db import migrations, models
from django.utils import timezone

from resources import content


def fill_wording(apps, schema_editor):
    Term = apps.get_model("resources", "Term")
    HistoricalTerm = apps.get_model("resources", "HistoricalTerm")
    wording = {row["flags"].split(",")[0].strip().lower(): row["wording"] for row in content.read_terms()}
    for term in Term.objects.filter(wording=""):
        found = wording.get(term.flags.split(",")[0].strip().lower())
        if found:
            term.wording = found
            term.save(update_fields=["wording"])
            HistoricalTerm.objects.create(
                **{field.attname: getattr(term, field.attname) for field in term._meta.concrete_fields},
                history_date=timezone.now(), history_type="~",
                history_change_reason="The coach's “use this wording” button",
            )


class Migration(migrations.Migration):

    dependencies = [
        ('resources', '0011_coach_terms_junky_frequent_flyer_replacement_therapy'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalterm',
            name='wording',
            field=models.TextField(blank=True, default='', db_default='', help_text="What the coach's “use this wording” button puts in place of a flag: one wording for every flag (person who uses drugs), or each flag its own, separated by semicolons (relapse = return to use; relapsed = returned to use). Empty: no button, the hint only."),
        ),
        migrations.AddField(
            model_name='term',
            name='wording',
            field=models.TextField(blank=True, default='', db_default='', help_text="What the coach's “use this wording” button puts in place of a flag: one wording for every flag (person who uses drugs), or each flag its own, separated by semicolons (relapse = return to use; relapsed = returned to use). Empty: no button, the hint only."),
        ),
        migrations.RunPython(fill_wording, migrations.RunPython.noop),
    ]
