"""/library/<slug>/: one card with its sources, and next/previous within its category."""

from resources.models import Card


def test_it_shows_the_card_with_sources_and_review_date(client, peer):
    client.force_login(peer)
    html = client.get("/library/portugal/").content.decode()
    assert "<h1>Success in Portugal</h1>" in html
    assert "<strong>Overdose deaths decreased by over 80%</strong>" in html
    assert 'href="http://www.drugpolicy.org/sites/default/files/dpa-drug-decriminalization' in html
    assert '<time datetime="2026-11-25">' in html
    assert 'href="/library/?q=Portugal">Portugal</a>' in html


def test_it_links_previous_and_next_within_the_category(client, peer):
    client.force_login(peer)
    html = client.get("/library/naloxone-nasal-spray/").content.decode()
    assert 'href="/library/overdose-five-steps/" rel="prev"' in html
    assert 'href="/library/naloxone-wears-off/" rel="next"' in html
    first = client.get("/library/overdose-signs/").content.decode()
    assert 'rel="prev"' not in first and 'href="/library/overdose-five-steps/" rel="next"' in first
    last = client.get("/library/good-samaritan-law/").content.decode()
    assert 'rel="next"' not in last


def test_it_offers_show_to_participant_only_on_cards_fit_to_show(client, peer):
    client.force_login(peer)
    assert b'href="/library/methadone/show/"' in client.get("/library/methadone/").content
    peers_only = client.get("/library/insite-statistics/").content
    assert b"/show/" not in peers_only and b"For peers" in peers_only


def test_it_sanitizes_what_an_admin_wrote(client, peer):
    Card.objects.filter(slug="methadone").update(
        body="Hi <script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1)) **bold**"
    )
    client.force_login(peer)
    html = client.get("/library/methadone/").content.decode()
    body = html.split('<div class="card-body">')[1].split("</div>")[0]
    assert (
        "<script" not in body and "onerror" not in body and "javascript:" not in body and "<img" not in body
    )
    assert "<strong>bold</strong>" in body


def test_it_is_404_for_an_unknown_card(client, peer):
    client.force_login(peer)
    assert client.get("/library/no-such-card/").status_code == 404


def test_it_refuses_post(client, peer):
    client.force_login(peer)
    assert client.post("/library/methadone/").status_code == 405
