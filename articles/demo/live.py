"""The demo's live file: a typhoon coming ashore, with a pinned update and newer ones."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Contributor, LiveUpdate, Section
from articles.sanitize import paragraphs_to_html

SLUG = "live-typhoon-khanun-makes-landfall"
UPDATES = [
    # (minutes ago, headline, text, pinned)
    (95, "Evacuation orders for coastal Busan", "About 3,000 residents of low-lying districts "
     "have been told to move to shelters by 6 p.m.; schools are closed.", True),
    (60, "Flights cancelled at Gimhae and Jeju", "All domestic flights out of Gimhae and Jeju "
     "are grounded until at least midnight, the airports corporation said.", False),
    (25, "Storm makes landfall near Geoje", "The typhoon came ashore with winds of 35 meters "
     "per second, the weather agency said. Power is out for 12,000 homes.", False),
    (5, "Ferries suspended until Friday", "The coast guard has kept all passenger ferries in "
     "port along the southern coast.", False),
]  # fmt: skip


def load_live_story() -> int:
    """Create the live demo story with its updates if it is missing; 1 if it was made."""
    if Article.objects.filter(slug=SLUG).exists():
        return 0
    now = timezone.now()
    started = now - timedelta(hours=2)
    story = Article.objects.create(
        slug=SLUG,
        headline="Live: Typhoon Khanun makes landfall on the southern coast",
        kicker="Live",
        dek="Evacuations, cancelled flights and power cuts as the storm comes ashore.",
        dateline="BUSAN",
        body=paragraphs_to_html(
            ["Typhoon Khanun is crossing the southern coast. Follow the latest here."]
        ),
        section=Section.objects.filter(slug="society").first(),
        status=Article.Status.PUBLISHED,
        publish_at=started,
        first_published_at=started,
        live_started_at=started,
    )
    reporter = Contributor.objects.filter(slug="park-jun-ho").first()
    LiveUpdate.objects.bulk_create(
        LiveUpdate(article=story, headline=headline, body=paragraphs_to_html([text]),
                   posted_at=now - timedelta(minutes=minutes), pinned=pinned,
                   contributor=reporter, status=LiveUpdate.Status.APPROVED)
        for minutes, headline, text, pinned in UPDATES
    )  # fmt: skip
    return 1
