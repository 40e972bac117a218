"""Cards say "our training", never "the deck" (issue 14, item 13).

"The deck" is an inside word: peers and participants read cards, not slides.
The files in resources/content/cards/ say it in plain words; 0002 loads them
only into empty tables, so here existing installs get the same wording. Only
the exact old phrases are replaced: a card a content admin rewrote keeps their
words. Each changed card gets a version in its history, as the seed did.
"""

from django.db import migrations
from django.utils import timezone

# In order: the longer phrases first.
REPLACEMENTS = [
    ("training deck, slide “", "training, section “"),
    ("in the deck.", "in our peer-support training."),
    ("**From the deck:**", "**From our training:**"),
    ("since the deck:", "since our training was written:"),
    ("The deck’s 6-month implant is out of date.", "The 6-month implant our training mentions is out of date."),
    ("The deck’s", "Our training’s"),
    ("the deck", "our training"),
    ("The deck", "Our training"),
]
FIELDS = ["summary", "body", "plain_language", "sources"]


def plain_words(text: str) -> str:
    for old, new in REPLACEMENTS:
        text = text.replace(old, new)
    return text


def reword(apps, schema_editor):
    Card = apps.get_model("resources", "Card")
    HistoricalCard = apps.get_model("resources", "HistoricalCard")
    for card in Card.objects.all():
        changed = [name for name in FIELDS if plain_words(getattr(card, name)) != getattr(card, name)]
        if not changed:
            continue
        for name in changed:
            setattr(card, name, plain_words(getattr(card, name)))
        card.save(update_fields=changed)
        HistoricalCard.objects.create(
            **{field.attname: getattr(card, field.attname) for field in card._meta.concrete_fields},
            history_date=timezone.now(), history_type="~",
            history_change_reason="Plain words: “our training” instead of “the deck”",
        )


class Migration(migrations.Migration):
    dependencies = [("resources", "0009_referral_slip_is_not_a_lapse")]

    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
