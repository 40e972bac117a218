import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import resources.models
from resources import content


def load_translations(apps, schema_editor):
    # As 0002_library_content: only into the empty table this migration has
    # just made, never over rows an admin has edited (docs/library.md, "Translations").
    CardTranslation = apps.get_model("resources", "CardTranslation")
    if CardTranslation.objects.exists():
        return
    content.load_translations(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('resources', '0012_term_wording'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalCardTranslation',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('language', models.CharField(choices=resources.models.translation_languages, max_length=10, verbose_name='language')),
                ('title', models.CharField(max_length=120, verbose_name='title')),
                ('summary', models.CharField(blank=True, help_text='One or two sentences, in this language.', max_length=300, verbose_name='summary')),
                ('plain_language', models.TextField(help_text='Markdown. What the participant sees on the show screen, in this language: short and plain.', verbose_name='plain-language text')),
                ('reviewed_on', models.DateField(blank=True, null=True, verbose_name='translation reviewed on')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('card', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='resources.card', verbose_name='card')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='translation reviewed by')),
            ],
            options={
                'verbose_name': 'historical card translation',
                'verbose_name_plural': 'historical card translations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='CardTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('language', models.CharField(choices=resources.models.translation_languages, max_length=10, verbose_name='language')),
                ('title', models.CharField(max_length=120, verbose_name='title')),
                ('summary', models.CharField(blank=True, help_text='One or two sentences, in this language.', max_length=300, verbose_name='summary')),
                ('plain_language', models.TextField(help_text='Markdown. What the participant sees on the show screen, in this language: short and plain.', verbose_name='plain-language text')),
                ('reviewed_on', models.DateField(blank=True, null=True, verbose_name='translation reviewed on')),
                ('card', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='resources.card', verbose_name='card')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='translation reviewed by')),
            ],
            options={
                'verbose_name': 'card translation',
                'verbose_name_plural': 'card translations',
                'ordering': ['card__title', 'language'],
                'constraints': [models.UniqueConstraint(fields=('card', 'language'), name='one_card_translation_per_language')],
            },
        ),
        # Reversing leaves the rows: the tables go with the reversal of the operations above.
        migrations.RunPython(load_translations, migrations.RunPython.noop),
    ]
