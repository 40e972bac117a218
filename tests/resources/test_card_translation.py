"""Card translations: content in the admin with version history and "reviewed on/by", seeded from
resources/content/cards/es/ (issue 17, item 2)."""

import re
from datetime import date

import pytest
from django.apps import apps

from resources import content
from resources.models import Card, CardTranslation

pytestmark = pytest.mark.django_db

# Words for people the glossary rules out (docs/i18n.md): never in what a participant reads.
STIGMA = ("adict", "drogadict", "abus", "sucio", "sucia", "toxicómano", "vicio")


def _translation_data(translation, **changes):
    data = {
        "card": translation.card_id,
        "language": translation.language,
        "title": translation.title,
        "summary": translation.summary,
        "plain_language": translation.plain_language,
        "reviewed_on": translation.reviewed_on.isoformat() if translation.reviewed_on else "",
        "reviewed_by": translation.reviewed_by_id or "",
    }
    data.update(changes)
    return data


def test_it_seeds_a_spanish_text_for_every_card_fit_to_show():
    showable = set(Card.objects.showable().values_list("slug", flat=True))
    spanish = set(CardTranslation.objects.filter(language="es").values_list("card__slug", flat=True))
    assert len(showable) == 19 and spanish == showable
    # Nobody has reviewed them yet, and the loader does not pretend otherwise.
    assert not CardTranslation.objects.filter(reviewed_on__isnull=False).exists()
    assert not CardTranslation.objects.filter(reviewed_by__isnull=False).exists()
    # The migration wrote each one's first version, as for the English cards.
    methadone = CardTranslation.objects.get(card__slug="methadone", language="es")
    assert methadone.history.count() == 1


def test_it_writes_the_spanish_with_the_glossary_and_without_stigmatizing_words():
    texts = {t.card.slug: " ".join(f"{t.title} {t.summary} {t.plain_language}".split())
             for t in CardTranslation.objects.select_related("card")}
    words = " ".join(texts.values()).lower().split()
    assert [word for word in words if word.startswith(STIGMA)] == []
    # "Limpio" for a thing (a container, a wound), never a person: no "estar limpio", "mantenerse limpia".
    assert not re.search(r"\b(estar|está|estás|estoy|mantenerse|seguir|sigue|persona)\s+limpi", " ".join(words))
    assert "metadona" in texts["methadone"].lower()
    assert "buprenorfina" in texts["buprenorphine"].lower() and "Suboxone" in texts["buprenorphine"]
    assert "naltrexona" in texts["naltrexone"].lower()
    assert "naloxona (Narcan)" in texts["getting-naloxone"]
    assert "personas que usan drogas" in texts["harm-reduction-defined"]
    assert "programa de servicios de jeringas (SSP)" in texts["syringe-services-programs"]


def test_it_loads_again_without_duplicates_and_restores_the_files_text():
    translation = CardTranslation.objects.get(card__slug="overdose-signs", language="es")
    translation.title = "Edited"
    translation.save()
    content.load_translations(apps)
    assert CardTranslation.objects.filter(card__slug="overdose-signs").count() == 1
    translation.refresh_from_db()
    assert translation.title == "Señales de una sobredosis de opioides"


def test_it_refuses_a_translation_file_for_a_card_that_cannot_be_shown(tmp_path):
    for path in content.CARDS.glob("*.md"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "insite-statistics.md").write_text('+++\ntitle = "Insite"\n+++\n\nTexto.\n')
    with pytest.raises(ValueError, match="insite-statistics"):
        content.read_translations(tmp_path)
    (tmp_path / "es" / "insite-statistics.md").unlink()
    (tmp_path / "xx").mkdir()
    with pytest.raises(ValueError, match="xx/"):
        content.read_translations(tmp_path)


def test_it_refuses_an_unknown_front_matter_key(tmp_path):
    path = tmp_path / "methadone.md"
    path.write_text('+++\ntitle = "Metadona"\nreviewd_on = 2026-12-01\n+++\n\nTexto.\n', encoding="utf-8")
    with pytest.raises(ValueError, match="reviewd_on"):
        content.read_translation(path)
    path.write_text('+++\ntitle = "Metadona"\nreviewed_on = 2026-12-01\n+++\n\nTexto.\n', encoding="utf-8")
    assert content.read_translation(path)["reviewed_on"] == date(2026, 12, 1)


def test_it_allows_one_translation_per_card_and_language():
    from django.db import IntegrityError, transaction

    card = Card.objects.get(slug="methadone")
    with pytest.raises(IntegrityError), transaction.atomic():
        CardTranslation.objects.create(card=card, language="es", title="Otra", plain_language="Otra.")


def test_it_offers_every_language_but_english():
    field = CardTranslation._meta.get_field("language")
    assert [code for code, _ in field.choices] == ["es"]


def test_it_lets_a_content_admin_edit_a_translation_and_mark_it_reviewed(client, content_admin):
    translation = CardTranslation.objects.get(card__slug="methadone", language="es")
    client.force_login(content_admin)
    listing = client.get("/admin/resources/cardtranslation/").content.decode()
    assert "Translation not reviewed yet" in listing
    # A browser sends "\r\n": only what was edited is a change in the history.
    response = client.post(
        f"/admin/resources/cardtranslation/{translation.pk}/change/",
        _translation_data(translation, title="Metadona (editada)",
                          plain_language=translation.plain_language.replace("\n", "\r\n"),
                          reviewed_on="2026-12-01"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    translation.refresh_from_db()
    assert translation.title == "Metadona (editada)" and "\r" not in translation.plain_language
    # Reviewed on a date with nobody named: reviewed by the admin who saved it.
    assert translation.reviewed_on == date(2026, 12, 1) and translation.reviewed_by == content_admin
    latest = translation.history.latest()
    assert latest.history_user == content_admin
    assert sorted(latest.diff_against(latest.prev_record).changed_fields) == ["reviewed_by", "reviewed_on", "title"]
    history = client.get(f"/admin/resources/cardtranslation/{translation.pk}/history/")
    assert history.status_code == 200 and "Metadona (editada)" in history.content.decode()
    listing = client.get("/admin/resources/cardtranslation/").content.decode()
    assert "Reviewed on Dec 1, 2026 by Kai" in listing


def test_it_shows_the_translations_on_the_cards_admin_page(client, content_admin):
    card = Card.objects.get(slug="methadone")
    client.force_login(content_admin)
    page = client.get(f"/admin/resources/card/{card.pk}/change/").content.decode()
    assert 'name="translations-TOTAL_FORMS"' in page and "Metadona" in page
    assert "Translation not reviewed yet" in page
    # The link to the translation's own page, where its History is.
    translation = card.translations.get()
    assert f"/admin/resources/cardtranslation/{translation.pk}/change/" in page


def test_it_adds_a_translation_from_the_cards_admin_page(client, content_admin):
    card = Card.objects.get(slug="methadone")
    card.translations.all().delete()
    client.force_login(content_admin)
    data = {field: getattr(card, field) for field in
            ["title", "slug", "category", "order", "summary", "body", "tags", "audience", "plain_language", "sources"]}
    data.update({
        "last_reviewed": card.last_reviewed.isoformat(),
        "translations-TOTAL_FORMS": "1", "translations-INITIAL_FORMS": "0",
        "translations-0-language": "es", "translations-0-title": "Metadona",
        "translations-0-summary": "", "translations-0-plain_language": "La **metadona** ayuda.",
        "translations-0-reviewed_on": "", "translations-0-reviewed_by": "",
    })
    response = client.post(f"/admin/resources/card/{card.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    translation = card.translations.get()
    assert translation.title == "Metadona" and translation.reviewed_by is None
    assert translation.history.latest().history_user == content_admin


def test_it_keeps_peers_out(client, peer):
    client.force_login(peer)
    translation = CardTranslation.objects.first()
    response = client.get(f"/admin/resources/cardtranslation/{translation.pk}/change/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.post(f"/admin/resources/cardtranslation/{translation.pk}/change/",
                           _translation_data(translation, title="Changed"))
    assert response.status_code == 302
    translation.refresh_from_db()
    assert translation.title != "Changed"
    assert not peer.has_perm("resources.change_cardtranslation")
