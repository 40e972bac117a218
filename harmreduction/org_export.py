"""Everything an organization owns, in one folder, and back (docs/deploy.md, "Organization export").

    manage.py export_org PATH    # writes PATH/ (created if missing)
    manage.py import_org PATH    # into a freshly migrated, empty database

The folder holds:

- `records.json`: the admins' part, with the people's notes. It begins with
  the 42 CFR Part 2 redisclosure notice, then Django's serialized objects
  (the `dumpdata` format, natural keys for users, groups and permissions, so
  it loads into a database whose permission ids differ): teams, users (with
  password hashes, so people can sign in after a move), the how-we-met,
  program, funding-source and supply lists, participants, check-ins, supplies,
  referrals with their status histories, overdose reversals, feedback, addenda,
  drafts and the audit log.
- `content.json`: the library's cards, their translations and terms, and their version history.
- `directory/`: the referral directory as HSDS 3.0 (`resources/hsds.py`, the
  same files `export_hsds` writes), the open format other directories read.
  Referrals point at services by their HSDS id, so they survive the new
  primary keys an HSDS import gives; what HSDS has no field for (peer notes,
  the sample badge, who verified last) travels in records.json.
- `NOTICE.txt`: the Part 2 notice again, for whoever opens the folder.

Left out on purpose (see EXCLUDED): sign-in sessions, two-step devices (their
secrets stay on the old server; people enrol again), sign-in pauses, and what
`migrate` makes (permissions, groups, content types).

Why dumpdata's format and not our own: it already round-trips every field
type, keeps primary keys (so check-ins keep their ids and the audit log keeps
pointing at them), resolves natural keys and forward references, and loaddata
resets PostgreSQL's sequences after loading. Only the referral → service link
needs help, because the directory travels as HSDS.
"""

import json
import os
import tempfile
from contextlib import contextmanager
from datetime import datetime, time
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from harmreduction.models import AuditEvent, User
from resources.hsds import export_path, import_path
from resources.models import Service
from sessions_app.models import PART2_NOTICE, Referral

FORMAT = "peer-companion organization export 1"

# Order matters only for readability: loaddata resolves forward references.
RECORDS = [
    "harmreduction.Team", "harmreduction.User",
    "sessions_app.ContactMethod", "sessions_app.Program", "sessions_app.FundingSource", "sessions_app.SupplyItem",
    "sessions_app.Participant", "sessions_app.CheckIn", "sessions_app.SupplyGiven", "sessions_app.Referral",
    "sessions_app.ReferralStatusChange", "sessions_app.OverdoseReversal",
    "sessions_app.Feedback", "sessions_app.Addendum", "sessions_app.Draft", "sessions_app.ReturnedCheckIn",
    "harmreduction.AuditEvent",
]
CONTENT = ["resources.Card", "resources.Term", "resources.HistoricalCard", "resources.HistoricalTerm",
           "resources.SearchSynonym", "resources.HistoricalSearchSynonym",
           "resources.CardTranslation", "resources.HistoricalCardTranslation"]
# Travels as HSDS in directory/.
DIRECTORY = [
    "resources.Taxonomy", "resources.TaxonomyTerm", "resources.Organization", "resources.Location",
    "resources.Address", "resources.Service", "resources.ServiceAtLocation", "resources.Phone",
    "resources.Schedule", "resources.Language", "resources.CostOption",
]
EXCLUDED = {
    "harmreduction.UserSession": "sign-ins end with the move",
    "sessions.Session": "sign-ins end with the move",
    "otp_totp.TOTPDevice": "two-step secrets never leave the server; people enrol again",
    "axes.AccessAttempt": "sign-in pauses are temporary",
    "axes.AccessAttemptExpiration": "sign-in pauses are temporary",
    "axes.AccessFailureLog": "sign-in pauses are temporary (AuditEvent records every failure)",
    "axes.AccessLog": "switched off (AXES_DISABLE_ACCESS_LOG); AuditEvent records sign-ins",
    "admin.LogEntry": "the admin's own change list; AuditEvent is the record",
    "auth.Permission": "made by migrate",
    "auth.Group": "made by migrate (roles)",
    "contenttypes.ContentType": "made by migrate",
    "resources.WeeklyOpening": "derived from schedules: saving each imported schedule rebuilds it",
}
# Made by data migrations in a fresh database; the export's rows replace them.
# History last: deleting a card writes a history row of its own.
SEEDED = ["resources.Card", "resources.CardTranslation", "resources.Term", "resources.SearchSynonym",
          "resources.HistoricalCard", "resources.HistoricalCardTranslation", "resources.HistoricalTerm",
          "resources.HistoricalSearchSynonym",
          "sessions_app.ContactMethod", "sessions_app.Program", "sessions_app.SupplyItem"]


class ImportRefused(Exception):
    pass


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds (ECMA-262); a restore must keep microseconds."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _serialize(labels: list[str]) -> list[dict]:
    objects = []
    for label in labels:
        model = apps.get_model(label)
        queryset = model._base_manager.order_by("pk")
        objects += serializers.serialize("python", queryset.iterator(chunk_size=2000),
                                         use_natural_foreign_keys=True)
    return objects


def _write_json(path: Path, data: dict) -> None:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, cls=ExactJSONEncoder, ensure_ascii=False, indent=1)
        handle.write("\n")


@contextmanager
def _owner_only(folder: Path):
    """Files and folders made inside are the owner's alone (0600 and 0700), whatever the umask.

    The export holds people's notes and password hashes. The umask covers what
    is created (records, content, the HSDS files); an earlier export's files
    keep their mode when overwritten, so the folder is tightened at the end too.
    The umask is the process's: export_org runs in a management command, where
    nothing else is writing files meanwhile.
    """
    old_umask = os.umask(0o077)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        yield
    finally:
        os.umask(old_umask)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)


def export_org(folder: str | Path) -> dict[str, int]:
    """Write the organization's export into `folder` (owner-only files); returns rows per model (and services)."""
    folder = Path(folder)
    with _owner_only(folder):
        return _export_org(folder)


def _export_org(folder: Path) -> dict[str, int]:
    # Recorded first, so the exported audit log shows its own export.
    AuditEvent.record(None, "export organization")
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # One snapshot: on PostgreSQL, repeatable read, so a check-in saved meanwhile is wholly in or out
        # (and its referral's service with it). Only possible when this is the outermost transaction.
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        records = _serialize(RECORDS)
        content = _serialize(CONTENT)
        referred = Referral.objects.values("service_id").distinct()
        service_ids = {str(pk): str(hsds_id) for pk, hsds_id in
                       Service.objects.filter(pk__in=referred).values_list("pk", "hsds_id")}
        directory = export_path(folder / "directory")
        extras = {str(h): {"peer_notes": notes, "is_sample": sample, "last_verified_by": by}
                  for h, notes, sample, by in Service.objects.values_list(
                      "hsds_id", "peer_notes", "is_sample", "last_verified_by__username")}
    exported_at = timezone.now().isoformat()
    # The notice comes first in the file, before any record.
    _write_json(folder / "records.json", {"notice": PART2_NOTICE, "format": FORMAT, "exported_at": exported_at,
                                          "service_hsds_ids": service_ids, "service_extras": extras,
                                          "objects": records})
    _write_json(folder / "content.json", {"format": FORMAT, "exported_at": exported_at, "objects": content})
    (folder / "NOTICE.txt").write_text(PART2_NOTICE + "\n", encoding="utf-8")
    counts = _count_objects(records + content)
    counts["services (HSDS)"] = directory.get("services", 0)
    return counts


def _count_objects(objects: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for obj in objects:
        counts[obj["model"]] = counts.get(obj["model"], 0) + 1
    return counts


def _read(folder: Path, name: str) -> dict:
    data = json.loads((folder / name).read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ImportRefused(f"{name} is not an organization export of this app ({FORMAT}).")  # i18n: not shown
    if name == "records.json" and data.get("notice") != PART2_NOTICE:
        # Console output of import_org, for the operator (not translated, like every command).
        raise ImportRefused(
            "records.json does not carry the 42 CFR Part 2 notice; it was not made by export_org.")  # i18n: not shown
    return data


def org_data_present() -> list[str]:
    """What in this database an import would collide with (a fresh, migrated database has none)."""
    labels = ["harmreduction.User", "harmreduction.Team", "sessions_app.Participant", "sessions_app.CheckIn",
              "resources.Service", "resources.Organization"]
    return [label for label in labels if apps.get_model(label)._base_manager.exists()]


def import_org(folder: str | Path) -> dict[str, int]:
    """Load an export into a freshly migrated database; all or nothing. Returns rows per model."""
    folder = Path(folder)
    records = _read(folder, "records.json")
    content = _read(folder, "content.json")
    present = org_data_present()
    if present:
        raise ImportRefused(
            "This database already holds an organization's data (" + ", ".join(present)  # i18n: not shown
            + "). Import into a freshly migrated, empty database.")  # i18n: not shown
    with transaction.atomic():
        # What migrations seeded (library content, choice lists) gives way to the organization's own.
        for label in SEEDED:
            apps.get_model(label)._base_manager.all().delete()
        directory = import_path(folder / "directory")
        new_pk = dict((str(h), pk) for h, pk in Service.objects.values_list("hsds_id", "pk"))
        objects = records["objects"] + content["objects"]
        for obj in objects:
            if obj["model"] == "sessions_app.referral":
                old = str(obj["fields"]["service"])
                obj["fields"]["service"] = new_pk[records["service_hsds_ids"][old]]
        with tempfile.TemporaryDirectory() as tmp:
            fixture = Path(tmp) / "organization.json"
            fixture.write_text(json.dumps(objects, cls=ExactJSONEncoder), encoding="utf-8")
            call_command("loaddata", str(fixture), verbosity=0)
        # What HSDS has no field for: the peers' own notes, the sample badge, who verified last.
        users = dict(User.objects.values_list("username", "pk"))
        for hsds_id, extra in records.get("service_extras", {}).items():
            Service.objects.filter(hsds_id=hsds_id).update(
                peer_notes=extra["peer_notes"], is_sample=extra["is_sample"],
                last_verified_by=users.get(extra["last_verified_by"]))
        AuditEvent.record(None, "import organization")
    counts = _count_objects(objects)
    counts["services (HSDS)"] = directory.get("services", 0)
    return counts
