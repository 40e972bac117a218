from django.core.management.base import BaseCommand, CommandError

from harmreduction.org_export import ImportRefused, import_org


class Command(BaseCommand):
    help = "Load a folder written by export_org into a freshly migrated, empty database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The folder export_org wrote.")

    def handle(self, *args, path, **options):
        try:
            counts = import_org(path)
        except ImportRefused as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        except OSError as error:
            raise CommandError(f"Nothing was imported. Cannot read {path}: {error.strerror}") from None
        for label, count in counts.items():
            self.stdout.write(f"  {label:<32} {count:>8}")
        self.stdout.write(self.style.SUCCESS(f"Imported {path}."))
