"""The demo newsroom: sections, contributors, topics, photos and stories from `demo.json`.

Loading is idempotent: anything that already exists (matched by slug) is left as editors
last saved it, so re-running never overwrites work done in the admin.
"""

import io
import json
import secrets
from datetime import timedelta
from pathlib import Path

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from articles.demo.blocks import load_block_story
from articles.demo.fronts import load_home_front
from articles.demo.live import load_live_story
from articles.models import (
    Article,
    ArticlePhoto,
    Byline,
    Contributor,
    Photo,
    Section,
    Topic,
    TopicAlias,
)
from articles.sanitize import paragraphs_to_html

DEMO_FILE = Path(__file__).with_name("demo.json")
# Demo logins: (username, role group from the roles migration, name, credited contributor).
DEMO_USERS = [
    ("editor", "Editor", ("Demo", "Editor"), None),
    ("reporter", "Reporter", ("Park", "Jun-ho"), "park-jun-ho"),
]
PHOTO_SIZE = (1200, 800)


def generate_picture(colors: list[str], label: str) -> bytes:
    """A JPEG drawn locally: a diagonal two-colour field with a label, no outside files."""
    image = Image.new("RGB", PHOTO_SIZE, colors[0])
    draw = ImageDraw.Draw(image)
    width, height = PHOTO_SIZE
    draw.polygon(
        [(width * 0.45, 0), (width, 0), (width, height), (width * 0.15, height)], colors[1]
    )
    font = ImageFont.load_default(size=64)
    # Pillow's bundled font has no typographic dashes or quotes; draw their plain forms.
    label = label.translate(str.maketrans("–—‘’“”", "--''\"\""))
    draw.rectangle([(40, height - 150), (width - 40, height - 50)], fill=(0, 0, 0))
    draw.text((70, height - 135), label, fill=(255, 255, 255), font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


@transaction.atomic
def load_demo(data: dict | None = None) -> dict[str, int]:
    """Create whatever of the demo newsroom is missing; return counts of what was created."""
    whole_demo = data is None
    data = data or json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    created = {"sections": 0, "contributors": 0, "topics": 0, "articles": 0, "fronts": 0}

    sections = {}
    for item in data["sections"]:
        sections[item["slug"]], new = Section.objects.get_or_create(
            slug=item["slug"], defaults=item
        )
        created["sections"] += new

    contributors = {}
    for item in data["contributors"]:
        contributors[item["slug"]], new = Contributor.objects.get_or_create(
            slug=item["slug"], defaults=item
        )
        created["contributors"] += new

    topics = {}
    for item in data["topics"]:
        fields = {k: v for k, v in item.items() if k != "aliases"}
        topic, new = Topic.objects.get_or_create(name__iexact=item["name"], defaults=fields)
        topics[item["name"]] = topic
        created["topics"] += new
        if new:
            TopicAlias.objects.bulk_create(
                TopicAlias(topic=topic, name=alias, slug=slugify(alias, allow_unicode=True))
                for alias in item["aliases"]
            )

    now = timezone.now()
    for item in data["articles"]:
        if Article.objects.filter(slug=item["slug"]).exists():
            continue
        hours_ago = item["hours_ago"]
        publish_at = None if hours_ago is None else now - timedelta(hours=hours_ago)
        article = Article.objects.create(
            slug=item["slug"],
            headline=item["headline"],
            kicker=item["kicker"],
            dek=item["dek"],
            dateline=item["dateline"],
            body=paragraphs_to_html(item["paragraphs"]),
            section=sections[item["section"]],
            status=item["status"],
            publish_at=publish_at,
            first_published_at=publish_at if item["status"] == Article.Status.PUBLISHED else None,
        )
        article.topics.set([topics[name] for name in item["topics"]])
        Byline.objects.bulk_create(
            Byline(article=article, contributor=contributors[b["contributor"]], role=b["role"],
                   position=position)
            for position, b in enumerate(item["bylines"])
        )  # fmt: skip
        if photo := item["photo"]:
            picture = Photo(
                caption=photo["caption"], credit=photo["credit"], alt_text=photo["alt_text"]
            )
            # A named file: Django reads the size (width, height) only from a file with a name.
            name = f"{item['slug']}.jpg"
            picture.image.save(
                name, ContentFile(generate_picture(photo["colors"], photo["label"]), name=name)
            )
            ArticlePhoto.objects.create(article=article, photo=picture, position=0)
        # Its first revision, bylines and photo included, so the story's history starts here.
        with reversion.create_revision():
            reversion.add_to_revision(article)
            reversion.set_comment("Loaded with the demo newsroom.")
        # A demo story was last touched when it went out, not when this command ran.
        Article.objects.filter(pk=article.pk).update(updated_at=publish_at or now)
        created["articles"] += 1
    created["fronts"] = load_home_front(data.get("home_front"))
    if whole_demo:  # the showcases need the whole demo's photos and stories
        created["articles"] += load_block_story() + load_live_story()
    return created


@transaction.atomic
def ensure_demo_users() -> list[tuple[str, str, str]]:
    """Create or reset the demo editor and reporter with fresh random passwords.

    Returns (role, username, password) for each. The groups come from the roles migration;
    the reporter is linked to their contributor, so the stories credited to them are theirs.
    """
    logins = []
    for username, group_name, (first_name, last_name), contributor_slug in DEMO_USERS:
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@example.com",
            },
        )
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=group_name))
        if contributor_slug:
            Contributor.objects.filter(slug=contributor_slug, user=None).update(user=user)
        logins.append((group_name, username, password))
    return logins
