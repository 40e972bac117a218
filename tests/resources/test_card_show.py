"""/library/<slug>/show/: the full-screen, plain-language view for the participant."""


def test_it_shows_only_the_plain_language_text_in_large_type(client, peer):
    client.force_login(peer)
    response = client.get("/library/naloxone-nasal-spray/show/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="show-screen"' in html and "<h1>Giving naloxone nasal spray</h1>" in html
    assert "Second dose, other nostril." in html
    # Nothing for staff: no top bar, no body text, no sources, and one link back.
    assert 'class="topbar"' not in html and "Sign out" not in html
    assert "Harris County" not in html and "Lay the person" not in html
    main = html.split('<main id="main"')[1]
    assert main.count("<a ") == 1
    assert '<a class="button show-back" href="/library/naloxone-nasal-spray/">Back</a>' in main


def test_it_is_404_for_a_card_for_peers_only(client, peer):
    client.force_login(peer)
    assert client.get("/library/insite-statistics/show/").status_code == 404
    assert client.get("/library/no-such-card/show/").status_code == 404


def test_it_refuses_post(client, peer):
    client.force_login(peer)
    assert client.post("/library/methadone/show/").status_code == 405
