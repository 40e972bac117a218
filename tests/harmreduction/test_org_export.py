"""export_org / import_org: everything an organization owns leaves and comes back whole."""

import importlib
import io
import json
import os
import stat

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from demo.sample_checkins import load_sample_checkins
from demo.sample_directory import load_sample_directory
from harmreduction.models import AuditEvent, Team, User
from harmreduction.org_export import CONTENT, DIRECTORY, EXCLUDED, RECORDS
from resources import content
from resources.models import Card, CardTranslation, Service, Term
from resources.service_kinds import load_service_kinds
from sessions_app.models import (
    PART2_NOTICE,
    Addendum,
    CheckIn,
    ContactMethod,
    Draft,
    Feedback,
    Participant,
    Referral,
    SupplyGiven,
)


@pytest.fixture
def organization(peer, peer2, supervisor, admin):
    """A small organization with something in every table the export carries."""
    # A transactional test elsewhere may have emptied what data migrations seeded: put it back.
    content.load(apps)
    load_service_kinds()
    importlib.import_module("sessions_app.migrations.0002_choice_lists").seed(apps, None)
    load_sample_directory()
    peers = list(User.objects.filter(pk__in=[peer.pk, peer2.pk]).select_related("team__supervisor"))
    load_sample_checkins(peers, 40)
    checkin = CheckIn.objects.filter(peer=peer).first()
    checkin.mark_reviewed(by=supervisor)
    Feedback.objects.create(checkin=checkin, author=supervisor, text="Kind words.")
    Addendum.objects.create(checkin=checkin, author=peer, text="They called back on Friday.")
    Referral.objects.get_or_create(checkin=checkin, service=Service.objects.order_by("pk").last())
    Draft.objects.create(user=peer2, data={"note": ["half-typed"]})
    ContactMethod.objects.create(name="Text message", order=9)
    # The library as this organization keeps it: an edited card, a removed term.
    card = Card.objects.order_by("pk").first()
    card.summary = "Our own words for this card."
    card.save()
    Term.objects.order_by("pk").last().delete()
    # A translation a person has reviewed: who, and its history, travel with the content.
    translation = CardTranslation.objects.order_by("pk").first()
    translation.reviewed_on, translation.reviewed_by = timezone.localdate(), admin
    translation.save()
    service = Service.objects.order_by("pk").first()
    service.peer_notes = "Ask for Dee at the side door."
    service.save()
    service.mark_verified(by=admin)
    AuditEvent.record(None, "view", checkin, user=supervisor)
    # An admin's change to a person: whom and what changed travel too.
    AuditEvent.record(None, "role granted", peer2, user=admin, detail="Supervisor")
    assert SupplyGiven.objects.exists() and Participant.objects.exists() and Referral.objects.count() > 1


def _snapshot() -> dict[str, list[dict]]:
    """Every exported record as data (natural keys for users), referrals by their service's HSDS id."""
    data = {}
    for label in RECORDS + CONTENT:
        rows = serializers.serialize("python", apps.get_model(label)._base_manager.order_by("pk"),
                                     use_natural_foreign_keys=True)
        if label == "sessions_app.Referral":
            hsds = dict(Service.objects.values_list("pk", "hsds_id"))
            for row in rows:
                row["fields"]["service"] = str(hsds[row["fields"]["service"]])
        data[label] = rows
    data["directory"] = sorted(
        tuple(str(v) for v in row) for row in Service.objects.values_list(
            "hsds_id", "name", "status", "peer_notes", "is_sample", "last_verified_on", "last_verified_by__username"))
    for label in DIRECTORY:
        data[f"{label} count"] = apps.get_model(label).objects.count()
    return data


def _empty_database() -> None:
    """The organization's data gone, as in a freshly migrated database (seeded content stays)."""
    for model in (Draft, Addendum, Feedback, Referral, SupplyGiven, CheckIn, Participant):
        model.objects.all().delete()
    # The audit log refuses deletes through the app; a fresh database simply has none.
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    Service.objects.all().delete()
    apps.get_model("resources.Organization").objects.all().delete()
    apps.get_model("resources.Location").objects.all().delete()
    User.objects.all().delete()
    Team.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_it_restores_an_export_into_an_empty_database(organization, tmp_path):
    # transaction=True: loaddata and the HSDS import run as they would in a command, with their own atomics.
    call_command("export_org", str(tmp_path))
    before = _snapshot()
    _empty_database()
    assert not CheckIn.objects.exists() and not User.objects.exists()

    call_command("import_org", str(tmp_path))

    after = _snapshot()
    # One line more in the audit log: the import itself.
    assert after["harmreduction.AuditEvent"][-1]["fields"]["action"] == "import organization"
    after["harmreduction.AuditEvent"].pop()
    for key in before:
        if isinstance(before[key], list):
            assert len(after[key]) == len(before[key]), key
        if isinstance(before[key], list) and before[key] and isinstance(before[key][0], dict):
            for old, new in zip(before[key], after[key], strict=True):
                changed = {f: (v, new["fields"].get(f)) for f, v in old["fields"].items() if new["fields"].get(f) != v}
                assert (old["pk"], changed) == (new["pk"], {}), key
        assert after[key] == before[key], key
    assert before["harmreduction.AuditEvent"][-1]["fields"]["action"] == "export organization"
    granted = AuditEvent.objects.get(action="role granted")
    assert (granted.username, granted.subject_username, granted.detail) == ("admin", "peer2", "Supervisor")
    assert Card.objects.get(pk=before["resources.Card"][0]["pk"]).summary == "Our own words for this card."
    # Sequences follow the loaded ids: the next check-in gets a new one.
    peer = User.objects.get(username="peer")
    new = CheckIn.objects.create(peer=peer, method=ContactMethod.objects.first(), happened_at=timezone.now())
    assert new.pk > max(row["pk"] for row in before["sessions_app.CheckIn"])


@pytest.mark.django_db
def test_it_puts_the_part_2_notice_first_in_the_records(organization, tmp_path):
    call_command("export_org", str(tmp_path))

    text = (tmp_path / "records.json").read_text()
    assert text.startswith('{\n "notice": ' + json.dumps(PART2_NOTICE))
    assert (tmp_path / "NOTICE.txt").read_text().strip() == PART2_NOTICE
    assert (tmp_path / "directory" / "datapackage.json").exists()
    assert AuditEvent.objects.filter(action="export organization", user=None).count() == 1


@pytest.mark.django_db
def test_it_refuses_to_import_over_an_organization(organization, tmp_path):
    call_command("export_org", str(tmp_path))
    checkins = CheckIn.objects.count()

    with pytest.raises(CommandError, match="already holds"):
        call_command("import_org", str(tmp_path))
    assert CheckIn.objects.count() == checkins


@pytest.mark.django_db
def test_it_refuses_records_without_the_notice(organization, tmp_path):
    call_command("export_org", str(tmp_path))
    records = json.loads((tmp_path / "records.json").read_text())
    del records["notice"]
    (tmp_path / "records.json").write_text(json.dumps(records))
    _empty_database()

    with pytest.raises(CommandError, match="Part 2"):
        call_command("import_org", str(tmp_path))
    assert not User.objects.exists()


def test_it_covers_every_model():
    # A new model must be exported or left out on purpose, with a reason.
    covered = {*RECORDS, *CONTENT, *DIRECTORY, *EXCLUDED}
    missing = {m._meta.label for m in apps.get_models()} - covered
    assert not missing, f"add these to harmreduction/org_export.py: {sorted(missing)}"



def test_it_writes_files_only_the_owner_can_read(peer, tmp_path):
    """The export holds notes and password hashes: 0600 files in 0700 folders, whatever the umask."""
    folder = tmp_path / "export"
    folder.mkdir(mode=0o755)
    # An earlier export's file keeps its mode when overwritten unless we tighten it.
    (folder / "records.json").write_text("{}")
    (folder / "records.json").chmod(0o644)
    old_umask = os.umask(0o022)
    try:
        call_command("export_org", str(folder), stdout=io.StringIO())
        assert os.umask(0o022) == 0o022  # the process's umask is given back
    finally:
        os.umask(old_umask)
    paths = [folder, *folder.rglob("*")]
    assert {p.name for p in paths} >= {"records.json", "content.json", "NOTICE.txt", "directory", "services.json"}
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path
