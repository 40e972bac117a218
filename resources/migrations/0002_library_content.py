from django.db import migrations

from resources import content


def load_content(apps, schema_editor):
    # Only into empty tables, as on every fresh install (0001 has just made
    # them): a fresh install starts from the files as they are today, and this
    # migration never writes over rows that are already there. The loader sets
    # only the fields this migration's models have, so the files may gain
    # fields later (docs/library.md, "Content").
    Card = apps.get_model("resources", "Card")
    Term = apps.get_model("resources", "Term")
    if Card.objects.exists() or Term.objects.exists():
        return
    content.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_library"),
    ]

    # Reversing leaves the rows: 0001's reversal drops the tables anyway.
    operations = [migrations.RunPython(load_content, migrations.RunPython.noop)]
