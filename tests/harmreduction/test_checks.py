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


def test_it_names_a_malformed_offline_key(settings, tmp_path, offline_pems):
    from harmreduction.checks import check_offline_keys

    settings.OFFLINE_PRIVATE_KEYS = [offline_pems[0]]
    assert check_offline_keys(None) == []
    missing = tmp_path / "gone.pem"
    not_a_key = tmp_path / "notes.pem"
    not_a_key.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    settings.OFFLINE_PRIVATE_KEYS = [offline_pems[0], str(missing), str(not_a_key)]
    problems = check_offline_keys(None)
    assert [p.id for p in problems] == ["harmreduction.E002", "harmreduction.E002"]
    assert f"entry 2 ({missing}) cannot be read" in problems[0].msg
    assert f"entry 3 ({not_a_key}) is not a usable private key" in problems[1].msg
    # The key itself never appears in the message.
    settings.OFFLINE_PRIVATE_KEYS = ["-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----"]
    (problem,) = check_offline_keys(None)
    assert "entry 1 (PEM text)" in problem.msg and "c2VjcmV0" not in problem.msg
