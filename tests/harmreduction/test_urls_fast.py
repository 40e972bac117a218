"""reverse_once and url_for_id give what reverse() gives."""

import pytest
from django.urls import reverse

from harmreduction.urls_fast import reverse_once, url_for_id


@pytest.mark.parametrize("pk", [1, 7, 42, 918273645, 2**63 - 1])
@pytest.mark.parametrize("name", ["sessions_app:checkin_detail", "sessions_app:participant_detail"])
def test_it_gives_what_reverse_gives(name, pk):
    assert url_for_id(name, pk) == reverse(name, args=[pk])


def test_it_follows_the_script_prefix():
    from django.urls import set_script_prefix

    set_script_prefix("/outreach/")
    try:
        assert url_for_id("sessions_app:checkin_detail", 5) == "/outreach/checkins/5/"
        assert reverse_once("home") == "/outreach/"
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(
    ("name", "args"),
    [("home", ()), ("sessions_app:feedback_inbox", ()), ("resources:card_detail", ("naloxone-saves-lives",))],
)
def test_it_remembers_what_reverse_gives(name, args):
    assert reverse_once(name, *args) == reverse(name, args=args)
    assert reverse_once(name, *args) == reverse(name, args=args)
