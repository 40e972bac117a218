"""Content admins edit cards and terms in the admin, with version history: who, when, view, revert."""

from resources.models import Card, Term


def _form_data(card, **changes):
    data = {
        field: getattr(card, field)
        for field in [
            "title",
            "slug",
            "category",
            "order",
            "summary",
            "body",
            "tags",
            "audience",
            "plain_language",
            "sources",
        ]
    }
    data["last_reviewed"] = card.last_reviewed.isoformat()
    # The translations inline's management form: these tests leave the translations as they are.
    data.update({"translations-TOTAL_FORMS": "0", "translations-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_it_lets_a_content_admin_edit_a_card_and_records_who(client, content_admin):
    card = Card.objects.get(slug="methadone")
    client.force_login(content_admin)
    response = client.post(
        f"/admin/resources/card/{card.pk}/change/", _form_data(card, summary="New summary.")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    card.refresh_from_db()
    assert card.summary == "New summary."
    latest = card.history.latest()
    assert latest.history_user == content_admin and latest.history_type == "~"

    history = client.get(f"/admin/resources/card/{card.pk}/history/")
    assert history.status_code == 200 and b"content" in history.content


def test_it_reverts_a_card_to_an_earlier_version(client, content_admin):
    card = Card.objects.get(slug="methadone")
    original = card.summary
    # The data migration wrote the seed as the first version.
    assert card.history.count() == 1
    client.force_login(content_admin)
    client.post(f"/admin/resources/card/{card.pk}/change/", _form_data(card, summary="A mistake."))

    seed = card.history.earliest()
    page = client.get(f"/admin/resources/card/{card.pk}/history/{seed.history_id}/")
    assert page.status_code == 200 and b"Revert" in page.content
    response = client.post(
        f"/admin/resources/card/{card.pk}/history/{seed.history_id}/", _form_data(seed.instance)
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.summary == original
    assert card.history.count() == 3 and card.history.latest().history_user == content_admin


def test_it_rejects_a_showable_card_without_plain_language(client, content_admin):
    card = Card.objects.get(slug="insite-statistics")
    client.force_login(content_admin)
    response = client.post(
        f"/admin/resources/card/{card.pk}/change/",
        _form_data(card, audience="participant", plain_language=""),
    )
    assert response.status_code == 200
    assert "A card fit to show a participant needs its plain-language text." in response.content.decode()
    card.refresh_from_db()
    assert card.audience == "peers"


def test_it_lets_a_content_admin_edit_terms(client, content_admin):
    term = Term.objects.get(flags__startswith="overdose victim")
    client.force_login(content_admin)
    response = client.post(
        f"/admin/resources/term/{term.pk}/change/",
        {
            "flags": term.flags,
            "suggestion": "person who overdosed",
            "source": term.source,
            "note": "Edited.",
            "exceptions": "",
            "language": "en",
            "order": term.order,
        },
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.note == "Edited." and term.history.latest().history_user == content_admin


def test_it_keeps_peers_out_of_the_admin(client, peer):
    client.force_login(peer)
    response = client.get("/admin/resources/card/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_records_only_what_changed_when_the_browser_sends_crlf(client, content_admin):
    # A browser sends every textarea with "\r\n" line endings (issue 14, item 14).
    card = Card.objects.get(slug="methadone")
    assert "\n" in card.body and "\r" not in card.body
    client.force_login(content_admin)
    as_sent = {name: getattr(card, name).replace("\n", "\r\n") for name in ["body", "plain_language", "sources"]}
    response = client.post(f"/admin/resources/card/{card.pk}/change/",
                           _form_data(card, summary="A shorter summary.", **as_sent))
    assert response.status_code == 302, response.content.decode()[:2000]
    card.refresh_from_db()
    assert "\r" not in card.body + card.plain_language + card.sources
    latest = card.history.latest()
    assert latest.diff_against(latest.prev_record).changed_fields == ["summary"]
    history = client.get(f"/admin/resources/card/{card.pk}/history/").content.decode()
    assert "<strong>Summary:</strong>" in history and "<strong>Body:</strong>" not in history


def test_it_draws_card_history_without_inline_styles(client, content_admin):
    # The CSP blocks style= attributes: the history list draws without any.
    card = Card.objects.get(slug="methadone")
    client.force_login(content_admin)
    client.post(f"/admin/resources/card/{card.pk}/change/", _form_data(card, summary="Changed."))
    for url in [f"/admin/resources/card/{card.pk}/history/",
                f"/admin/resources/term/{Term.objects.first().pk}/history/",
                f"/admin/resources/card/{card.pk}/history/{card.history.earliest().history_id}/"]:
        body = client.get(url).content.decode()
        assert "style=" not in body, url


def test_it_shows_and_filters_the_terms_language(client, content_admin):
    client.force_login(content_admin)
    html = client.get("/admin/resources/term/?language__exact=es").content.decode()
    assert "yonqui, yonki, drogata, tecato" in html and "Español" in html
    assert "junkie" not in html
    assert "language__exact=en" in html  # the filter offers every language
