"""watch_wire: drop folders and HTTP feeds, processed once, resumed without duplicates."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from articles.models import Article, WireItem, WireSource
from articles.wire import watch
from tests.support.wire import FIXTURES, newsml_bytes

pytestmark = pytest.mark.django_db


def folder_source(path) -> WireSource:
    return WireSource.objects.create(name="Yonhap FTP", kind="folder", folder=str(path))


def drop(folder, count):
    for n in range(count):
        (folder / f"item-{n}.xml").write_bytes(
            newsml_bytes(guid=f"urn:test:{n}", headline=f"Story number {n}")
        )


def test_drop_folder_files_are_imported_once_and_moved_to_done_or_failed(tmp_path):
    drop(tmp_path, 2)
    (tmp_path / "broken.xml").write_bytes(
        (FIXTURES / "hostile" / "billion-laughs.xml").read_bytes()
    )
    (tmp_path / "notes.doc").write_bytes(b"not for us")

    results = watch.run_source(folder_source(tmp_path), settle=0)

    assert len(results) == 3
    assert Article.objects.count() == 2
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["item-0.xml", "item-1.xml"]
    reason = (tmp_path / "failed" / "broken.xml.reason.txt").read_text()
    assert "refused: the file declares XML entities" in reason
    assert (tmp_path / "notes.doc").exists()  # not a wire file: left where it is


def test_restart_mid_batch_resumes_without_duplicates(tmp_path, monkeypatch):
    drop(tmp_path, 5)
    moved = []
    real_file_away = watch.file_away

    def crash_after_two(path, results):
        if len(moved) == 2:
            raise KeyboardInterrupt  # the process is killed after storing the third story
        moved.append(path)
        return real_file_away(path, results)

    monkeypatch.setattr(watch, "file_away", crash_after_two)
    source = folder_source(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        watch.run_source(source, settle=0)
    assert Article.objects.count() == 3  # the third was stored, not yet moved

    monkeypatch.setattr(watch, "file_away", real_file_away)
    results = watch.run_source(source, settle=0)

    assert [r.outcome for r in results] == ["unchanged", "imported", "imported"]
    assert Article.objects.count() == WireItem.objects.count() == 5
    assert len(list((tmp_path / "done").iterdir())) == 5
    assert not list(tmp_path.glob("*.xml"))


def test_file_still_being_uploaded_waits_for_the_next_round(tmp_path):
    drop(tmp_path, 1)
    assert watch.run_source(folder_source(tmp_path), settle=3600) == []
    assert (tmp_path / "item-0.xml").exists()


def test_missing_folder_backs_off_and_shows_its_state(tmp_path):
    source = folder_source(tmp_path / "gone")
    watch.run_source(source)
    source.refresh_from_db()
    assert source.failures == 1
    assert source.health.startswith("failing (1x): no folder")
    assert (source.next_poll_at - source.last_polled_at).total_seconds() == 120


class Feed(BaseHTTPRequestHandler):
    body = b""
    etag = '"v1"'
    seen: list = []

    def do_GET(self):
        type(self).seen.append((self.path, dict(self.headers)))
        if self.headers.get("If-None-Match") == self.etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", self.etag)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Feed.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feed_is_polled_with_etag_and_credentials_from_the_environment(feed_server, monkeypatch):
    monkeypatch.setenv("YONHAP_FEED_CREDENTIALS", "desk:secret")
    Feed.body = (FIXTURES / "formats" / "harbor-ninjs.json").read_bytes()
    source = WireSource.objects.create(
        name="Yonhap API",
        kind="feed",
        url=f"{feed_server}/items",
        credentials_setting="YONHAP_FEED_CREDENTIALS",
    )

    call_command("watch_wire", "--once", verbosity=0)
    source.refresh_from_db()
    source.next_poll_at = None
    source.save()
    call_command("watch_wire", "--once", verbosity=0)

    assert Article.objects.count() == 1
    first, second = Feed.seen
    assert first[1]["Authorization"] == "Basic ZGVzazpzZWNyZXQ="
    assert "If-None-Match" not in first[1]
    assert second[1]["If-None-Match"] == '"v1"'
    source.refresh_from_db()
    assert (source.etag, source.failures) == ('"v1"', 0)


# Each source delivers one declared format -------------------------------------------------


def test_file_in_another_format_than_the_source_declares_is_refused_with_the_reason(tmp_path):
    source = WireSource.objects.create(
        name="Yonhap FTP", kind="folder", folder=str(tmp_path), format="newsml"
    )
    drop(tmp_path, 1)
    (tmp_path / "harbor.json").write_bytes(
        (FIXTURES / "formats" / "harbor-ninjs.json").read_bytes()
    )
    (tmp_path / "harbor-nitf.xml").write_bytes(
        (FIXTURES / "formats" / "harbor-nitf.xml").read_bytes()
    )

    results = watch.run_source(source, settle=0)

    assert [r.outcome for r in results] == ["failed", "failed", "imported"]
    assert Article.objects.count() == 1
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["item-0.xml"]
    assert (tmp_path / "failed" / "harbor.json.reason.txt").read_text() == (
        f"{tmp_path / 'harbor.json'}: this source delivers NewsML-G2, "
        "but the file is ninjs (JSON); refused\n"
    )
    assert (
        "delivers NewsML-G2, but the file is NITF; refused"
        in (tmp_path / "failed" / "harbor-nitf.xml.reason.txt").read_text()
    )


def test_a_refused_file_is_refused_again_even_when_an_earlier_delivery_matched(tmp_path):
    """The digest of a file imported before never lets a file past its source's format."""
    data = (FIXTURES / "formats" / "harbor-ninjs.json").read_bytes()
    (tmp_path / "first.json").write_bytes(data)
    watch.run_source(folder_source(tmp_path), settle=0)  # detects the format: imported
    source = WireSource.objects.create(
        name="Strict", kind="folder", folder=str(tmp_path), format="plain"
    )
    (tmp_path / "again.json").write_bytes(data)

    [result] = watch.run_source(source, settle=0)

    assert result.outcome == "failed"
    assert "this source delivers plain text, but the file is ninjs (JSON)" in result.message


@pytest.mark.parametrize(
    ("declared", "fixture"),
    [
        ("auto", "harbor-nitf.xml"),
        ("newsml", "harbor-newsml.xml"),
        ("nitf", "harbor-nitf.xml"),
        ("ninjs", "harbor-ninjs3.json"),
        ("plain", "harbor.txt"),
    ],
)
def test_file_in_the_declared_format_is_imported(tmp_path, declared, fixture):
    source = WireSource.objects.create(
        name="Agency", kind="folder", folder=str(tmp_path), format=declared
    )
    (tmp_path / fixture).write_bytes((FIXTURES / "formats" / fixture).read_bytes())
    [result] = watch.run_source(source, settle=0)
    assert result.outcome == "imported", result.message


def test_feed_declared_as_newsml_refuses_a_ninjs_body(feed_server):
    Feed.body = (FIXTURES / "formats" / "harbor-ninjs.json").read_bytes()
    source = WireSource.objects.create(
        name="Yonhap API", kind="feed", url=f"{feed_server}/items", format="newsml"
    )
    [result] = watch.run_source(source)
    assert result.outcome == "failed"
    assert result.message == "this source delivers NewsML-G2, but the file is ninjs (JSON); refused"
    assert not Article.objects.exists()
