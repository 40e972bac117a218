from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from resources.hsds import DEFAULT_MAX_MEGABYTES, HSDSError, import_path

# Lines of skipped records printed; the count says how many more.
SHOWN_SKIPS = 20
PROGRESS_EVERY = 1000


class Command(BaseCommand):
    help = (
        "Import an HSDS 3.0 tabular data package (a folder with datapackage.json) or HSDS JSON "
        "into the referral directory. Idempotent by HSDS id; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A package folder or a .json file.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Clear the fields a record in the file leaves out (by default they keep their value).",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse the file if it has fields or tables the directory does not keep, or records it skips.",
        )
        parser.add_argument(
            "--max-size",
            type=float,
            default=DEFAULT_MAX_MEGABYTES,
            metavar="MB",
            help=f"Refuse files larger than this many megabytes (default {DEFAULT_MAX_MEGABYTES}).",
        )

    def handle(self, *args, path, replace, strict, max_size, **options):
        progress, close = self._progress()
        try:
            report = import_path(path, replace=replace, strict=strict, max_megabytes=max_size, progress=progress)
        except HSDSError as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        except OSError as error:
            raise CommandError(f"Nothing was imported. Cannot read {path}: {error.strerror}") from None
        except DatabaseError as error:
            # Every value is checked before it is written; this is the database's own refusal.
            raise CommandError(f"Nothing was imported. The database refused a record of {path}: {error}") from None
        finally:
            close()
        for line in report.summary_lines():
            self.stdout.write(f"  {line}")
        for line in report.skipped[:SHOWN_SKIPS]:
            self.stdout.write(self.style.WARNING(f"Skipped: {line}"))
        if len(report.skipped) > SHOWN_SKIPS:
            self.stdout.write(self.style.WARNING(f"… and {len(report.skipped) - SHOWN_SKIPS} more skipped."))
        for line in report.warnings():
            self.stdout.write(self.style.WARNING(f"Not kept: {line}"))
        self.stdout.write(
            self.style.SUCCESS(f"Imported {path}: {report.records:,} records read in {report.seconds:.1f} s.")
        )

    def _progress(self):
        """A progress bar on a terminal (tqdm); a plain line every 1,000 records in a log or a pipe."""
        if self.stdout.isatty():
            from tqdm import tqdm

            bar = tqdm(unit=" records", file=self.stderr._out, mininterval=0.5)
            return bar.update, bar.close
        seen = 0

        def line(n: int) -> None:
            nonlocal seen
            seen += n
            if seen % PROGRESS_EVERY == 0:
                self.stdout.write(f"{seen:,} records read")

        return line, lambda: None
