"""The directory's vocabulary: service kinds, medications and payment options.

Loaded by a data migration (the directory cannot filter without it) and kept
idempotent: each term's HSDS id is derived from its code, so every install,
export and re-import agrees on it. Codes are SAMHSA FindTreatment.gov's where
one fits (OTP, MU, BU, NU, BERI, VTRL, NOE, PEER, MD, NP, SS, …); the others
carry our "PC-" prefix.
"""

import uuid

from django.utils.translation import gettext_noop

# One namespace for every id we derive, so the same code always gives the same UUID.
NAMESPACE = uuid.UUID("6f1c1d1e-5b0a-4b8e-9a51-3c0f2a7d9e10")
TAXONOMY_NAME = "Peer companion directory"  # i18n: not shown
TAXONOMY_ID = uuid.uuid5(NAMESPACE, "taxonomy")

KIND, MEDICATION, PAYMENT, OTHER = "kind", "medication", "payment", "other"

# code, name, facet, parent code, offered as a filter chip. The names are stored in English
# (HSDS data) and marked for the catalog: chips and badges show TaxonomyTerm.label.
TERMS: list[tuple[str, str, str, str, bool]] = [
    # Syringe services programs: the deck's list of what an SSP offers.
    ("PC-SSP", gettext_noop("Syringe services"), KIND, "", True),
    ("PC-SYR", gettext_noop("Syringe exchange"), KIND, "PC-SSP", False),
    ("NOE", gettext_noop("Naloxone and overdose education"), KIND, "PC-SSP", True),
    ("PC-SHARPS", gettext_noop("Sharps containers and disposal"), KIND, "PC-SSP", False),
    ("PC-RRC", gettext_noop("Risk-reduction counselling"), KIND, "PC-SSP", False),
    ("PC-SAFERSEX", gettext_noop("Safer sex supplies"), KIND, "PC-SSP", False),
    ("PC-WOUND", gettext_noop("Wound and abscess care"), KIND, "PC-SSP", True),
    ("PC-REFER", gettext_noop("Referrals"), KIND, "PC-SSP", False),
    # Medications for opioid use disorder (MAT / MOUD).
    ("PC-MAT", gettext_noop("MAT / MOUD"), KIND, "", True),
    ("OTP", gettext_noop("Opioid treatment program (OTP)"), KIND, "PC-MAT", False),
    ("MU", gettext_noop("Methadone"), MEDICATION, "PC-MAT", True),
    ("MM", gettext_noop("Methadone maintenance"), MEDICATION, "MU", False),
    ("BU", gettext_noop("Buprenorphine"), MEDICATION, "PC-MAT", True),
    ("PC-BUSL", gettext_noop("Buprenorphine film or tablet"), MEDICATION, "BU", False),
    ("BERI", gettext_noop("Buprenorphine extended-release injection"), MEDICATION, "BU", False),
    ("NU", gettext_noop("Naltrexone"), MEDICATION, "PC-MAT", True),
    ("PC-NUTAB", gettext_noop("Naltrexone tablet"), MEDICATION, "NU", False),
    ("VTRL", gettext_noop("Naltrexone extended-release injection"), MEDICATION, "NU", False),
    # Other kinds a peer refers to.
    ("PC-DC", gettext_noop("Drug checking"), KIND, "", True),
    ("PC-TEST", gettext_noop("HIV and hepatitis C testing"), KIND, "", True),
    ("PC-SHELTER", gettext_noop("Shelter"), KIND, "", True),
    ("PC-DETOX", gettext_noop("Withdrawal management (detox)"), KIND, "", True),
    ("PEER", gettext_noop("Peer support"), KIND, "", False),
    # Payment (FindTreatment codes).
    ("NP", gettext_noop("Free"), PAYMENT, "", True),
    ("MD", gettext_noop("Oregon Health Plan (Medicaid)"), PAYMENT, "", True),
    ("MC", gettext_noop("Medicare"), PAYMENT, "", False),
    ("PI", gettext_noop("Private insurance"), PAYMENT, "", False),
    ("SS", gettext_noop("Sliding fee scale"), PAYMENT, "", False),
    ("SF", gettext_noop("Self-pay"), PAYMENT, "", False),
    # Carried in HSDS exports as attributes with a value (resources/hsds.py), never tagged.
    ("PC-ACCESS", gettext_noop("Access: walk-in or appointment"), OTHER, "", False),
    ("PC-TZ", gettext_noop("Time zone of the service's hours (IANA name)"), OTHER, "", False),
]


def term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"term:{code}")


def load_service_kinds(apps=None) -> None:
    """Create or update the vocabulary (idempotent). `apps` is a migration's registry."""
    if apps is None:
        from django.apps import apps
    Taxonomy = apps.get_model("resources", "Taxonomy")
    TaxonomyTerm = apps.get_model("resources", "TaxonomyTerm")
    taxonomy, _ = Taxonomy.objects.update_or_create(
        hsds_id=TAXONOMY_ID,
        defaults={
            "name": TAXONOMY_NAME,
            # HSDS data, exported as it is.
            "description": "Service kinds, medications and payment options for SSP and MAT "  # i18n: not shown
            "referrals. Codes follow SAMHSA FindTreatment.gov where one fits.",
        },
    )
    by_code = {}
    for position, (code, name, facet, parent_code, is_filter) in enumerate(TERMS):
        by_code[code], _ = TaxonomyTerm.objects.update_or_create(
            hsds_id=term_id(code),
            defaults={
                "taxonomy": taxonomy,
                "code": code,
                "name": name,
                "facet": facet,
                "parent": by_code.get(parent_code),
                "is_filter": is_filter,
                "position": position,
                "language": "en",
            },
        )
