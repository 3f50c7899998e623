"""Make an API key for a partner and print it: the only time it is ever shown."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.models import ApiKey, Partner, Section, Topic


class Command(BaseCommand):
    help = "Create an API key for PARTNER (created if new) and print it once."

    def add_arguments(self, parser):
        parser.add_argument("partner", help="The partner's name.")
        parser.add_argument("--name", default="default", help="What the key is for.")
        parser.add_argument(
            "--section",
            action="append",
            default=[],
            help="Limit to a section (slug); repeat for more.",
        )
        parser.add_argument(
            "--topic", action="append", default=[], help="Limit to a topic (slug); repeat for more."
        )
        parser.add_argument(
            "--rate", type=int, default=600, help="Requests a minute (default 600)."
        )
        parser.add_argument(
            "--days", type=int, help="Expire after this many days (default: never)."
        )

    def handle(self, *args, partner, name, section, topic, rate, days, **options):
        if rate < 1:
            raise CommandError("--rate must be at least 1.")
        sections = self.lookup(Section, section)
        topics = self.lookup(Topic, topic)
        owner, _ = Partner.objects.get_or_create(name=partner)
        key, secret = ApiKey.create_for(
            owner,
            name=name,
            all_content=not (sections or topics),
            rate_per_minute=rate,
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
        key.sections.set(sections)
        key.topics.set(topics)
        self.stderr.write(f"Key {key.prefix}… for {owner}. Store it now: it is not shown again.")
        self.stdout.write(secret)

    @staticmethod
    def lookup(model, slugs):
        found = list(model.objects.filter(slug__in=slugs))
        missing = set(slugs) - {item.slug for item in found}
        if missing:
            raise CommandError(f"No {model._meta.verbose_name} {', '.join(sorted(missing))}.")
        return found
