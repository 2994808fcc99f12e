"""``manage.py demo_accounts``: the demo logins, their role, their password and what each one sees."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from clo.demo.accounts import DEMO_PASSWORD, describe_accounts


class Command(BaseCommand):
    help = "List the demo logins created by seed_demo: username, role, password and what each one sees."

    def handle(self, *args, **options):
        lines = describe_accounts()
        if not any(line.exists for line in lines):
            self.stdout.write("No demo accounts yet: run `python manage.py seed_demo`.")
            return
        self.stdout.write(
            f"Demo accounts of {settings.CLO_ORGANISATION_NAME} — password for all: {DEMO_PASSWORD}"
        )
        self.stdout.write("")
        width = max(len(line.account.username) for line in lines)
        for line in lines:
            name = line.account.username
            if not line.exists:
                self.stdout.write(f"  {name:<{width}}  (missing: run seed_demo --reset to recreate it)")
                continue
            self.stdout.write(
                self.style.SUCCESS(f"  {name:<{width}}")
                + f"  {line.account.role}"
                + (f" — {line.person}" if line.person else "")
            )
            self.stdout.write(f"  {'':<{width}}  sees {line.account.sees}")
            if line.roles:
                self.stdout.write(f"  {'':<{width}}  roles: {', '.join(line.roles)}")
        self.stdout.write("")
