"""Possible duplicates listed for content admins, and two participants merged into one with an audit line."""

import pytest
from django.urls import reverse

from harmreduction.models import AuditEvent
from sessions_app.models import SHARED_NAME_LIMIT, CheckIn, Participant, Referral, SupplyGiven, one_letter_apart
from tests.resources.conftest import make_service

DUPLICATES = reverse("sessions_app:participant_duplicates")
MERGE = reverse("sessions_app:participant_merge")


@pytest.mark.parametrize(("a", "b", "apart"), [
    ("GAM17", "GAN17", True),    # a letter changed
    ("GAM17", "GAM7", True),     # one dropped
    ("GAM17", "GAMM17", True),   # one added
    ("GAM17", "AGM17", True),    # two side by side swapped
    ("GAM17", "gam17", False),   # the same code
    ("GAM17", "GBN17", False),   # two changed
    ("GAM17", "MAG17", False),   # swapped, not side by side
])
def test_it_tells_codes_one_letter_apart(a, b, apart):
    assert one_letter_apart(a, b) is apart
    assert one_letter_apart(b, a) is apart


def test_it_lists_same_names_and_built_codes_one_letter_apart(client, content_admin, peer, peer2):
    make = Participant.objects.create
    gam, gan = make(code="GAM17", created_by=peer), make(code="GAN17", created_by=peer2)
    cee1, cee2 = make(code="Cedar-101", preferred_name="Cee", created_by=peer), \
        make(code="Fern-555", preferred_name=" cee ", created_by=peer2)
    make(code="Cedar-102", created_by=peer)  # random codes a digit apart are two people
    make(code="XYZ01", created_by=peer)
    client.force_login(content_admin)
    response = client.get(DUPLICATES)
    pairs = {(a.code, b.code, why) for a, b, why in response.context["pairs"]}
    assert pairs == {(gam.code, gan.code, "code"), (cee1.code, cee2.code, "name")}
    body = response.content.decode()
    assert "Codes one letter apart" in body and "Same name" in body and "Keep GAN17" in body
    assert AuditEvent.objects.filter(action="view possible duplicates", user=content_admin).exists()


def test_it_lists_duplicates_in_constant_queries(client, content_admin, peer, django_assert_num_queries):
    def add(start, n):
        for i in range(start, start + n):
            Participant.objects.create(code=f"QA{i:03d}", created_by=peer)
            Participant.objects.create(code=f"QB{i:03d}", preferred_name=f"Name {i}", created_by=peer)

    client.force_login(content_admin)
    add(0, 2)
    # session, user, its permissions (user's, groups'), all codes, the pairs' people, audit line
    with django_assert_num_queries(7):
        assert client.get(DUPLICATES).status_code == 200
    add(2, 20)
    with django_assert_num_queries(7):
        assert client.get(DUPLICATES).status_code == 200


def test_it_asks_before_merging_then_moves_everything(client, content_admin, peer, peer2, outreach, naloxone):
    keep = Participant.objects.create(code="GAM17", created_by=peer)
    other = Participant.objects.create(code="GAN17", preferred_name="Gabi", created_by=peer2)
    mine = CheckIn.objects.create(peer=peer, participant=keep, method=outreach)
    theirs = CheckIn.objects.create(peer=peer2, participant=other, method=outreach)
    referral = Referral.offer(theirs, make_service("Eastside Exchange", terms=["PC-SSP"]).pk, "offered", by=peer2)
    SupplyGiven.objects.create(checkin=theirs, item=naloxone, count=2)
    client.force_login(content_admin)
    ask = client.post(MERGE, {"keep": keep.pk, "merge": other.pk})
    body = ask.content.decode()
    assert ask.status_code == 200 and "Merge GAN17 into GAM17?" in body and "GAN17 has 1 check-in." in body
    assert Participant.objects.count() == 2
    response = client.post(MERGE, {"keep": keep.pk, "merge": other.pk, "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == DUPLICATES
    assert list(Participant.objects.all()) == [keep]
    keep.refresh_from_db()
    assert keep.preferred_name == "Gabi"
    assert set(keep.checkins.all()) == {mine, theirs}
    referral.refresh_from_db()
    assert referral.checkin.participant == keep and theirs.supplies.count() == 1
    line = AuditEvent.objects.get(action="merge participants")
    assert (line.user, line.object_id) == (content_admin, str(keep.pk))
    assert line.detail == "GAN17 merged into GAM17 (moved: 1 sessions_app.checkin)"


def test_it_refuses_to_merge_someone_into_themselves(client, content_admin, peer):
    gam = Participant.objects.create(code="GAM17", created_by=peer)
    client.force_login(content_admin)
    response = client.post(MERGE, {"keep": gam.pk, "merge": gam.pk, "confirm": "yes"})
    assert response.status_code == 400
    assert "Choose two different participants to merge." in response.content.decode()
    response = client.post(MERGE, {"keep": gam.pk, "merge": "nope", "confirm": "yes"})
    assert response.status_code == 400
    assert Participant.objects.count() == 1


@pytest.mark.parametrize("role", ["peer", "supervisor"])
def test_it_keeps_the_list_and_the_merge_to_content_admins(client, request, role, peer):
    a = Participant.objects.create(code="GAM17", created_by=peer)
    b = Participant.objects.create(code="GAN17", created_by=peer)
    client.force_login(request.getfixturevalue(role))
    assert client.get(DUPLICATES).status_code == 403
    assert client.post(MERGE, {"keep": a.pk, "merge": b.pk, "confirm": "yes"}).status_code == 403
    assert Participant.objects.count() == 2


def test_it_only_merges_on_post(client, content_admin):
    client.force_login(content_admin)
    assert client.get(MERGE).status_code == 405


def test_it_leaves_out_a_name_many_people_go_by(peer):
    for i in range(SHARED_NAME_LIMIT + 1):
        Participant.objects.create(code=f"Cedar-{100 + i * 7}", preferred_name="Mike", created_by=peer)
    Participant.objects.create(code="Fern-300", preferred_name="Lou", created_by=peer)
    Participant.objects.create(code="Fern-400", preferred_name="lou", created_by=peer)
    pairs = Participant.objects.possible_duplicates()
    assert [(a.code, b.code, why) for a, b, why in pairs] == [("Fern-300", "Fern-400", "name")]
