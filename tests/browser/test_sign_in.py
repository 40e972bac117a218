from tests.browser.conftest import check_a11y, sign_in, sign_out


def test_it_signs_in_shows_home_and_signs_out(page, peer):
    page.goto("/")
    assert "/login/" in page.url
    check_a11y(page)

    sign_in(page, "peer")
    assert page.get_by_role("heading", name="Hello, Jordan").is_visible()
    check_a11y(page)

    sign_out(page)
    page.wait_for_url("**/login/")
    page.goto("/")
    assert "/login/" in page.url


def test_it_says_when_the_password_is_wrong(page, peer):
    page.goto("/login/")
    page.get_by_label("Username").fill("peer")
    page.get_by_label("Password").fill("not it")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("That username and password did not match")
    assert page.get_by_label("Username").input_value() == "peer"
    check_a11y(page)
