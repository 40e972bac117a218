"""Terms get a language, and the coach a Spanish list (issue 17, item 5).

Every term so far is English (the default). The Spanish terms of
resources/content/terms_es.csv are loaded on every install, fresh or not,
matched by language and first flag, so running it again adds nothing twice.
The wording's help text gains the `singular | plural` form.
"""

from django.db import migrations, models

from resources import content


def load_spanish_terms(apps, schema_editor):
    content.load_terms(apps, "es")


def remove_spanish_terms(apps, schema_editor):
    # Without the column they would be read as English terms.
    apps.get_model("resources", "Term").objects.filter(language="es").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('resources', '0014_spanish_synonyms'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalterm',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('es', 'Español')], db_default='en', default='en', help_text='The language the flags are written in: the coach matches each language’s word forms.', max_length=8, verbose_name='language'),
        ),
        migrations.AddField(
            model_name='term',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('es', 'Español')], db_default='en', default='en', help_text='The language the flags are written in: the coach matches each language’s word forms.', max_length=8, verbose_name='language'),
        ),
        migrations.AlterField(
            model_name='historicalterm',
            name='wording',
            field=models.TextField(blank=True, db_default='', default='', help_text="What the coach's “use this wording” button puts in place of a flag: one wording for every flag (person who uses drugs), or each flag its own, separated by semicolons (relapse = return to use; relapsed = returned to use). Empty: no button, the hint only. Plural forms: singular | plural (persona que usa drogas | personas que usan drogas)."),
        ),
        migrations.AlterField(
            model_name='term',
            name='wording',
            field=models.TextField(blank=True, db_default='', default='', help_text="What the coach's “use this wording” button puts in place of a flag: one wording for every flag (person who uses drugs), or each flag its own, separated by semicolons (relapse = return to use; relapsed = returned to use). Empty: no button, the hint only. Plural forms: singular | plural (persona que usa drogas | personas que usan drogas)."),
        ),
        migrations.RunPython(load_spanish_terms, remove_spanish_terms),
    ]
