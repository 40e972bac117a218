from django.db import migrations

from resources.service_kinds import load_service_kinds


def load(apps, schema_editor):
    load_service_kinds(apps)


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_directory")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
