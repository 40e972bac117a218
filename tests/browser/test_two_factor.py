import time
from binascii import unhexlify

import pytest
from django.contrib.sessions.models import Session
from django_otp.oath import TOTP

from harmreduction.views import PENDING_KEY
from tests.browser.conftest import check_a11y
from tests.conftest import PASSWORD


@pytest.mark.two_factor
def test_it_sets_up_two_step_sign_in_for_a_supervisor(page, supervisor):
    page.goto("/login/")
    page.get_by_label("Username").fill("supervisor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/two-factor/?next=*")
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    check_a11y(page)
    key = next(s.get_decoded()[PENDING_KEY] for s in Session.objects.all() if PENDING_KEY in s.get_decoded())
    totp = TOTP(unhexlify(key.encode()))
    totp.time = time.time()
    page.get_by_label("Code from your app").fill(f"{totp.token():06d}")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", name="Hello, Alex").is_visible()
