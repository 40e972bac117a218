from django.core.management.base import BaseCommand, CommandError

from resources.hsds import HSDSError, import_path


class Command(BaseCommand):
    help = (
        "Import an HSDS 3.0 tabular data package (a folder with datapackage.json) or HSDS JSON "
        "into the referral directory. Idempotent by HSDS id; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A package folder or a .json file.")

    def handle(self, *args, path, **options):
        try:
            counts = import_path(path)
        except HSDSError as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        except OSError as error:
            raise CommandError(f"Nothing was imported. Cannot read {path}: {error.strerror}") from None
        summary = ", ".join(f"{n} {table}" for table, n in counts.items()) or "nothing"
        self.stdout.write(self.style.SUCCESS(f"Imported {summary}."))
