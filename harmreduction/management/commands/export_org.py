from django.core.management.base import BaseCommand

from harmreduction.org_export import export_org


class Command(BaseCommand):
    help = ("Export everything the organization owns into a folder: records.json (people's notes; begins with "
            "the 42 CFR Part 2 notice), content.json (library) and directory/ (HSDS 3.0). Audited.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="A folder to write into (created if missing).")

    def handle(self, *args, path, **options):
        counts = export_org(path)
        for label, count in counts.items():
            self.stdout.write(f"  {label:<32} {count:>8}")
        self.stdout.write(self.style.SUCCESS(f"Exported to {path}. It holds health information: keep it encrypted."))
