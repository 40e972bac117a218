from tests.browser.conftest import check_a11y
from tests.conftest import PASSWORD


def _try(page, password):
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_it_pauses_sign_in_kindly_and_keeps_the_username(page, peer):
    page.goto("/login/")
    page.get_by_label("Username").fill("peer")
    for _ in range(5):
        _try(page, "not it")
    alert = page.get_by_role("alert")
    assert "Sign-in for this username is paused" in alert.inner_text()
    assert "try again in 15 minutes" in alert.inner_text()
    assert page.get_by_label("Username").input_value() == "peer"
    check_a11y(page)
    _try(page, PASSWORD)
    assert "/login/" in page.url and "paused" in page.get_by_role("alert").inner_text()
