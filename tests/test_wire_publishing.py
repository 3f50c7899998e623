"""Agency copy on the public site: the editor's publish time, the agency's time beside it."""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article, Photo
from tests.support.wire import import_data, newsml_bytes

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def test_story_published_weeks_later_is_dated_by_the_editor_and_credits_the_agency_time(client):
    import_data(newsml_bytes(), name="item.xml")
    article = Article.objects.get()
    Photo.objects.update(alt_text="A described picture")
    publish_time = datetime(2025, 12, 20, 9, 0, tzinfo=SEOUL)
    with time_machine.travel(publish_time, tick=False):
        article.publish(by=None)
    article.refresh_from_db()
    assert article.publish_at == publish_time
    assert Article.objects.published().newest_first().first() == article

    with time_machine.travel(datetime(2025, 12, 20, 10, 0, tzinfo=SEOUL)):
        response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "/2025/12/20/" in article.get_absolute_url()
    assert re.search(r'class="story__source">Yonhap, <time datetime="2025-11-26T19:12', html)
    assert '<p class="dateline">BUSAN &mdash;</p>' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)[1]
    )
    story = (
        data
        if data.get("@type") == "NewsArticle"
        else next(item for item in data.get("@graph", []) if item.get("@type") == "NewsArticle")
    )
    assert story["datePublished"].startswith("2025-12-20T09:00")
    assert story["isBasedOn"]["publisher"]["name"] == "Yonhap"
    assert story["isBasedOn"]["datePublished"].startswith("2025-11-26T19:12")
    assert timezone.localtime(article.source_published_at, SEOUL).hour == 19
