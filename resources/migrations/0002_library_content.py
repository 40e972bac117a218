from django.db import migrations

from resources import library_content


def load_content(apps, schema_editor):
    library_content.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_library"),
    ]

    # Reversing leaves the rows: 0001's reversal drops the tables anyway.
    operations = [migrations.RunPython(load_content, migrations.RunPython.noop)]
