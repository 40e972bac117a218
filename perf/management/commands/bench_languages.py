"""What Spanish costs: every main page in Spanish against the same page in English.

Each page is requested by two signed-in clients of the same person, one whose
browser asks for English and one for Spanish (`Accept-Language`), one request
each in turn, so a busy moment of the machine falls on both languages alike.
Prints, per page, the Spanish page's CPU time as a multiple of the English
page's, and both against the plain hello view measured in the same run (the
machine's speed changes from day to day; ratios in one run do not).

Uses the data already in the database (`make bench` runs it after `bench`
has loaded its demo, or after `make run` on the demo). Never asserts.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.test import Client

from harmreduction.models import User
from perf.management.commands.bench import pages


class Command(BaseCommand):
    help = "Every main page in Spanish against the same page in English, in one run (ratios)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=30)
        parser.add_argument("--only", default="", help="Only pages whose label contains this text.")

    def handle(self, *args, requests, only, **options):
        clients = {}

        def client(username: str, language: str) -> Client:
            if (username, language) not in clients:
                person = User.objects.get(username=username)
                # The person's own choice empty, so the browser's language decides.
                if person.language:
                    person.language = ""
                    person.save(update_fields=["language"])
                new = Client(headers={"Accept-Language": language})
                new.force_login(person)
                clients[username, language] = new
            return clients[username, language]

        def cpu_ms(client: Client, url: str, headers: dict) -> float:
            started = time.process_time()
            client.get(url, headers=headers)
            return (time.process_time() - started) * 1000

        hello = Client()
        for _ in range(5):
            hello.get("/bench/hello/")
        hello_ms = statistics.median(cpu_ms(hello, "/bench/hello/", {}) for _ in range(requests * 2))
        self.stdout.write(
            f"CPU per request, median of {requests}, English and Spanish in turn; "
            f"hello view {hello_ms:.2f} ms in this run\n"
        )
        self.stdout.write(f"{'page':<30} {'en/hello':>8} {'es/hello':>8} {'es/en':>6}  Spanish words seen")
        ratios = []
        for page in pages():
            if only not in page.label or page.anchor:
                continue
            headers = {"HX-Request": "true"} if page.htmx else {}
            english, spanish = client(page.username, "en"), client(page.username, "es")
            for _ in range(2):
                english.get(page.url, headers=headers)
                response = spanish.get(page.url, headers=headers)
            assert response.status_code == 200, (page.url, response.status_code)
            # Proof the Spanish page is Spanish (a fragment has no <html lang>).
            seen = 'lang="es"' in response.text or response.headers.get("Content-Language") == "es"
            en, es = [], []
            for _ in range(requests):
                en.append(cpu_ms(english, page.url, headers))
                es.append(cpu_ms(spanish, page.url, headers))
            en_ms, es_ms = statistics.median(en), statistics.median(es)
            ratios.append(es_ms / en_ms)
            self.stdout.write(
                f"{page.label:<30} {en_ms / hello_ms:>8.1f} {es_ms / hello_ms:>8.1f} {es_ms / en_ms:>6.2f}  "
                f"{'yes' if seen else 'NO'}"
            )
        if ratios:
            self.stdout.write(
                f"\nSpanish against English, median over {len(ratios)} pages: {statistics.median(ratios):.2f}x "
                f"(range {min(ratios):.2f}-{max(ratios):.2f}x)"
            )
