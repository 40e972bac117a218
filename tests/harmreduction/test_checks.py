from harmreduction.checks import check_account_settings


def test_it_is_quiet_with_the_defaults():
    assert check_account_settings(None) == []


def test_it_warns_past_nist_limits(settings):
    settings.SESSION_IDLE_TIMEOUT = 31 * 60
    settings.SESSION_ABSOLUTE_LIFETIME = 13 * 60 * 60
    assert [w.id for w in check_account_settings(None)] == ["harmreduction.W001", "harmreduction.W002"]


def test_it_warns_about_a_misspelled_role(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["Supervisors"]
    assert [w.id for w in check_account_settings(None)] == ["harmreduction.W003"]
    settings.TWO_FACTOR_REQUIRED_ROLES = "all"
    assert check_account_settings(None) == []
