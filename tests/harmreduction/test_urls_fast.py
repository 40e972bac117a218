"""url_for_id gives what reverse() gives."""

import pytest
from django.urls import reverse

from harmreduction.urls_fast import url_for_id


@pytest.mark.parametrize("pk", [1, 7, 42, 918273645, 2**63 - 1])
@pytest.mark.parametrize("name", ["sessions_app:checkin_detail", "sessions_app:participant_detail"])
def test_it_gives_what_reverse_gives(name, pk):
    assert url_for_id(name, pk) == reverse(name, args=[pk])


def test_it_follows_the_script_prefix():
    from django.urls import set_script_prefix

    set_script_prefix("/outreach/")
    try:
        assert url_for_id("sessions_app:checkin_detail", 5) == "/outreach/checkins/5/"
    finally:
        set_script_prefix("/")
