"""Search that understands peers (issue 14): the synonym list, and documents as stems.

Seeds the synonym list with the street and brand words peers use, Spanish
ones, and Portland neighbourhoods by ZIP code; content admins edit it in the
admin from then on (with history). Then rebuilds every service's search
documents in the new form (stems and words, resources/search.py) with the
name and kinds alone beside them, for ranking.
"""

# Made by Django 6.1.3 on 2026-12-02 02:19

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from resources.models import SEARCH_FIELDS, service_search_documents

# words people say → what they mean here; note
SYNONYMS = [
    ("needle, needles, needle exchange, rig, rigs, points, ssp", "syringe", "Street words for syringes and SSPs"),
    ("jeringa, jeringas, jeringuilla, jeringuillas", "syringe", "Spanish"),
    ("narcan, kloxxado, zimhi, naloxona", "naloxone", "Brand names; naloxona is Spanish"),
    ("suboxone, subutex, zubsolv, sublocade, brixadi, bupe, subs, sub, buprenorfina", "buprenorphine",
     "Brand and street names; buprenorfina is Spanish"),
    ("done, meth clinic, methadone clinic, dose clinic, metadona", "methadone",
     "Street names for methadone and its clinics; metadona is Spanish"),
    ("vivitrol, naltrexona", "naltrexone", "Brand name; naltrexona is Spanish"),
    ("detox, desintoxicacion", "withdrawal management", "Detox is what peers and participants say"),
    ("walk in, walkin, drop in, no appointment", "walk-in", ""),
    ("fts, test strips, fentanyl test strips, tiras", "drug checking, test strip", "Fentanyl test strips"),
    ("fentanilo, fentanil", "fentanyl", "Spanish"),
    ("espanol, spanish speaking, habla espanol", "spanish", "Spanish, in Spanish"),
    ("clinica, clinicas", "clinic", "Spanish"),
    ("refugio, albergue", "shelter", "Spanish"),
    ("moud, mat", "buprenorphine, methadone, naltrexone", "Medications for opioid use disorder"),
    ("old town, chinatown, pearl district, pearl", "97209", "Portland neighbourhoods by ZIP code"),
    ("kenton, arbor lodge", "97217", "Portland neighbourhoods by ZIP code"),
    ("rockwood, hazelwood", "97233", "East Portland neighbourhoods by ZIP code"),
    ("eliot, boise", "97227", "Portland neighbourhoods by ZIP code"),
    ("hosford abernethy, clinton", "97202", "Portland neighbourhoods by ZIP code"),
    ("kerns, laurelhurst", "97232", "Portland neighbourhoods by ZIP code"),
]


def seed_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("resources", "SearchSynonym")
    if SearchSynonym.objects.exists():
        return
    SearchSynonym.objects.bulk_create(
        SearchSynonym(words=words, means=means, note=note) for words, means, note in SYNONYMS
    )


def rebuild_documents(apps, schema_editor):
    Service = apps.get_model("resources", "Service")
    services = Service.objects.select_related("organization").prefetch_related("terms", "languages")
    batch = []
    for service in services.iterator(chunk_size=500):
        service.search_document, service.search_name, service.search_kinds = service_search_documents(service)
        batch.append(service)
        if len(batch) == 500:
            Service.objects.bulk_update(batch, SEARCH_FIELDS)
            batch = []
    Service.objects.bulk_update(batch, SEARCH_FIELDS)


class Migration(migrations.Migration):

    dependencies = [
        ('resources', '0007_weekly_opening'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchSynonym',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('words', models.TextField(help_text='Comma-separated words or phrases people say, e.g. needle, rig, needle exchange')),
                ('means', models.CharField(help_text='Comma-separated words the directory and library use, e.g. syringe', max_length=300)),
                ('note', models.CharField(blank=True, help_text='Where the word comes from, or why.', max_length=300)),
            ],
            options={
                'verbose_name': 'search synonym',
                'ordering': ['means', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='service',
            name='search_kinds',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name='service',
            name='search_name',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.CreateModel(
            name='HistoricalSearchSynonym',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('words', models.TextField(help_text='Comma-separated words or phrases people say, e.g. needle, rig, needle exchange')),
                ('means', models.CharField(help_text='Comma-separated words the directory and library use, e.g. syringe', max_length=300)),
                ('note', models.CharField(blank=True, help_text='Where the word comes from, or why.', max_length=300)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical search synonym',
                'verbose_name_plural': 'historical search synonyms',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(seed_synonyms, migrations.RunPython.noop),
        migrations.RunPython(rebuild_documents, migrations.RunPython.noop),
    ]
