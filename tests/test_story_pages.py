"""Story pages, finished: search and social headlines, structured data by role, corrections,
default picture, topic addresses that redirect, headings in order, a favicon, photo rights."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.cache import pages as page_cache
from articles.models import Byline, Photo, Topic, TopicAlias
from tests.support.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    BylineFactory,
    ContributorFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld(response):
    (data,) = JSON_LD.findall(response.content.decode())
    return json.loads(data)


def test_search_and_social_headlines_fall_back_to_the_headline_and_dek(client):
    story = ArticleFactory(published=True, headline="Long headline", dek="The dek.")
    response = client.get(story.get_absolute_url())
    assertContains(response, "<title>Long headline | The Newsroom</title>")
    assertContains(response, '<meta property="og:title" content="Long headline">')
    assertContains(response, '<meta property="og:description" content="The dek.">')
    story.seo_headline = "Short for search"
    story.social_headline = "Made for sharing"
    story.social_description = "Why it matters to you."
    story.save()
    response = client.get(story.get_absolute_url())
    assertContains(response, "<title>Short for search | The Newsroom</title>")
    assertContains(response, '<meta property="og:title" content="Made for sharing">')
    assertContains(response, '<meta name="twitter:title" content="Made for sharing">')
    assertContains(response, '<meta property="og:description" content="Why it matters to you.">')
    # Search engines' description and the page's own headline stay the story's.
    assertContains(response, '<meta name="description" content="The dek.">')
    assert json_ld(response)["headline"] == "Long headline"


def test_the_desk_form_counts_search_and_social_lengths(editor_client):
    story = ArticleFactory()
    response = editor_client.get(f"/admin/articles/article/{story.pk}/change/")
    assertContains(response, 'data-recommended-length="70"')
    assertContains(response, 'data-recommended-length="95"')
    assertContains(response, "js/desk-length-hints.js")


def test_description_keeps_a_space_between_paragraphs(client):
    story = ArticleFactory(published=True, dek="", body="<p>First ends.</p><p>Second starts.</p>")
    assert json_ld(client.get(story.get_absolute_url()))["description"] == (
        "First ends. Second starts."
    )


def test_bylines_are_authors_contributors_editors_and_photo_creators_by_role(client):
    story = ArticleFactory(published=True)
    ArticlePhotoFactory(article=story)
    roles = {
        "Writer": Byline.Role.WRITTEN_BY,
        "Helper": Byline.Role.ADDITIONAL_REPORTING,
        "Desk": Byline.Role.EDITING,
        "Snapper": Byline.Role.PHOTOS,
    }
    for position, (name, role) in enumerate(roles.items()):
        BylineFactory(
            article=story, contributor=ContributorFactory(name=name), role=role, position=position
        )
    data = json_ld(client.get(story.get_absolute_url()))
    assert [a["name"] for a in data["author"]] == ["Writer"]
    assert [a["name"] for a in data["contributor"]] == ["Helper"]
    assert [a["name"] for a in data["editor"]] == ["Desk"]
    assert {c["name"] for image in data["image"] for c in image["creator"]} == {"Snapper"}


def test_corrections_are_in_structured_data_updates_are_not(client):
    story = ArticleFactory(published=True)
    story.add_correction(kind="correction", text="The minister's name was misspelled.")
    story.add_correction(kind="update", text="Adds the ministry's response.")
    data = json_ld(client.get(story.get_absolute_url()))
    (correction,) = data["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "The minister's name was misspelled."
    assert "datePublished" in correction


def test_the_lead_photo_carries_credit_copyright_and_licence(client):
    story = ArticleFactory(published=True)
    ArticlePhotoFactory(
        article=story,
        photo__credit="Yonhap",
        photo__copyright_holder="Yonhap News Agency",
        photo__licence_url="https://example.com/licence",
    )
    response = client.get(story.get_absolute_url())
    image = json_ld(response)["image"][0]
    assert image["creditText"] == "Yonhap"
    assert image["copyrightNotice"] == "© Yonhap News Agency"
    assert image["license"] == "https://example.com/licence"
    assertContains(response, 'fetchpriority="high"', count=1)


def test_a_story_without_a_photo_shares_the_site_picture(client):
    story = ArticleFactory(published=True)
    response = client.get(story.get_absolute_url())
    picture = "http://testserver/static/img/social-default.png"
    assertContains(response, f'<meta property="og:image" content="{picture}">')
    assertContains(response, '<meta property="og:image:width" content="1200">')


def test_every_page_names_the_favicon(client):
    assertContains(client.get("/topics/"), 'rel="icon" href="/static/img/favicon.svg"')


@pytest.mark.parametrize("page", ["topic", "section"])
def test_listing_pages_never_skip_a_heading_level(client, page):
    story = ArticleFactory(published=True)
    story.topics.add(TopicFactory(slug="defense"))
    url = {"topic": "/topics/defense/", "section": story.section.get_absolute_url()}[page]
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", client.get(url).content.decode())]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def test_an_alias_address_redirects_to_the_topic(client):
    defense = TopicFactory(name="defense", slug="defense")
    TopicAlias.objects.create(topic=defense, name="defence")
    ArticleFactory(published=True).topics.add(defense)
    assertRedirects(
        client.get("/topics/defence/"), "/topics/defense/", status_code=301, target_status_code=200
    )
    assert client.get("/topics/no-such-thing/").status_code == 404


def test_a_merged_topics_old_address_leads_to_the_kept_topic(client):
    kept = TopicFactory(name="North Korea", slug="north-korea")
    merged = TopicFactory(name="DPRK affairs", slug="dprk")
    ArticleFactory(published=True).topics.add(merged)
    merged.merge_into(kept)
    response = client.get("/topics/dprk/")
    assert response.status_code == 301
    assert response["Location"] == "/topics/north-korea/"


def test_a_new_topic_named_like_an_alias_is_refused_with_the_canonical_name():
    defense = TopicFactory(name="defense")
    TopicAlias.objects.create(topic=defense, name="Defence")
    with pytest.raises(ValidationError) as error:
        Topic(name="defence", slug="defence").full_clean()
    assert "another name for the topic “defense”" in error.value.message_dict["name"][0]


def test_a_photo_whose_rights_expired_is_hidden_from_readers(client):
    story = ArticleFactory(published=True)
    placement = ArticlePhotoFactory(article=story, photo__caption="Rights run out soon")
    ends = timezone.now() + timedelta(days=2)
    Photo.objects.filter(pk=placement.photo_id).update(rights_expire_at=ends)
    assertContains(client.get(story.get_absolute_url()), "Rights run out soon")
    assert page_cache.next_due_timestamp() == pytest.approx(ends.timestamp())
    with time_machine.travel(ends):
        response = client.get(story.get_absolute_url())
        assertNotContains(response, "Rights run out soon")
        assert "social-default.png" in json_ld(response)["image"][0]["url"]


def test_the_desk_warns_of_rights_running_out_and_marks_expired_photos(editor_client):
    soon = ArticlePhotoFactory(photo__caption="Soon").photo
    soon.rights_expire_at = timezone.now() + timedelta(days=3)
    soon.save()
    gone = ArticlePhotoFactory(photo__caption="Gone").photo
    gone.rights_expire_at = timezone.now() - timedelta(days=1)
    gone.save()
    response = editor_client.get("/admin/articles/photo/")
    assertContains(response, "The rights of 1 photo run out within 7 days")
    assertContains(response, "Rights expire in")
    assertContains(response, "Rights expired: hidden from readers")
    expiring = editor_client.get("/admin/articles/photo/?rights=expiring")
    assert list(expiring.context["cl"].result_list) == [soon]
