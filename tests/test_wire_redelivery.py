"""Re-delivered files: settled from what was stored, without reading them again."""

import pytest

from articles.models import Article, WireItem
from articles.wire import importer as importer_module
from articles.wire import versions
from articles.wire.importer import Outcome, WireImporter
from tests.support.factories import UserFactory
from tests.support.wire import newsml_bytes, story_bytes

pytestmark = pytest.mark.django_db


def deliver(files):
    return list(WireImporter().import_all((name, lambda data=data: data) for name, data in files))


def batch(count: int, **kwargs):
    return [
        (f"item-{n}.xml", newsml_bytes(guid=f"urn:test:{n}", headline=f"Story {n}", **kwargs))
        for n in range(count)
    ]


def forbid_parsing(monkeypatch):
    def parse_file(*args):
        raise AssertionError("a re-delivered file was parsed")

    monkeypatch.setattr(importer_module, "parse_file", parse_file)


def test_same_files_again_are_unchanged_without_being_parsed(monkeypatch):
    first = deliver(batch(3))
    forbid_parsing(monkeypatch)

    again = deliver(batch(3))

    assert [r.outcome for r in again] == ["unchanged"] * 3
    assert [(r.name, r.article_id, r.headline) for r in again] == [
        (r.name, r.article_id, r.headline) for r in first
    ]
    assert Article.objects.count() == WireItem.objects.count() == 3


def test_a_whole_re_delivered_chunk_costs_one_query(django_assert_num_queries):
    deliver(batch(20) + [("plain.txt", story_bytes())])
    with django_assert_num_queries(1):
        results = deliver(batch(20) + [("plain.txt", story_bytes())])
    assert {r.outcome for r in results} == {Outcome.UNCHANGED}


def test_a_changed_file_is_read_and_updates_the_draft():
    deliver([("item.xml", newsml_bytes(body=("First take.",)))])
    [result] = deliver([("item.xml", newsml_bytes(version=2, body=("Second take.",)))])
    assert result.outcome == Outcome.UPDATED
    assert Article.objects.get().body == "<p>Second take.</p>"
    # The draft now follows the second file: that one is the unchanged one.
    [again] = deliver([("item.xml", newsml_bytes(version=2, body=("Second take.",)))])
    assert again.outcome == Outcome.UNCHANGED


def test_the_file_an_applied_update_replaced_is_read_again_and_reported_as_older():
    deliver([("item.xml", newsml_bytes(body=("First take.",)))])
    article = Article.objects.get()
    editor = UserFactory(is_superuser=True, is_staff=True)
    Article.objects.filter(pk=article.pk).update(updated_by=editor)
    deliver([("item.xml", newsml_bytes(version=2, body=("Second take.",)))])
    versions.apply_pending(WireItem.objects.get(), by=editor)

    [result] = deliver([("item.xml", newsml_bytes(body=("First take.",)))])

    assert result.outcome == Outcome.SKIPPED
    assert "version 1 arrived after version 2" in result.message


def test_a_deleted_draft_is_not_settled_from_its_old_file():
    deliver(batch(1))
    Article.objects.all().delete()
    [result] = deliver(batch(1))
    assert result.outcome == Outcome.IMPORTED
    assert Article.objects.get().pk == result.article_id


def test_stories_of_a_multi_story_file_are_read_each_time(monkeypatch):
    message = (
        b'<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
        + newsml_bytes(guid="urn:a", headline="One").split(b"?>", 1)[1]
        + newsml_bytes(guid="urn:b", headline="Two").split(b"?>", 1)[1]
        + b"</itemSet></newsMessage>"
    )
    deliver([("message.xml", message)])
    assert WireItem.objects.filter(delivery_hash="").count() == 2
    results = deliver([("message.xml", message)])
    assert [r.outcome for r in results] == ["unchanged", "unchanged"]


def test_a_large_file_is_read_each_time_rather_than_held_for_the_look_up():
    body = tuple(f"Paragraph {n} " + "words " * 500 for n in range(100))  # about 300 KB
    data = newsml_bytes(body=body)
    assert len(data) > importer_module.DIGESTED_BYTES
    deliver([("long.xml", data)])
    assert WireItem.objects.get().delivery_hash == ""
    assert [r.outcome for r in deliver([("long.xml", data)])] == ["unchanged"]
