"""Two app servers behind Varnish, sharing one database, Redis and bucket: nothing is local.

Started here, each on a free loopback port: moto (S3), two gunicorn servers (A and B) and
varnishd with deploy/varnish/default.vcl. The editor signs in on A and is signed in on B
(sessions live in the database); what A publishes, B renders; what B kills, A stops showing.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import ExitStack
from types import SimpleNamespace

import psycopg
import pytest
import redis

from tests.support.admin_forms import form_values
from tests.support.services import ROOT, free_port, running, s3_client, s3_env, varnish

JOURNEY_REDIS = "redis://127.0.0.1:6379/11"
PASSWORD = "a long journey password 42"
SEED = """
from django.contrib.auth import get_user_model
from tests.support.factories import ArticleFactory
get_user_model().objects.create_superuser("editor", "editor@example.com", {password!r})
from tests.support.factories import SectionFactory, TopicFactory
story = ArticleFactory(
    bylined=True, headline="Two servers, one newsroom", section=SectionFactory(name="Harbour")
)
topic = TopicFactory(name="Port strikes")
story.topics.add(topic)
print("STORY", story.pk, "SECTION", story.section.pk)
print("PAGES", story.section.get_absolute_url(), topic.get_absolute_url())
"""


def journey_database(workdir) -> str:
    """A fresh database both servers share: PostgreSQL when the suite runs on it, else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{workdir / 'newsroom.sqlite3'}"
    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/')}_journey"
    drop_database(url, name)
    with psycopg.connect(maintenance_url(url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def maintenance_url(server_url: str) -> str:
    """The server's `postgres` database: the one in DATABASE_URL may not exist (pytest makes
    test_<name>)."""
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(server_url)._replace(path="/postgres"))


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(maintenance_url(server_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def site(object_store, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("two-servers")
    bucket = f"journey-{uuid.uuid4().hex[:10]}"
    s3_client(object_store).create_bucket(Bucket=bucket)
    redis.Redis.from_url(JOURNEY_REDIS).flushdb()
    ports = [free_port(), free_port()]
    env = {
        **os.environ,
        **s3_env(object_store, bucket),
        "DATABASE_URL": journey_database(workdir),
        "CACHE_URL": JOURNEY_REDIS,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUNICORN_WORKERS": "1",
        "NEWSROOM_PURGE_BACKEND": "varnish",
        "NEWSROOM_PAGE_CACHE": "on",
    }
    manage(env, "migrate", "--noinput")
    seeded = manage(env, "shell", "-c", SEED.format(password=PASSWORD))
    story_id, section_id = map(int, re.search(r"STORY (\d+) SECTION (\d+)", seeded).groups())
    section_path, topic_path = re.search(r"PAGES (\S+) (\S+)", seeded).groups()
    with ExitStack() as stack:
        front = stack.enter_context(varnish(workdir, ports))
        servers = []
        for name, port in zip("ab", ports, strict=True):
            server_env = {
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "NEWSROOM_VARNISH_URLS": front,
            }
            command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "newsroom.wsgi"]
            url = f"http://127.0.0.1:{port}"
            stack.enter_context(
                running(command, f"{url}/healthz", env=server_env, log=workdir / f"{name}.log")
            )
            servers.append(url)
        yield SimpleNamespace(
            a=servers[0],
            b=servers[1],
            front=front,
            story_id=story_id,
            section_id=section_id,
            section_path=section_path,
            topic_path=topic_path,
            env=env,
            bucket=bucket,
        )
    redis.Redis.from_url(JOURNEY_REDIS).flushdb()
    if env["DATABASE_URL"].startswith("postgres"):
        drop_database(
            os.environ["DATABASE_URL"], urllib.parse.urlsplit(env["DATABASE_URL"]).path[1:]
        )


class Browser:
    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url):
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read().decode(errors="replace"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers

    def post(self, url, fields: dict):
        token = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(url, data=data.encode(), method="POST")
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode(errors="replace"), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), url

    def form(self, url, form_id):
        status, html, _ = self.get(url)
        assert status == 200, html[-2000:]
        return form_values(SimpleNamespace(content=html.encode()), form_id)


def wait_until(check, seconds: float) -> float:
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < seconds, f"not within {seconds} s"
        time.sleep(0.05)
    return time.monotonic() - start


def held(reader, url: str, text: str) -> bool:
    """Whether Varnish holds the page at `url` (a second request is a hit) and it shows `text`."""
    reader.get(url)
    status, page, headers = reader.get(url)
    return status == 200 and headers["X-Cache"] == "hit" and text in page


def test_an_editor_on_one_server_and_readers_on_another_see_one_newsroom(site):
    editor = Browser()
    editor.get(f"{site.a}/admin/login/")
    status, _, landed = editor.post(
        f"{site.a}/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD}
    )
    assert landed.endswith("/admin/"), "sign-in on A failed"
    # Signed in on B too: the session is in the shared database, not in A's memory.
    assert editor.get(f"{site.b}/admin/")[0] == 200

    reader = Browser()
    assert "Two servers, one newsroom" not in reader.get(f"{site.b}/")[1]

    change = f"{site.a}/admin/articles/article/{site.story_id}/change/"
    status, _, _ = editor.post(
        change, {**editor.form(change, "article_form"), "_transition": "publish"}
    )
    assert status == 200
    # B's cached front page knows at once (the page cache's generation is in the shared Redis).
    wait_until(lambda: "Two servers, one newsroom" in reader.get(f"{site.b}/")[1], 1.0)
    story_path = re.search(
        r'href="(/[^"]+)"[^>]*>\s*Two servers, one newsroom', reader.get(f"{site.b}/")[1]
    )[1]
    status, page, headers = reader.get(f"{site.front}{story_path}")
    assert status == 200
    assert "Two servers, one newsroom" in page
    assert reader.get(f"{site.front}{story_path}")[2]["X-Cache"] == "hit"

    # A rename in the library (the section's name is in every page's menu) reaches the pages
    # Varnish holds at once, not after their max-age.
    shown = [f"{site.front}/", f"{site.front}{story_path}"]
    assert all(held(reader, url, ">Harbour</a>") for url in shown)
    section = f"{site.a}/admin/articles/section/{site.section_id}/change/"
    fields = {**editor.form(section, "section_form"), "name": "Harbour and ports"}
    assert editor.post(section, fields)[2].endswith("/admin/articles/section/"), "rename refused"
    for url in shown:
        status, page, _ = reader.get(url)
        assert (status, ">Harbour and ports</a>" in page) == (200, True), url

    # A photo uploaded through A is in the bucket: B's desk shows it from there.
    add = f"{site.a}/admin/articles/photo/add/"
    editor.get(add)
    with open(ROOT / "static" / "img" / "logo.png", "rb") as picture:
        data = picture.read()
    boundary = uuid.uuid4().hex
    token = next(cookie.value for cookie in editor.cookies if cookie.name == "csrftoken")
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in {
            "csrfmiddlewaretoken": token,
            "caption": "Seen from both",
            "credit": "",
            "alt_text": "The logo",
            "usage_terms": "",
        }.items()
    )
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="logo.png"\r\n'
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        add, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    with editor.opener.open(request, timeout=60) as response:
        assert response.url.endswith("/admin/articles/photo/"), "upload through A refused"
    photo_list = editor.get(f"{site.b}/admin/articles/photo/")[1]
    image_url = re.search(r'<img src="([^"]+)"[^>]*class="nr-thumb"', photo_list)[1]
    image_url = image_url.replace("&amp;", "&")
    with urllib.request.urlopen(image_url, timeout=10) as picture:
        assert picture.headers["Content-Type"] == "image/png"

    # Placed in the story, its renditions (made by A's upload) show on both servers' pages.
    place = (
        "from articles.models import ArticlePhoto, Photo; "
        f"ArticlePhoto.objects.create(article_id={site.story_id}, photo=Photo.objects.get())"
    )
    manage(site.env, "shell", "-c", place)
    for server in (site.a, site.b):
        assert f"/{site.bucket}/renditions/photos/" in reader.get(f"{server}{story_path}")[1]

    # Varnish holds the story and every list showing it: the home page, its section, its topic.
    listings = [f"{site.front}{path}" for path in ("/", site.section_path, site.topic_path)]
    assert held(reader, f"{site.front}{story_path}", "Two servers, one newsroom")
    assert all(held(reader, url, "Two servers, one newsroom") for url in listings)

    # A kill through B: A stops showing the story at once, and so does the front page.
    kill = f"{site.b}/admin/articles/article/{site.story_id}/kill/"
    editor.get(kill)
    status, _, _ = editor.post(kill, {"kill_reason": "Legal: court order"})
    assert status == 200
    assert reader.get(f"{site.a}{story_path}")[0] in (404, 410)
    assert "Two servers, one newsroom" not in reader.get(f"{site.a}/")[1]
    # And Varnish: the kill left it before the editor saw the answer, not after a max-age.
    assert reader.get(f"{site.front}{story_path}")[0] in (404, 410)
    for url in listings:
        assert "Two servers, one newsroom" not in reader.get(url)[1], url
