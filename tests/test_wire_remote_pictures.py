"""Pictures a polled feed refers to by URL: fetched safely, placed like a file's pictures."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from articles.models import Article, WireItem, WireSource
from articles.wire import watch
from articles.wire.remote import RemotePictures
from tests.support.pictures import phone_jpeg
from tests.support.wire import FIXTURES

pytestmark = pytest.mark.django_db
NINJS = json.loads((FIXTURES / "formats" / "harbor-ninjs.json").read_text())


class Agency(BaseHTTPRequestHandler):
    """The agency's server: the feed at /items, its pictures beside it."""

    routes: dict = {}
    seen: list = []

    def do_GET(self):
        type(self).seen.append((self.path, dict(self.headers)))
        status, headers, body = self.routes.get(self.path, (404, {}, b"no such thing"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def agency():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Agency)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Agency.seen = []
    Agency.routes = {}
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_allowed(settings):
    settings.NEWSROOM_WIRE_PICTURES = {"TIMEOUT_SECONDS": 2, "ALLOWED_NETWORKS": ["127.0.0.1/32"]}


def serve_item(href="harbor.jpg", picture=None, content_type="image/jpeg"):
    item = json.loads(json.dumps(NINJS))
    item["associations"][0]["renditions"][0]["href"] = href
    Agency.routes["/items"] = (200, {"Content-Type": "application/json"}, json.dumps(item).encode())
    if picture is not None:
        Agency.routes["/harbor.jpg"] = (200, {"Content-Type": content_type}, picture)


def poll(agency_url, **fields) -> list:
    source = WireSource.objects.create(name="Yonhap API", kind="feed", url=f"{agency_url}/items")
    for name, value in fields.items():
        setattr(source, name, value)
    source.save()
    return watch.run_source(source)


def lead_photo():
    return Article.objects.get().photo_placements.select_related("photo").get().photo


def test_feed_picture_is_fetched_and_placed_re_encoded_without_metadata(agency, loopback_allowed):
    serve_item(picture=phone_jpeg())

    [result] = poll(agency)

    assert result.outcome == "imported", result.message
    photo = lead_photo()
    assert photo.caption.startswith("Passengers board the first ferry")
    assert not photo.awaiting_image
    with photo.image.open("rb") as file, Image.open(file) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert "comment" not in stored.info
        assert stored.size == (40, 80)  # turned upright from its EXIF orientation
    assert WireItem.objects.get().picture_problems == ""


def test_newsml_remote_content_from_a_feed_is_fetched(agency, loopback_allowed):
    Agency.routes["/items"] = (
        200,
        {"Content-Type": "application/xml"},
        (FIXTURES / "formats" / "harbor-newsml.xml").read_bytes(),
    )
    Agency.routes["/harbor.jpg"] = (200, {"Content-Type": "image/jpeg"}, phone_jpeg())

    [result] = poll(agency)

    assert result.outcome == "imported", result.message
    assert not lead_photo().awaiting_image


def test_feed_credentials_go_to_the_feeds_host_with_the_picture_request(
    agency, loopback_allowed, monkeypatch
):
    monkeypatch.setenv("YONHAP_FEED", "Bearer s3cret")
    serve_item(picture=phone_jpeg())
    poll(agency, credentials_setting="YONHAP_FEED")
    picture_request = dict(Agency.seen)["/harbor.jpg"]
    assert picture_request["Authorization"] == "Bearer s3cret"


def test_picture_on_a_loopback_address_is_refused_and_the_story_kept(agency):
    serve_item(picture=phone_jpeg())

    [result] = poll(agency)

    assert result.outcome == "imported"
    assert "resolves to 127.0.0.1, not a public address" in result.message
    assert "/harbor.jpg" not in dict(Agency.seen)  # never asked for
    assert lead_photo().awaiting_image  # caption kept, waiting for the photo desk
    assert "not a public address" in WireItem.objects.get().picture_problems


@pytest.mark.parametrize(
    ("href", "reason"),
    [
        ("file:///etc/passwd", "only http:// and https:// addresses are called"),
        ("http://user:pw@example.com/a.jpg", "addresses with credentials are not called"),
        ("http://169.254.169.254/latest/meta-data", "not a public address"),
        ("http://10.1.2.3/a.jpg", "not a public address"),
        ("http://example.com:99999/a.jpg", "not a valid address"),
    ],
)
def test_picture_addresses_outside_the_public_web_are_never_fetched(
    agency, loopback_allowed, href, reason
):
    serve_item(href=href)
    [result] = poll(agency)
    assert result.outcome == "imported"
    assert reason in WireItem.objects.get().picture_problems


def test_redirect_to_a_private_address_is_refused(agency, loopback_allowed):
    serve_item()
    Agency.routes["/harbor.jpg"] = (302, {"Location": "http://127.0.0.2/inside.jpg"}, b"")
    [result] = poll(agency)
    assert "resolves to 127.0.0.2, not a public address" in result.message


def test_redirect_within_the_public_web_is_followed(agency, loopback_allowed):
    serve_item()
    Agency.routes["/harbor.jpg"] = (302, {"Location": "/renditions/harbor.jpg"}, b"")
    Agency.routes["/renditions/harbor.jpg"] = (200, {"Content-Type": "image/jpeg"}, phone_jpeg())
    poll(agency)
    assert not lead_photo().awaiting_image


def test_answer_that_is_not_a_picture_is_refused(agency, loopback_allowed):
    serve_item(picture=b"<html>login</html>", content_type="text/html")
    [result] = poll(agency)
    assert result.outcome == "imported"
    assert "refused: not a picture (the server says text/html)" in result.message
    assert lead_photo().awaiting_image


def test_picture_claiming_a_type_it_is_not_is_refused_by_the_upload_checks(
    agency, loopback_allowed
):
    serve_item(picture=b"<svg onload='alert(1)'></svg>")
    [result] = poll(agency)
    assert "picture harbor.jpg refused: This file contains web page or script code" in (
        result.message
    )
    assert lead_photo().awaiting_image


def test_picture_larger_than_the_upload_limit_is_refused(agency, loopback_allowed, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "UPLOAD_MAX_BYTES": 1000}
    serve_item(picture=phone_jpeg() + b"\0" * 2000)
    [result] = poll(agency)
    assert "larger than 1000\u00a0bytes, the limit for a picture" in result.message
    assert lead_photo().awaiting_image


def test_missing_picture_is_reported_on_the_wire_item(agency, loopback_allowed):
    serve_item()  # nothing at /harbor.jpg
    [result] = poll(agency)
    assert result.outcome == "imported"
    problems = WireItem.objects.get().picture_problems
    assert "missing (the picture server answered 404 Not Found)" in problems


def test_picture_server_that_does_not_answer_in_time_is_given_up(settings):
    """A server that accepts the connection and says nothing: the timeout ends the wait."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    settings.NEWSROOM_WIRE_PICTURES = {
        "TIMEOUT_SECONDS": 0.2,
        "ALLOWED_NETWORKS": ["127.0.0.1/32"],
    }
    reader = RemotePictures(f"http://127.0.0.1:{silent.getsockname()[1]}/items")
    with pytest.raises(OSError, match="timed out"):
        reader("harbor.jpg")
    silent.close()


def test_picture_larger_than_its_announced_length_is_cut_off_at_the_limit(settings):
    """A server that announces no length: reading stops one chunk past the limit."""
    settings.NEWSROOM = {**settings.NEWSROOM, "UPLOAD_MAX_BYTES": 100_000}
    settings.NEWSROOM_WIRE_PICTURES = {"TIMEOUT_SECONDS": 2, "ALLOWED_NETWORKS": ["127.0.0.1/32"]}
    endless = socket.socket()
    endless.bind(("127.0.0.1", 0))
    endless.listen()

    def serve():
        connection, _ = endless.accept()
        connection.recv(4096)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n")
        try:
            while True:
                connection.sendall(b"\xff" * 65536)
        except OSError:
            connection.close()

    threading.Thread(target=serve, daemon=True).start()
    reader = RemotePictures(f"http://127.0.0.1:{endless.getsockname()[1]}/items")
    with pytest.raises(OSError, match="larger than 97.7\u00a0KB, the limit for a picture"):
        reader("harbor.jpg")
    endless.close()
