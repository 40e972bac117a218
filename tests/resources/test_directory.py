"""The directory search page: box, filter chips, HTMX fragment, query count."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from resources.models import Service
from tests.resources.conftest import make_service

URL = reverse("resources:directory")
ALWAYS = [("", "00:00", "00:00")]
NEVER_NOW = [("", "03:00", "03:01")]  # open one minute a day: closed at almost any test moment


@pytest.fixture
def directory(db):
    return {
        "exchange": make_service(
            "Division Street Syringe Exchange",
            terms=["PC-SYR", "NOE", "NP"],
            hours=ALWAYS,
            languages=[("en", "English"), ("es", "Spanish")],
            access="walk-in",
        ),
        "otp": make_service(
            "Riverside Methadone Clinic",
            terms=["OTP", "MM", "MD"],
            hours=NEVER_NOW,
            languages=[("en", "English")],
            access="appointment",
            city="Gresham",
        ),
        "bup": make_service(
            "Bridge Buprenorphine Clinic",
            terms=["BERI", "MD", "SS"],
            hours=ALWAYS,
            languages=[("vi", "Vietnamese")],
            access="either",
        ),
        "shelter": make_service(
            "Harbor Shelter", terms=["PC-SHELTER", "NP"], hours=NEVER_NOW, access="walk-in"
        ),
        "gone": make_service("Closed For Good Exchange", terms=["PC-SYR"], status="defunct"),
        "paused": make_service("Paused Exchange", terms=["PC-SYR"], status="inactive"),
    }


def names(response):
    return sorted(service.name for service in response.context["page"])


def results(response) -> str:
    html = response.content.decode()
    return html[html.index('<section id="results"') : html.index("</section>")]


def get(client, **params):
    return client.get(URL, params)


def test_it_lists_services_peers_may_refer_to(client, peer, directory):
    client.force_login(peer)
    response = get(client)
    assert response.status_code == 200
    assert names(response) == [
        "Bridge Buprenorphine Clinic",
        "Division Street Syringe Exchange",
        "Harbor Shelter",
        "Riverside Methadone Clinic",
    ]


def test_it_hides_inactive_and_defunct_services_from_peers(client, peer, directory):
    client.force_login(peer)
    content = get(client).content.decode()
    assert "Closed For Good" not in content and "Paused Exchange" not in content


def test_it_shows_every_service_to_content_admins(client, content_admin, directory):
    client.force_login(content_admin)
    assert len(names(get(client))) == 6


def test_it_searches_by_word_prefix(client, peer, directory):
    client.force_login(peer)
    assert names(get(client, q="metha")) == ["Riverside Methadone Clinic"]
    assert names(get(client, q="bupren clinic")) == ["Bridge Buprenorphine Clinic"]
    assert names(get(client, q="gresham")) == ["Riverside Methadone Clinic"]
    assert names(get(client, q="spanish")) == ["Division Street Syringe Exchange"]
    assert names(get(client, q="nothing-like-this")) == []


def test_it_searches_term_names_and_codes(client, peer, directory):
    client.force_login(peer)
    assert names(get(client, q="naloxone")) == ["Division Street Syringe Exchange"]
    assert names(get(client, q="otp")) == ["Riverside Methadone Clinic"]


def test_it_filters_by_kind_including_everything_under_it(client, peer, directory):
    client.force_login(peer)
    assert names(get(client, kind="PC-MAT")) == ["Bridge Buprenorphine Clinic", "Riverside Methadone Clinic"]
    assert names(get(client, kind="PC-SSP")) == ["Division Street Syringe Exchange"]
    assert names(get(client, kind=["PC-SSP", "PC-SHELTER"])) == [
        "Division Street Syringe Exchange",
        "Harbor Shelter",
    ]


def test_it_filters_by_medication(client, peer, directory):
    client.force_login(peer)
    assert names(get(client, medication="MU")) == ["Riverside Methadone Clinic"]
    assert names(get(client, medication="BU")) == ["Bridge Buprenorphine Clinic"]
    assert names(get(client, medication="NU")) == []


def test_it_filters_by_payment(client, peer, directory):
    client.force_login(peer)
    assert names(get(client, pay="NP")) == ["Division Street Syringe Exchange", "Harbor Shelter"]
    assert names(get(client, pay="MD")) == ["Bridge Buprenorphine Clinic", "Riverside Methadone Clinic"]


def test_it_filters_by_language(client, peer, directory):
    client.force_login(peer)
    assert names(get(client, lang="es")) == ["Division Street Syringe Exchange"]
    assert names(get(client, lang=["es", "vi"])) == [
        "Bridge Buprenorphine Clinic",
        "Division Street Syringe Exchange",
    ]


def test_it_filters_walk_in(client, peer, directory):
    client.force_login(peer)
    assert names(get(client, walkin="1")) == [
        "Bridge Buprenorphine Clinic",
        "Division Street Syringe Exchange",
        "Harbor Shelter",
    ]


def test_it_filters_open_now(client, peer, directory):
    client.force_login(peer)
    assert names(get(client, open="1")) == ["Bridge Buprenorphine Clinic", "Division Street Syringe Exchange"]


def test_it_combines_filters_across_groups(client, peer, directory):
    client.force_login(peer)
    assert names(get(client, kind="PC-MAT", walkin="1", open="1", q="clinic")) == [
        "Bridge Buprenorphine Clinic"
    ]


def test_it_ignores_unknown_filter_values(client, peer, directory):
    client.force_login(peer)
    response = get(client, kind="DROP TABLE", lang="xx", pay="nope")
    assert response.status_code == 200
    assert len(names(response)) == 4


def test_it_keeps_the_filters_in_the_form_without_javascript(client, peer, directory):
    client.force_login(peer)
    content = get(client, q="metha", kind="PC-MAT", open="1").content.decode()
    assert 'value="metha"' in content
    assert 'value="PC-MAT" checked' in content
    assert 'name="open" value="1" checked' in content
    assert f'action="{URL}"' in content and 'method="get"' in content


def test_it_answers_htmx_with_the_results_fragment(client, peer, directory):
    client.force_login(peer)
    response = client.get(URL, {"q": "metha"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "<html" not in content and "Riverside Methadone Clinic" in content
    assert "HX-Request" in response["Vary"]


def test_it_shows_status_badges_phone_and_freshness(client, peer, directory):
    client.force_login(peer)
    content = get(client, q="division").content.decode()
    assert "Open 24 hours" in content
    assert "Syringe exchange" in content and "Free" in content
    assert 'href="tel:5035550199"' in content
    assert "Verified today" in content


def test_it_marks_sample_services(client, peer, db):
    make_service("Sample Exchange", is_sample=True)
    client.force_login(peer)
    assert "badge-sample" in get(client).content.decode()


def test_it_pages_results(client, peer, db):
    for i in range(25):
        make_service(f"Exchange {i:02d}", phone="")
    client.force_login(peer)
    first = get(client)
    assert len(first.context["page"]) == 20 and "page=2" in first.content.decode()
    assert len(get(client, page="2").context["page"]) == 5


def test_it_pages_with_htmx_and_plain_links_keeping_the_search(client, peer, db):
    for i in range(25):
        make_service(f"Exchange {i:02d}", phone="")
    client.force_login(peer)
    pager = results(get(client, q="exchange", page="2")).split('class="pager"')[1]
    assert 'href="?q=exchange&amp;page=1" hx-get="?q=exchange&amp;page=1" hx-target="#results"' in pager
    assert "Previous" in pager and "Page 2 of 2" in pager and "Next" not in pager


def test_it_keeps_the_query_count_fixed(client, peer, db, django_assert_num_queries):
    for i in range(30):
        make_service(
            f"Exchange {i:02d}",
            terms=["PC-SYR", "NP"],
            hours=[("MO,TU", "09:00", "17:00")],
            languages=[("es", "Spanish")],
        )
    client.force_login(peer)
    params = {"q": "exchange", "kind": "PC-SSP", "lang": "es", "pay": "NP", "walkin": "", "open": ""}
    # A cold cache: session, user, permissions (two: the user's own and their groups'),
    # unread feedback (top bar), chips and languages (both cached from now on), count,
    # the page's ids; then the 20 rows to draw: services with their organizations,
    # terms, schedules, phones.
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    # With search words (issue 14): +1 the synonym list (cached from now on), +2 the
    # time zones and schedule rows that rank services open now first; the ranked
    # matches are read once and counted and paged in Python (count and page ids
    # become one query), then the page's updated_at (one more).
    with django_assert_num_queries(16):
        response = get(client, **params)
    assert len(response.context["page"]) == 20
    # Warm: the chips, the languages, the synonyms and the 20 rows come from the cache.
    with django_assert_num_queries(9):  # +1: permissions in two queries; +2: ranking, as above
        again = get(client, **params)
    assert results(again) == results(response)


def test_it_keeps_the_query_count_fixed_with_open_now(client, peer, db, django_assert_num_queries):
    for i in range(30):
        make_service(f"Exchange {i:02d}", hours=ALWAYS)
    client.force_login(peer)
    # As above, plus the time zones and the schedule rows open-now reads.
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(15):
        response = get(client, open="1")
    assert len(response.context["page"]) == 20
    with django_assert_num_queries(9):
        get(client, open="1")


def test_it_ranks_a_search_with_open_now_ticked_without_more_queries(client, peer, db, django_assert_num_queries):
    for i in range(30):
        make_service(f"Exchange {i:02d}", hours=ALWAYS)
    client.force_login(peer)
    get(client, q="exchange", open="1")
    # As many as open now alone: every result is open, so nothing ranks by it.
    with django_assert_num_queries(9):
        response = get(client, q="exchange", open="1")
    assert len(response.context["page"]) == 20


def test_it_keeps_the_query_count_fixed_with_open_now_in_two_time_zones(
    client, peer, db, django_assert_num_queries
):
    for i in range(30):
        make_service(f"Exchange {i:02d}", hours=ALWAYS, time_zone="America/New_York" if i % 2 else "UTC")
    client.force_login(peer)
    # As with one zone: one query finds the rows Python decides, whatever the number of zones.
    # +1: Django's ModelBackend reads user and group permissions in two queries.
    with django_assert_num_queries(15):
        response = get(client, open="1")
    assert len(response.context["page"]) == 20


def test_it_refuses_people_without_the_directory_permission(client, db):
    from harmreduction.models import User

    client.force_login(User.objects.create_user("nobody", password="x" * 20))
    assert get(client).status_code == 403


def test_it_finds_services_open_at_a_moment_in_their_own_time_zone(db):
    make_service("Portland Nine To Five", hours=[("MO,TU,WE,TH,FR", "09:00", "17:00")])
    make_service(
        "New York Nine To Five", hours=[("MO,TU,WE,TH,FR", "09:00", "17:00")], time_zone="America/New_York"
    )
    make_service("Late Night", hours=[("FR", "22:00", "04:00")])
    # Wednesday 8:30 am in Portland, 11:30 am in New York.
    moment = datetime(2026, 11, 25, 8, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert [s.name for s in Service.objects.open_at(moment)] == ["New York Nine To Five"]
    # Saturday 2 am in Portland: Friday night's hours are still running.
    moment = datetime(2026, 11, 28, 2, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert [s.name for s in Service.objects.open_at(moment)] == ["Late Night"]


def test_it_uses_the_full_text_index_on_postgresql(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    make_service("Riverside Methadone Clinic")
    # Unordered, so the name index (for listing) is no alternative to the search index.
    queryset = Service.objects.search("metha clinic").order_by()
    with connection.cursor() as cursor:
        # With a handful of rows the planner prefers a scan; forbid it to see the index is usable.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "resources_service_search_gin" in plan, plan
    assert [s.name for s in queryset] == ["Riverside Methadone Clinic"]
