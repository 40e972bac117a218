from django.core.management.base import BaseCommand

from resources.hsds import export_path


class Command(BaseCommand):
    help = "Export the referral directory as HSDS 3.0: services.json and a CSV tabular data package."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A folder to write into (created if missing).")

    def handle(self, *args, path, **options):
        counts = export_path(path)
        self.stdout.write(self.style.SUCCESS(f"Exported {counts.get('services', 0)} services to {path}."))
