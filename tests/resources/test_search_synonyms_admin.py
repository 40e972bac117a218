"""Content admins keep the search's synonym list in the admin, with history; peers cannot."""

from resources.models import SearchSynonym, Service
from tests.resources.conftest import make_service


def test_it_seeds_the_street_and_spanish_words(db):
    meaning = {word: s.meaning_list for s in SearchSynonym.objects.all() for word in s.word_list}
    assert meaning["narcan"] == ["naloxone"]
    assert meaning["bupe"] == ["buprenorphine"]
    assert meaning["metadona"] == ["methadone"]
    assert meaning["needle exchange"] == ["syringe"]


def test_it_lets_a_content_admin_add_a_synonym_and_records_who(client, content_admin):
    client.force_login(content_admin)
    response = client.post(
        "/admin/resources/searchsynonym/add/",
        {"words": "juice, liquid", "means": "methadone", "note": "What some clinics' regulars say"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    synonym = SearchSynonym.objects.get(words="juice, liquid")
    latest = synonym.history.latest()
    assert latest.history_user == content_admin and latest.history_type == "+"
    assert client.get(f"/admin/resources/searchsynonym/{synonym.pk}/history/").status_code == 200


def test_it_searches_with_an_edited_synonym_at_once(client, content_admin, db):
    make_service("Riverside Methadone Clinic", terms=["MU"])
    synonym = SearchSynonym.objects.create(words="juice", means="naltrexone")
    assert not Service.objects.search("juice").exists()
    client.force_login(content_admin)
    response = client.post(
        f"/admin/resources/searchsynonym/{synonym.pk}/change/", {"words": "juice", "means": "methadone", "note": ""}
    )
    assert response.status_code == 302
    assert list(Service.objects.search("juice").values_list("name", flat=True)) == ["Riverside Methadone Clinic"]


def test_it_keeps_peers_out_of_the_synonym_admin(client, peer):
    client.force_login(peer)
    response = client.get("/admin/resources/searchsynonym/")
    assert response.status_code in (302, 403)
