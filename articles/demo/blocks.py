"""The demo's story using every body block, so a newcomer sees them on the first run."""

from datetime import timedelta

import reversion
from django.utils import timezone

from articles.blocks.stored import stored_html
from articles.models import Article, Photo, Section

SLUG = "cepa-in-numbers-what-changes-for-exporters"
EMBED = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"


def load_block_story() -> int:
    """Create the block showcase story if it is missing; return 1 if it was made."""
    if Article.objects.filter(slug=SLUG).exists():
        return 0
    photos = list(Photo.objects.with_image().order_by("pk")[:3])
    related = Article.objects.published().filter(slug="seoul-bangkok-cepa-year-end-target").first()
    section = Section.objects.filter(slug="economy").first()
    if len(photos) < 3 or related is None:
        return 0
    blocks = [
        "<p>The partnership agreement cuts tariffs on most goods traded between the two "
        "countries over ten years. Here is what changes, in numbers.</p>",
        stored_html({"block": "photo", "photo": str(photos[0].pk),
                     "caption": "Containers wait at Busan's new port."}),
        "<h2>Tariffs, year by year</h2>",
        stored_html({"block": "table", "caption": "Share of goods traded duty-free",
                     "rows": "Year | Korean exports | Thai exports\n2026 | 61% | 58%\n"
                             "2030 | 84% | 80%\n2036 | 95% | 93%"}),
        stored_html({"block": "quote", "text": "Smaller firms gain the most, if they file "
                     "the certificates of origin.", "attribution": "Trade ministry official"}),
        stored_html({"block": "factbox", "title": "The agreement at a glance",
                     "text": "Signed in Bangkok\nCovers goods, services and investment\n"
                             "Ratification expected this year"}),
        stored_html({"block": "gallery", "photos": ",".join(str(p.pk) for p in photos),
                     "caption": "Ports and factories on both sides."}),
        stored_html({"block": "embed", "url": EMBED,
                     "caption": "Video: how a certificate of origin works."}),
        stored_html({"block": "related", "story": str(related.pk)}),
        "<p>Exporters can check their products' tariff lines on the customs service's site.</p>",
    ]  # fmt: skip
    publish_at = timezone.now() - timedelta(hours=2)
    with reversion.create_revision():
        story = Article.objects.create(
            slug=SLUG,
            headline="CEPA in numbers: what changes for exporters",
            kicker="Explainer",
            dek="Tariff cuts, the goods they cover and who gains first.",
            body="".join(blocks),
            section=section,
            status=Article.Status.PUBLISHED,
            publish_at=publish_at,
            first_published_at=publish_at,
        )
        story.topics.add(*related.topics.all())
        reversion.set_comment("Loaded with the demo newsroom.")
    return 1
