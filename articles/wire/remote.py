"""Pictures a polled feed refers to by URL (ninjs renditions, NewsML-G2 remoteContent).

They are fetched the way partners' webhooks are called (`articles.api.webhooks`): http(s)
only, and only from an address that resolves to a public network (no loopback, private or
link-local address unless NEWSROOM_WIRE_PICTURES["ALLOWED_NETWORKS"] lists it), connected
to by the address that was checked, with a short timeout. A redirect is followed a few
times, each hop checked the same way. The answer must say it is a JPEG, PNG or WebP and
stay within the upload size limit; the bytes then take the same path as a picture found
beside a story file (`wire/pictures.py`: checked, re-encoded, metadata stripped).

The feed's credentials go only to the feed's own host.
"""

import http.client
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from articles.api.webhooks import (
    PinnedHTTPConnection,
    PinnedHTTPSConnection,
    RefusedAddress,
    public_address,
)
from articles.wire.sources import ReferenceRefused

PICTURE_TYPES = {"image/jpeg", "image/png", "image/webp"}
MAX_REDIRECTS = 3
# A whole download may take this many timeouts; reading goes a chunk at a time.
WHOLE_DOWNLOAD_TIMEOUTS = 3
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Newsroom wire desk"


class RemotePictures:
    """Reads the pictures one feed item refers to; `reader(href)` gives the bytes.

    `base` is the item's own address (relative hrefs resolve against it); `authorization`
    is the feed's Authorization header, sent only to the feed's host.
    """

    def __init__(self, base: str, authorization: str = ""):
        self.base = base
        self.authorization = authorization

    def __call__(self, href: str) -> bytes:
        return fetch_picture(urljoin(self.base, href), self._headers)

    def _headers(self, url: str) -> dict:
        headers = {"User-Agent": USER_AGENT, "Accept": ", ".join(sorted(PICTURE_TYPES))}
        if self.authorization and same_origin(url, self.base):
            headers["Authorization"] = self.authorization
        return headers


def same_origin(one: str, other: str) -> bool:
    a, b = urlsplit(one), urlsplit(other)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


def fetch_picture(url: str, headers_for) -> bytes:
    """The picture's bytes; ReferenceRefused for an address or answer we will not take,
    OSError for one that could not be reached."""
    limit = settings.NEWSROOM["UPLOAD_MAX_BYTES"]
    timeout = settings.NEWSROOM_WIRE_PICTURES["TIMEOUT_SECONDS"]
    allowed = settings.NEWSROOM_WIRE_PICTURES["ALLOWED_NETWORKS"]
    for _ in range(MAX_REDIRECTS + 1):
        try:
            scheme, host, port, ip = public_address(url, allowed)
        except RefusedAddress as error:
            raise ReferenceRefused(f"not fetched: {error}") from None
        except ValueError:  # a port out of range, a malformed host
            raise ReferenceRefused("not fetched: not a valid address") from None
        connection_class = PinnedHTTPSConnection if scheme == "https" else PinnedHTTPConnection
        connection = connection_class(host, ip, port=port, timeout=timeout)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("GET", path, headers=headers_for(url))
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            return read_picture(response, limit, timeout)
        except (http.client.HTTPException, ssl.SSLError) as error:
            raise OSError(f"the picture server answered badly ({error})") from None
        finally:
            connection.close()
    raise ReferenceRefused(f"not fetched: more than {MAX_REDIRECTS} redirects")


def read_picture(response: http.client.HTTPResponse, limit: int, timeout: float) -> bytes:
    if response.status != 200:
        raise OSError(f"the picture server answered {response.status} {response.reason}")
    kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    if kind not in PICTURE_TYPES:
        raise ReferenceRefused(f"not a picture (the server says {kind or 'nothing'})")
    length = response.getheader("Content-Length") or ""
    if length.isdigit() and int(length) > limit:
        raise ReferenceRefused(
            f"{filesizeformat(int(length))}, larger than {filesizeformat(limit)}, the limit "
            "for a picture"
        )
    # The timeout bounds each wait on the socket; this bounds the whole download, so a
    # server sending a byte at a time cannot hold the watcher.
    deadline = time.monotonic() + timeout * WHOLE_DOWNLOAD_TIMEOUTS
    data = bytearray()
    while chunk := response.read1(min(CHUNK_BYTES, limit + 1 - len(data))):
        data += chunk
        if len(data) > limit:
            raise ReferenceRefused(f"larger than {filesizeformat(limit)}, the limit for a picture")
        if time.monotonic() > deadline:
            raise OSError(f"the picture took longer than {timeout * WHOLE_DOWNLOAD_TIMEOUTS:g} s")
    return bytes(data)
