"""The demo newsroom: idempotent, with logins in the role groups and a first revision."""

import json

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains
from reversion.models import Version

from articles.demo.newsroom import DEMO_FILE, PHOTO_SIZE, ensure_demo_users, load_demo
from articles.models import Article, Contributor, Photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_demo():
    """The first draft and the first published story of the demo, without their photos."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    stories = [
        next(a for a in data["articles"] if a["status"] == s) for s in ("published", "draft")
    ]
    data["articles"] = [{**story, "photo": None} for story in stories]
    return data


def test_demo_loads_once_and_each_story_starts_its_history(small_demo):
    assert load_demo(small_demo)["articles"] == 2
    assert load_demo(small_demo)["articles"] == 0
    for article in Article.objects.all():
        version = Version.objects.get_for_object(article).get()
        assert version.revision.comment == "Loaded with the demo newsroom."


def test_demo_photos_know_their_size_so_pages_and_feeds_show_them(client):
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    story = next(a for a in data["articles"] if a["status"] == "published" and a["photo"])
    load_demo({**data, "articles": [story]})
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == PHOTO_SIZE
    article = Article.objects.get()
    assertContains(client.get(article.get_absolute_url()), f'alt="{photo.alt_text}"')
    assertContains(client.get("/feed/"), "<media:content")


def test_demo_logins_join_the_role_groups_and_the_reporter_owns_their_byline(small_demo):
    load_demo(small_demo)
    logins = {role: (username, password) for role, username, password in ensure_demo_users()}
    assert set(logins) == {"Editor", "Reporter"}
    again = {role: password for role, _, password in ensure_demo_users()}
    assert again["Editor"] != logins["Editor"][1]  # a fresh password each run

    reporter = Contributor.objects.get(slug="park-jun-ho").user
    assert reporter.username == "reporter"
    assert reporter.groups.get().name == "Reporter"
    draft = Article.objects.get(status="draft")
    assert draft.editable_by(reporter)
    assert not draft.may("publish", reporter)


def test_load_demo_command_prints_the_editor_login(monkeypatch, small_demo, capsys, tmp_path):
    demo_file = tmp_path / "demo.json"
    demo_file.write_text(json.dumps(small_demo), encoding="utf-8")
    monkeypatch.setattr("articles.demo.newsroom.DEMO_FILE", demo_file)
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Username: editor" in out
    assert "Username: reporter" in out
    assert "http://127.0.0.1:8000/admin/" in out


def test_load_demo_prints_the_admin_address_on_the_port_make_run_serves(
    monkeypatch, small_demo, capsys, tmp_path
):
    demo_file = tmp_path / "demo.json"
    demo_file.write_text(json.dumps(small_demo), encoding="utf-8")
    monkeypatch.setattr("articles.demo.newsroom.DEMO_FILE", demo_file)
    monkeypatch.setenv("NEWSROOM_PORT", "8031")
    call_command("load_demo")
    assert "http://127.0.0.1:8031/admin/" in capsys.readouterr().out
