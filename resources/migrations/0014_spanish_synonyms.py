"""Spanish words for the directory and library searches (issue 17): "agujas",
"sobredosis", "sin cita", "gratis" find what "needles", "overdose", "walk-in",
"free" find. Added beside the list 0008 seeded (which already knows metadona,
naloxona, buprenorfina, naltrexona, jeringas, refugio, desintoxicacion); a row
whose words a content admin already entered is left alone. Accents are folded
by the search (resources/search.py), so "clínica" and "clinica" are one word.
"""

from django.db import migrations

# words people say → what they mean here; note
SYNONYMS = [
    ("aguja, agujas, intercambio de jeringas, programa de jeringas", "syringe", "Spanish"),
    ("sobredosis", "overdose, naloxone", "Spanish"),
    ("tiras reactivas, tiras reactivas de fentanilo, analisis de drogas", "drug checking, test strip", "Spanish"),
    ("sin cita, sin cita previa", "walk-in", "Spanish"),
    ("gratis, gratuito, gratuita, sin costo", "free", "Spanish"),
    ("herida, heridas, absceso, abscesos, cuidado de heridas", "wound, abscess", "Spanish"),
    ("vih", "hiv", "Spanish"),
    ("prueba, pruebas", "testing", "Spanish"),
    ("tratamiento", "treatment", "Spanish"),
    ("abstinencia, manejo de abstinencia", "withdrawal management", "Spanish"),
    ("apoyo de pares, apoyo entre pares, companero, companeros", "peer support", "Spanish"),
    ("condones, condon, preservativos, sexo seguro", "safer sex, condom", "Spanish"),
    ("contenedor de agujas, desecho de agujas", "sharps", "Spanish"),
    ("reduccion de danos", "harm reduction", "Spanish"),
    ("medicamentos, medicinas", "medication", "Spanish"),
    ("ingles", "english", "Spanish"),
    ("vietnamita", "vietnamese", "Spanish"),
    ("ruso", "russian", "Spanish"),
    ("chino", "chinese", "Spanish"),
    ("arabe", "arabic", "Spanish"),
    ("lengua de senas, lenguaje de senas", "sign language", "Spanish"),
]


def add_spanish_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("resources", "SearchSynonym")
    known = set(SearchSynonym.objects.values_list("words", flat=True))
    SearchSynonym.objects.bulk_create(
        SearchSynonym(words=words, means=means, note=note) for words, means, note in SYNONYMS if words not in known
    )


def remove_spanish_synonyms(apps, schema_editor):
    SearchSynonym = apps.get_model("resources", "SearchSynonym")
    for words, means, _note in SYNONYMS:
        SearchSynonym.objects.filter(words=words, means=means).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0013_card_translation"),
    ]

    operations = [
        migrations.RunPython(add_spanish_synonyms, remove_spanish_synonyms),
    ]
