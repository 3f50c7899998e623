"""Real servers on loopback for the tests that need them: an S3 store, an HTTP recorder, Varnish.

Each is started by the test setup itself, on a free port, and stopped afterwards: nothing has
to be running before `make test`. A missing program is a failure with the command that
installs it, never a skip.
"""

import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "newsroom-test", "AWS_SECRET_ACCESS_KEY": "newsroom-test"}
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen | None = None, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"Nothing answered at {url} within {seconds} s")


def require_program(name: str) -> str:
    path = shutil.which(name) or (
        f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None
    )
    if path is None:
        pytest.fail(
            f"{name} is not installed: run scripts/install-scale-tools (as root) first.",
            pytrace=False,
        )
    return path


@contextmanager
def running(args: list[str], url: str, env: dict | None = None, log: Path | None = None):
    output = open(log, "wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(args, stdout=output, stderr=subprocess.STDOUT, env=env)
    try:
        try:
            wait_for(url, process)
        except RuntimeError as error:
            said = log.read_text(errors="replace")[-3000:] if log else ""
            pytest.fail(f"{error}\n{said}", pytrace=False)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            output.close()


@pytest.fixture(scope="session")
def object_store():
    """moto's standalone S3 server on a free loopback port, for the whole test session."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with running(server, f"{url}/moto-api/"):
        yield url


def s3_env(endpoint: str, bucket: str) -> dict[str, str]:
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_S3_ADDRESSING_STYLE": "path",
        **S3_CREDENTIALS,
    }


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture
def s3_media(object_store, settings, monkeypatch):
    """Media in a fresh bucket on the loopback S3 server, configured as production is."""
    from django.core.cache import caches

    from newsroom.storage import s3_storages

    bucket = f"newsroom-{uuid.uuid4().hex[:12]}"
    client = s3_client(object_store)
    client.create_bucket(Bucket=bucket)
    env = s3_env(object_store, bucket)
    for name, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, **s3_storages(env)}
    caches["renditions"].clear()  # what this process knows exists was in another store
    yield client, bucket
    caches["renditions"].clear()


def bucket_keys(client, bucket: str) -> set[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers 200 (or `status`) to anything, remembering method, path, headers and body."""

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append(
            {
                "method": self.command,
                "path": self.path,
                "headers": {name.lower(): value for name, value in self.headers.items()},
                "body": body,
            }
        )
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = do_PURGE = do_DELETE = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    """A recording HTTP stub on loopback: `.url`, `.requests`, and `.status` to answer with."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.requests = []
    server.status = 200
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def backends_vcl(ports: list[int], purgers: tuple[str, ...] = ("127.0.0.1",)) -> str:
    """A backends.vcl for app servers on loopback (deploy/varnish/backends.vcl is the example)."""
    backends = "".join(
        f'backend app_{n} {{ .host = "127.0.0.1"; .port = "{port}"; }}\n'
        for n, port in enumerate(ports)
    )
    acl = "".join(f'    "{address}";\n' for address in purgers)
    adds = "".join(f"    app.add_backend(app_{n});\n" for n in range(len(ports)))
    return (
        f"{backends}\nacl purgers {{\n{acl}}}\n\n"
        f"sub vcl_init {{\n    new app = directors.round_robin();\n{adds}}}\n"
    )


@contextmanager
def varnish(workdir: Path, ports: list[int], purgers: tuple[str, ...] = ("127.0.0.1",)):
    """varnishd with the repository's default.vcl in front of app servers on `ports`."""
    varnishd = require_program("varnishd")
    vcl_dir = workdir / "vcl"
    vcl_dir.mkdir(parents=True, exist_ok=True)
    (vcl_dir / "backends.vcl").write_text(backends_vcl(ports, purgers))
    port = free_port()
    args = [
        varnishd,
        "-F",
        "-j",
        "none",
        "-n",
        str(workdir / "state"),
        "-a",
        f"127.0.0.1:{port}",
        "-T",
        "127.0.0.1:0",
        "-f",
        str(ROOT / "deploy" / "varnish" / "default.vcl"),
        "-p",
        f"vcl_path={vcl_dir}:{ROOT / 'deploy' / 'varnish'}:/usr/share/varnish/vcl",
        "-s",
        "malloc,64m",
    ]
    url = f"http://127.0.0.1:{port}"
    with running(args, f"{url}/healthz", log=workdir / "varnishd.log"):
        yield url
