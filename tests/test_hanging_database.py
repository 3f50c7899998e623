"""A database that accepts connections and never answers costs a request a few seconds and
ends in the 503 page, not a worker hung for half a minute and a bare 500.

The site runs in a fresh process with DATABASE_URL pointing at a socket this test opens,
which accepts every connection and never sends a byte.
"""

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

REQUEST = """
import json, time
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
started = time.monotonic()
response = client.get("/")
print(json.dumps({
    "status": response.status_code,
    "seconds": time.monotonic() - started,
    "retry_after": response.get("Retry-After"),
    "body": response.content.decode()[:2000],
}))
"""


@pytest.fixture
def silent_database():
    """A TCP port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_a_hanging_database_gives_the_503_page_within_five_seconds(silent_database):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent_database}/newsroom",
        "DJANGO_DEBUG": "off",
        "CACHE_URL": "",
    }
    try:
        finished = subprocess.run(
            [sys.executable, "-c", REQUEST],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the request was still waiting for the database after 30 s")
    assert finished.returncode == 0, finished.stderr[-2000:]
    answer = json.loads(finished.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503, answer
    assert answer["seconds"] < 5, answer
    assert answer["retry_after"]
    assert "Traceback" not in answer["body"]


def test_the_database_timeouts_are_settings(settings):
    from newsroom.settings import database_timeouts

    options = database_timeouts("postgresql", connect_seconds=3, statement_ms=5000)
    assert options == {"connect_timeout": 3, "options": "-c statement_timeout=5000"}
    assert database_timeouts("sqlite3", connect_seconds=3, statement_ms=5000) == {}
