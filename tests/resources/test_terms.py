"""/library/words/: the words that matter, as admins keep them."""

from resources.models import Term


def test_it_lists_every_term_with_suggestion_and_source(client, supervisor, django_assert_num_queries):
    client.force_login(supervisor)
    with django_assert_num_queries(5):
        html = client.get("/library/words/").content.decode()
    assert html.count("<tr>") == Term.objects.count() + 1
    assert "junkie" in html and "person who uses drugs; person with a substance use disorder" in html
    assert "depends on context" in html and "MAT or MOUD?" in html
    assert "Recovery Research Institute" in html


def test_it_shows_an_edited_term(client, peer):
    term = Term.objects.get(flags__startswith="overdose victim")
    term.suggestion = "person who experienced an overdose"
    term.save()
    client.force_login(peer)
    assert b"person who experienced an overdose" in client.get("/library/words/").content


def test_it_refuses_post(client, peer):
    client.force_login(peer)
    assert client.post("/library/words/").status_code == 405
