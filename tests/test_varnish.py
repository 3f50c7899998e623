"""deploy/varnish/default.vcl, through a real varnishd in front of a recording backend."""

import http.client
import http.server
import threading
import time

import pytest

from articles.cache import pages
from tests.support.services import varnish


class Backend(http.server.BaseHTTPRequestHandler):
    """An app server stand-in: `routes` maps a path to its response headers; bodies count."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self.server.seen.append({"path": self.path, "cookie": self.headers.get("Cookie")})
        body = f"{self.path} render {len(self.server.seen)}".encode()
        headers = self.server.routes.get(self.path.split("?")[0], self.server.default)
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


PUBLIC = {"Cache-Control": "public, max-age=300, stale-while-revalidate=30"}


@pytest.fixture(scope="module")
def backend():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Backend)
    server.seen = []
    server.default = PUBLIC
    server.routes = {
        "/story-one/": {**PUBLIC, "xkey": "story-1 front-home"},
        "/story-two/": {**PUBLIC, "xkey": "story-2"},
        "/private/": {"Cache-Control": "private"},
        "/cookie/": {**PUBLIC, "Set-Cookie": "csrftoken=abc"},
        "/short/": {"Cache-Control": "public, max-age=1, stale-while-revalidate=30"},
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture(scope="module")
def front(backend, tmp_path_factory):
    with varnish(tmp_path_factory.mktemp("varnish"), [backend.server_address[1]]) as url:
        yield url


def request(url, path, method="GET", headers=None, source="127.0.0.1"):
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(source, 0))
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read().decode()
    connection.close()
    return response, body


def renders(backend, path) -> int:
    return sum(1 for seen in backend.seen if seen["path"] == path)


def test_an_anonymous_page_is_rendered_once_then_served_from_varnish(front, backend):
    first, body = request(front, "/cached/")
    second, again = request(front, "/cached/")
    assert (first.getheader("X-Cache"), second.getheader("X-Cache")) == ("miss", "hit")
    assert body == again
    assert renders(backend, "/cached/") == 1


def test_query_strings_keep_only_what_changes_the_page_sorted(front, backend):
    request(front, "/topic/x/?utm_source=mail&page=2&fbclid=abc&q=seoul")
    response, _ = request(front, "/topic/x/?q=seoul&qq=1&page=2&utm_medium=x")
    assert response.getheader("X-Cache") == "hit"
    assert renders(backend, "/topic/x/?page=2&q=seoul") == 1
    assert not [seen for seen in backend.seen if "utm" in seen["path"]]


def test_the_desk_and_staff_sessions_pass_and_readers_cookies_are_dropped(front, backend):
    for _ in range(2):
        request(front, "/admin/articles/")
        request(front, "/home-staff/", headers={"Cookie": "theme=dark; sessionid=abc"})
        request(front, "/home-reader/", headers={"Cookie": "theme=dark"})
    assert renders(backend, "/admin/articles/") == 2
    assert renders(backend, "/home-staff/") == 2
    assert renders(backend, "/home-reader/") == 1
    reader = next(seen for seen in backend.seen if seen["path"] == "/home-reader/")
    assert reader["cookie"] is None


def test_private_pages_and_pages_setting_cookies_are_never_kept(front, backend):
    for _ in range(2):
        request(front, "/private/")
        request(front, "/cookie/")
    assert renders(backend, "/private/") == 2
    assert renders(backend, "/cookie/") == 2


def test_a_purge_by_key_drops_exactly_the_pages_showing_it(front, backend):
    request(front, "/story-one/")
    request(front, "/story-two/")
    response, _ = request(front, "/", method="PURGE", headers={"xkey-purge": "story-1"})
    assert response.status == 200
    assert request(front, "/story-one/")[0].getheader("X-Cache") == "miss"
    assert request(front, "/story-two/")[0].getheader("X-Cache") == "hit"
    assert "xkey" not in {name.lower() for name, _ in request(front, "/story-two/")[0].getheaders()}


def test_purges_from_other_addresses_are_refused(front, backend):
    request(front, "/story-two/")
    response, _ = request(
        front, "/", method="PURGE", headers={"xkey-purge": "story-2"}, source="127.0.0.2"
    )
    assert response.status == 403
    assert request(front, "/story-two/")[0].getheader("X-Cache") == "hit"


def test_an_expired_page_is_served_stale_while_one_request_refreshes_it(front, backend):
    _, first = request(front, "/short/")
    time.sleep(1.5)
    response, stale = request(front, "/short/")
    assert stale == first  # no reader waited for the render
    # The refresh happens behind the reader's back; Varnish stores its result a moment after
    # the backend answers, so wait for the new copy rather than for the backend alone.
    deadline = time.monotonic() + 5
    body = stale
    while body == first and time.monotonic() < deadline:
        time.sleep(0.05)
        body = request(front, "/short/")[1]
    assert body != first
    assert renders(backend, "/short/") == 2  # one refresh, however many readers asked


@pytest.mark.django_db
@pytest.mark.parametrize("hard", [True, False], ids=["removal", "rename"])
def test_a_site_wide_change_purges_every_page_once_committed(
    front, backend, settings, django_capture_on_commit_callbacks, hard
):
    """A rename or removal in the library moves the page cache's site-wide generation
    (`pages.bump()`); Varnish holds the same pages, tagged with the story's keys or none."""
    settings.NEWSROOM_PURGE = {"BACKEND": "varnish", "VARNISH_URLS": [front]}
    shown = ["/story-one/", "/story-two/", "/untagged/"]
    for path in shown:
        request(front, path)
    with django_capture_on_commit_callbacks(execute=True):
        pages.bump(hard=hard)
        # Not before the change is committed: a refetch would render the old names again.
        assert [request(front, path)[0].getheader("X-Cache") for path in shown] == ["hit"] * 3
    assert [request(front, path)[0].getheader("X-Cache") for path in shown] == ["miss"] * 3
