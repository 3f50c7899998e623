"""The wire desk page: incoming agency items, alerts first, one click to a draft."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Article, MediaTopicCode, Photo, Topic, WireItem, WireSource
from tests.support.wire import import_data, newsml_bytes

pytestmark = pytest.mark.django_db
WIRE_URL = reverse("admin:articles_wireitem_changelist")


def deliver(**kwargs):
    return import_data(newsml_bytes(**kwargs), name="item.xml")


def test_wire_desk_lists_items_newest_first_with_urgent_ones_highlighted(editor_client):
    deliver(guid="a", headline="Routine port figures", urgency=5)
    deliver(guid="b", headline="Earthquake off the coast", urgency=1)

    response = editor_client.get(WIRE_URL)

    assertContains(response, "Routine port figures")
    assertContains(response, '<strong class="wire-flash">Urgent 1 </strong>', html=False)
    assertContains(response, "Yonhap, Nov. 26, 19:12 KST")
    assertContains(response, "Open draft", count=2)
    assert response.content.index(b"Earthquake") < response.content.index(b"Routine")


def test_wire_desk_filters_by_urgency_state_and_agency(editor_client):
    deliver(guid="a", headline="Routine port figures", urgency=5)
    deliver(guid="b", headline="Earthquake off the coast", urgency=1)

    response = editor_client.get(WIRE_URL, {"urgency": "flash"})
    assertContains(response, "Earthquake off the coast")
    assertNotContains(response, "Routine port figures")
    assertNotContains(editor_client.get(WIRE_URL, {"state": "withdrawn"}), "Earthquake")
    Article.objects.filter(headline="Routine port figures").update(status="in_review")
    used = editor_client.get(WIRE_URL, {"state": "used"})
    assertContains(used, "Routine port figures")
    assertNotContains(used, "Earthquake off the coast")
    assertContains(editor_client.get(WIRE_URL, {"state": "new"}), "Earthquake off the coast")
    assertContains(editor_client.get(WIRE_URL, {"q": "port"}), "Routine port figures")


def test_reporters_do_not_read_the_wire_desk(client, reporter):
    client.force_login(reporter)
    assert client.get(WIRE_URL).status_code == 403


def test_one_click_makes_the_draft_again_for_an_item_whose_draft_was_deleted(editor_client):
    deliver()
    Article.objects.all().delete()
    item = WireItem.objects.get()
    assert item.article is None
    assertContains(editor_client.get(WIRE_URL), "Make draft")

    response = editor_client.post(reverse("admin:articles_wireitem_draft", args=[item.pk]))

    article = Article.objects.get()
    assertRedirects(response, reverse("admin:articles_article_change", args=[article.pk]))
    item.refresh_from_db()
    assert item.article == article
    # A second click opens the same draft.
    response = editor_client.post(reverse("admin:articles_wireitem_draft", args=[item.pk]))
    assertRedirects(response, reverse("admin:articles_article_change", args=[article.pk]))
    assert Article.objects.count() == 1


def test_draft_button_refuses_get(editor_client):
    deliver()
    item = WireItem.objects.get()
    response = editor_client.get(reverse("admin:articles_wireitem_draft", args=[item.pk]))
    assert response.status_code == 405


def test_editor_compares_and_applies_a_correction_to_a_published_story(editor_client, editor):
    deliver(body=("Two million passengers a year.",))
    article = Article.objects.get()
    Photo.objects.update(alt_text="A described picture")
    article.publish(by=None)
    deliver(version=2, body=("Three million passengers a year.",))
    item = WireItem.objects.get()

    page = editor_client.get(reverse("admin:articles_wireitem_change", args=[item.pk]))
    assertContains(page, "Yonhap sent a correction to a story you published")
    assertContains(page, "<del>Two </del>", html=False)
    assertContains(page, "<ins>Three </ins>", html=False)

    editor_client.post(reverse("admin:articles_wireitem_apply", args=[item.pk]))
    article.refresh_from_db()
    assert article.body == "<p>Three million passengers a year.</p>"
    assert article.updated_by == editor


def test_kill_for_a_published_story_alerts_the_desk_and_one_click_unpublishes_it(editor_client):
    deliver()
    article = Article.objects.get()
    Photo.objects.update(alt_text="A described picture")
    article.publish(by=None)
    deliver(version=2, status="canceled", body=())
    item = WireItem.objects.get()

    listing = editor_client.get(WIRE_URL)
    assertContains(listing, "Yonhap killed a story you published")
    page = editor_client.get(reverse("admin:articles_wireitem_change", args=[item.pk]))
    assertContains(page, "Unpublish the story")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED  # never by itself

    response = editor_client.post(reverse("admin:articles_wireitem_unpublish", args=[item.pk]))

    assertRedirects(response, WIRE_URL)
    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED
    item.refresh_from_db()
    assert (item.alert, item.urgent) == ("", False)


def test_topic_page_edits_the_iptc_code_and_shows_its_label(editor_client):
    topic = Topic.objects.create(name="Economy", slug="economy", iptc_code="medtop:04000000")
    page = editor_client.get(reverse("admin:articles_topic_change", args=[topic.pk]))
    assertContains(page, 'name="iptc_code"')
    assertContains(page, "economy, business and finance")


def test_unmapped_codes_are_listed_for_the_desk_with_a_way_to_make_a_topic(editor_client):
    MediaTopicCode.objects.create(code="medtop:20000585", label="maritime transport", seen=3)
    page = editor_client.get(reverse("admin:articles_mediatopiccode_changelist"))
    assertContains(page, "maritime transport")
    assertContains(page, "iptc_code=medtop%3A20000585")


def test_item_page_shows_the_pictures_that_could_not_be_placed(editor_client):
    deliver()
    item = WireItem.objects.get()
    WireItem.objects.filter(pk=item.pk).update(
        picture_problems="picture 'http://10.0.0.5/a.jpg' refused: not fetched"
    )
    response = editor_client.get(reverse("admin:articles_wireitem_change", args=[item.pk]))
    assertContains(response, "Pictures not placed")
    assertContains(response, "picture &#x27;http://10.0.0.5/a.jpg&#x27; refused: not fetched")


def test_a_source_is_set_up_with_the_format_its_agency_delivers(admin_client):
    add_url = reverse("admin:articles_wiresource_add")
    assertContains(admin_client.get(add_url), '<option value="nitf">NITF</option>', html=True)
    response = admin_client.post(
        add_url,
        {
            "name": "AFP feed",
            "kind": "feed",
            "url": "https://feeds.example.com/afp",
            "format": "newsml",
            "interval": 60,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content
    assert WireSource.objects.get().format == WireSource.Format.NEWSML
    changelist = admin_client.get(reverse("admin:articles_wiresource_changelist"))
    assertContains(changelist, "IPTC NewsML-G2")
