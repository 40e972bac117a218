from django.db import migrations

METHODS = ["Street outreach", "Drop-in", "Phone or text", "Hospital", "Home visit", "Virtual"]
# The deck's programs (MHAAO harm-reduction programs), plus Other.
PROGRAMS = [
    "OHSU Project IMPACT",
    "Providence Milwaukie Project Nurture",
    "Opioid Overdose Survivor Program",
    "Other",
]
SUPPLIES = [
    "Naloxone kits",
    "Syringes",
    "Sharps containers",
    "Fentanyl test strips",
    "Safer smoking supplies",
    "Safer sex supplies",
    "Wound care kits",
    "Hygiene kits",
]


def seed(apps, schema_editor):
    for model_name, names in (("ContactMethod", METHODS), ("Program", PROGRAMS), ("SupplyItem", SUPPLIES)):
        model = apps.get_model("sessions_app", model_name)
        for order, name in enumerate(names):
            model.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
