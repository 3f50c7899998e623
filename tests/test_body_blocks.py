"""Body blocks: stored as plain values, hostile input refused or dropped, rendered for readers
in fixed queries, embeds loading nothing from their provider until the reader asks."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from articles.blocks.stored import problems
from articles.sanitize import clean_html
from tests.support.admin_forms import form_values
from tests.support.factories import ArticleFactory, PhotoFactory

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def block(kind, **values):
    attrs = "".join(f' data-{k}="{v}"' for k, v in values.items())
    return f'<figure data-block="{kind}"{attrs}></figure>'


def every_block(photo, other_photo, related):
    return "".join(
        [
            "<p>Opening paragraph.</p>",
            block("photo", photo=photo.pk, caption="Crowds in Seoul"),
            block("gallery", photos=f"{photo.pk},{other_photo.pk}", caption="The day in pictures"),
            block("embed", url=YOUTUBE, caption="The minister speaks"),
            block("quote", text="We will not back down.", attribution="Kim Min-ji, minister"),
            block("factbox", title="Key facts", text="Signed in 2024\nCovers 90% of goods"),
            block("table", caption="Exports by year", rows="Year | Exports\n2023 | 10\n2024 | 12"),
            block("related", story=related.pk),
            "<p>Closing paragraph.</p>",
        ]
    )


def test_every_block_is_stored_as_written():
    html = "".join(
        [
            block("photo", photo=1, caption="A caption", credit="Yonhap", alt="Alt"),
            block("gallery", photos="1,2,3"),
            block("embed", provider="youtube", url=YOUTUBE),
            block("quote", text="Words", attribution="Someone"),
            block("factbox", title="Facts", text="One"),
            block("table", rows="a | b"),
            block("related", story=7),
        ]
    )
    assert clean_html(html) == html


@pytest.mark.parametrize(
    ("hostile", "reason"),
    [
        (block("embed", url="javascript:alert(1)"), "not from an allowed provider"),
        (block("embed", url="https://evil.example/watch?v=dQw4w9WgXcQ"), "allowed provider"),
        (block("embed", url="http://www.youtube.com/watch?v=dQw4w9WgXcQ"), "over https"),
        (block("photo", photo="1 or 1=1"), "is not a number"),
        (block("gallery", photos="1;2"), "separated by commas"),
        (block("quote", text="&lt;img src=x onerror=alert(1)&gt;"), "markup is not allowed"),
        (block("nonsense", text="x"), "Unknown block"),
        (block("related"), "story is missing"),
    ],
)
def test_hostile_blocks_are_refused_with_a_reason_and_never_stored(hostile, reason):
    assert any(reason in problem for problem in problems(hostile))
    stored = clean_html(f"<p>Text.</p>{hostile}")
    assert "javascript" not in stored
    assert "onerror" not in stored.replace("&lt;", "")
    assert "evil.example" not in stored
    assert "<img" not in stored


def test_markup_inside_a_block_and_stray_figures_are_dropped():
    stored = clean_html(
        '<figure data-block="embed" data-url="' + YOUTUBE + '" onclick="x()" style="x">'
        '<iframe src="https://evil.example/"></iframe><script>x()</script>text</figure>'
        "<figure><img src=x><figcaption>Pasted</figcaption></figure><p>Kept.</p>"
    )
    assert stored == (
        f'<figure data-block="embed" data-provider="youtube" data-url="{YOUTUBE}"></figure>'
        "<p>Kept.</p>"
    )


def test_the_desk_refuses_a_hostile_block_with_its_reason(editor_client):
    story = ArticleFactory(body="<p>Safe.</p>")
    url = f"/admin/articles/article/{story.pk}/change/"
    data = form_values(editor_client.get(url))
    data["body"] = [f"<p>Safe.</p>{block('embed', url='javascript:alert(1)')}"]
    response = editor_client.post(url, data)
    assertContains(response, "is not from an allowed provider")
    story.refresh_from_db()
    assert story.body == "<p>Safe.</p>"


@pytest.fixture
def story_with_every_block():
    photo = PhotoFactory(caption="Library caption")
    other = PhotoFactory()
    related = ArticleFactory(published=True, headline="The earlier story")
    story = ArticleFactory(published=True, dek="", body=every_block(photo, other, related))
    return story


def test_readers_see_every_block(client, story_with_every_block):
    response = client.get(story_with_every_block.get_absolute_url())
    html = response.content.decode()
    assertContains(response, "Crowds in Seoul")
    assert html.count("<picture>") >= 3  # the photo and the gallery's two
    assertContains(response, "The day in pictures")
    assertContains(response, "<blockquote><p>We will not back down.</p></blockquote>")
    assertContains(response, "<figcaption>Kim Min-ji, minister</figcaption>")
    assertContains(response, "<li>Covers 90% of goods</li>")
    assertContains(response, '<caption id="table-6">Exports by year</caption>')
    assertContains(response, '<th scope="col">Year</th><th scope="col">Exports</th>')
    assertContains(response, "<td>2024</td><td>12</td>")
    assertContains(response, "The earlier story")
    # The embed: a placeholder and a link; nothing from the provider until asked.
    assertContains(response, f'<a href="{YOUTUBE}" rel="noopener noreferrer nofollow">')
    assertContains(response, "Load the YouTube video")
    assert "<iframe" not in html
    assert "youtube-nocookie" not in html
    assert "youtube" not in response["Content-Security-Policy"]
    # The one script: same-site, loading the embed when asked.
    scripts = re.findall(r"<script(?![^>]*application/ld\+json)[^>]*>", html)
    assert scripts == ['<script src="/static/js/embeds.js" defer>']


def test_structured_data_reads_the_text_without_block_markup(client, story_with_every_block):
    html = client.get(story_with_every_block.get_absolute_url()).content.decode()
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(data)["description"] == "Opening paragraph. Closing paragraph."


def test_blocks_readers_may_not_see_are_left_out(client):
    hidden_story = ArticleFactory(headline="A draft story")
    awaiting = PhotoFactory(image="", caption="Awaiting its file")
    story = ArticleFactory(
        published=True,
        body=block("related", story=hidden_story.pk) + block("photo", photo=awaiting.pk),
    )
    response = client.get(story.get_absolute_url())
    assertNotContains(response, "A draft story")
    assertNotContains(response, "Awaiting its file")


def story_page_queries(client, story):
    # The first request also reads the section menu, which is then cached for every page.
    client.get(story.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(story.get_absolute_url()).status_code == 200
    return len(queries)


def test_story_page_queries_do_not_grow_with_blocks(client):
    photos = PhotoFactory.create_batch(2)
    related = ArticleFactory.create_batch(3, published=True)
    one = ArticleFactory(published=True, body=every_block(*photos, related[0]))
    three = ArticleFactory(
        published=True, body="".join(every_block(*photos, story) for story in related)
    )
    plain = ArticleFactory(published=True, body="<p>No blocks.</p>")
    assert story_page_queries(client, one) == story_page_queries(client, three)
    # Blocks cost the photos and the related stories with their bylines and photos.
    assert story_page_queries(client, one) <= story_page_queries(client, plain) + 4


def test_an_embed_loads_in_a_same_site_frame_that_alone_lets_the_provider_in(client):
    response = client.get("/embed/", {"url": YOUTUBE})
    assert response.status_code == 200
    assertContains(response, 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"')
    policy = response["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com" in policy
    assert "frame-ancestors 'self'" in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response["Cache-Control"]
    for url in ["javascript:alert(1)", "https://evil.example/", ""]:
        assert client.get("/embed/", {"url": url}).status_code == 404


def test_the_demo_has_a_story_with_every_block(client):
    from articles.demo.blocks import SLUG
    from articles.demo.newsroom import load_demo

    load_demo()
    story = ArticleFactory._meta.model.objects.get(slug=SLUG)
    kinds = re.findall(r'data-block="(\w+)"', story.body)
    assert sorted(kinds) == sorted(
        ["photo", "gallery", "embed", "quote", "factbox", "table", "related"]
    )
    assertContains(client.get(story.get_absolute_url()), "Load the YouTube video")
