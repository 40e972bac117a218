"""/library/words/: the words that matter, as admins keep them."""

from resources.models import Term


def test_it_lists_every_term_with_suggestion_and_source(client, supervisor, django_assert_num_queries):
    client.force_login(supervisor)
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(6):
        html = client.get("/library/words/").content.decode()
    # One table a language, each with its header row.
    assert html.count("<tr>") == Term.objects.count() + 2
    assert "junkie" in html and "person who uses drugs; person with a substance use disorder" in html
    assert "depends on context" in html and "MAT or MOUD?" in html
    assert "Recovery Research Institute" in html


def test_it_shows_an_edited_term(client, peer):
    term = Term.objects.get(flags__startswith="overdose victim")
    term.suggestion = "person who experienced an overdose"
    term.save()
    client.force_login(peer)
    assert b"person who experienced an overdose" in client.get("/library/words/").content


def test_it_checks_a_sentence_without_storing_it(client, peer, django_assert_num_queries):
    client.force_login(peer)
    text = "Two addicts came in; the user name was clean.\nOne relapsed."
    # Session, user, permissions, unread feedback and the terms: nothing is written.
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(6):
        response = client.post("/library/words/", {"text": text})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Two <mark>addicts</mark> came in; the user name was <mark>clean</mark>." in html
    assert "<mark>relapsed</mark>" in html
    assert "Instead of “addicts”, try: person who uses drugs" in html
    assert "If it describes a person, instead of “clean”, try:" in html
    assert f">{text}</textarea>" in html


def test_it_says_when_a_sentence_has_none_of_the_words(client, peer):
    client.force_login(peer)
    html = client.post("/library/words/", {"text": "A person who uses drugs, on MAT."}).content.decode()
    assert "No words from the list." in html and "<mark>" not in html


def test_it_explains_empty_or_too_long_input_and_keeps_the_text(client, peer):
    client.force_login(peer)
    html = client.post("/library/words/", {"text": "  "}).content.decode()
    assert "Type or paste a sentence to check." in html and 'aria-invalid="true"' in html
    long_text = "word " * 500
    html = client.post("/library/words/", {"text": long_text}).content.decode()
    assert "That is 2500 characters; check at most 2000 at a time." in html
    assert long_text in html


def test_it_escapes_the_checked_sentence(client, peer):
    client.force_login(peer)
    html = client.post("/library/words/", {"text": "<b>addict</b>"}).content.decode()
    assert "&lt;b&gt;<mark>addict</mark>&lt;/b&gt;" in html


def test_it_refuses_other_methods(client, peer):
    client.force_login(peer)
    assert client.put("/library/words/").status_code == 405


# In Spanish (issue 17, item 5) ----------------------------------------------------


def test_it_lists_the_spanish_terms_apart_and_marked_as_spanish(client, peer):
    client.force_login(peer)
    html = client.get("/library/words/").content.decode()
    assert '<h3 id="terms-en">English</h3>' in html and '<h3 id="terms-es">Spanish</h3>' in html
    assert html.index('id="terms-en"') < html.index('id="terms-es"')
    spanish = html[html.index('<tbody lang="es">'):]
    assert "adicto, drogadicto, toxicómano" in spanish and "persona que usa drogas" in spanish
    assert "yonqui" not in html[: html.index('<tbody lang="es">')]


def test_it_speaks_spanish_and_checks_a_spanish_sentence(client, peer):
    client.force_login(peer)
    html = client.get("/library/words/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in html and "<h1>Las palabras importan</h1>" in html
    # The interface's own language first: Spanish, then English.
    assert html.index('<h3 id="terms-es">Español</h3>') < html.index('id="terms-en"')
    assert "depende del contexto" in html and "Words that matter" not in html
    html = client.post(
        "/library/words/", {"text": "Dice que su hermana es ADICTA y que la prueba salió limpia."},
        HTTP_ACCEPT_LANGUAGE="es",
    ).content.decode()
    assert "Dice que su hermana es <mark>ADICTA</mark> y que la prueba <mark>salió limpia</mark>." in html
    assert "En lugar de «ADICTA», prueba: persona que usa drogas" in html
    assert "En lugar de «salió limpia», prueba: prueba negativa; prueba positiva" in html
    html = client.post("/library/words/", {"text": "   "}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Escribe o pega una frase para revisarla." in html


def test_it_marks_a_spanish_suggestion_in_an_english_page(client, peer):
    client.force_login(peer)
    html = client.post("/library/words/", {"text": "un yonqui"}).content.decode()
    suggestion = "persona que usa drogas; persona que se inyecta drogas"
    assert f'Instead of “yonqui”, try: <span lang="es">{suggestion}</span>' in html
