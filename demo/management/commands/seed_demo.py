"""Demo data: departments, one user per role, dossiers standing at each stage, and a past
year of activity for the annual statistics."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo import people
from demo.scenarios import CONSEQUENCES, SCENARIOS, walk
from demo.year import seed_year
from review.models import Dossier


class Command(BaseCommand):
    help = "Creates demo departments, users (drafter, dept_legal, reviewer, head, secretary, clerk) and dossiers at each stage. Idempotent."

    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD or people.DEFAULT_PASSWORD
        with transaction.atomic():
            users = people.users(people.departments(), password)
        for title, topic, law, steps in SCENARIOS:
            if not Dossier.objects.filter(title=title).exists():
                with transaction.atomic():
                    walk(users, title, topic, law, steps)
        for title, make in CONSEQUENCES.items():
            if not Dossier.objects.filter(title=title).exists():
                with transaction.atomic():
                    make(users)
        # A believable past year, so the annual statistics are not empty on a new machine.
        year = timezone.localdate().year - 1
        if not Dossier.objects.filter(created_at__year=year).exists():
            seed_year(year, users)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            "Users: "
            + ", ".join(username for username, *_ in people.USERS)
            + f" (password: {password}"
            + (", set DEMO_PASSWORD to change it)" if not settings.DEMO_PASSWORD else ")")
        )
