"""The read-replica router, against a second database playing the replica.

The replica here is migrated but empty (no replication in tests): whatever a page shows
tells which database it read.
"""

import copy

import psycopg
import pytest
from django.core.management import call_command
from django.db import connections
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from newsroom import db_router
from tests.support.factories import ArticleFactory


@pytest.fixture
def replica(settings, tmp_path, django_db_blocker):
    primary = connections.settings["default"]
    config = copy.deepcopy(primary)
    if primary["ENGINE"].endswith("sqlite3"):
        config["NAME"] = str(tmp_path / "replica.sqlite3")
    else:
        config["NAME"] = f"{connections['default'].settings_dict['NAME']}_replica"
        _recreate_postgres(config)
    connections.settings["replica"] = config
    with django_db_blocker.unblock():
        # As replication would have it: the primary's tables, before the router says so.
        call_command("migrate", database="replica", verbosity=0)
    settings.DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"]
    settings.MIDDLEWARE = ["newsroom.db_router.ReplicaMiddleware", *settings.MIDDLEWARE]
    yield
    connections["replica"].close()
    del connections.settings["replica"]
    if hasattr(connections._connections, "replica"):
        delattr(connections._connections, "replica")
    if not primary["ENGINE"].endswith("sqlite3"):
        _recreate_postgres(config, create=False)


def _recreate_postgres(config, create=True):
    params = {"host": config["HOST"], "port": config["PORT"] or 5432, "user": config["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        if create:
            connection.execute(f'CREATE DATABASE "{config["NAME"]}"')


@pytest.mark.django_db(transaction=True)
def test_readers_read_the_replica_and_the_desk_reads_the_primary(replica, client, admin_client):
    story = ArticleFactory(published=True, headline="Only on the primary so far")
    assert client.get(story.get_absolute_url()).status_code == 404
    assertNotContains(client.get("/"), "Only on the primary so far")

    desk = admin_client.get(f"/admin/articles/article/{story.pk}/change/")
    assertContains(desk, "Only on the primary so far")


def test_reads_after_a_write_in_the_same_request_use_the_primary():
    router = db_router.ReplicaRouter()
    token = db_router._reads_from.set(db_router.REPLICA)
    try:
        assert router.db_for_read(Article) == "replica"
        assert router.db_for_write(Article) == "default"
        assert router.db_for_read(Article) == "default"
    finally:
        db_router._reads_from.reset(token)


def test_work_outside_a_request_uses_the_primary():
    assert db_router.ReplicaRouter().db_for_read(Article) == "default"
    assert not db_router.ReplicaRouter().allow_migrate("replica", "articles")


@pytest.mark.parametrize(
    ("method", "path", "cookies", "reader"),
    [
        ("GET", "/", {}, True),
        ("HEAD", "/topics/", {}, True),
        ("GET", "/", {"sessionid": "x"}, False),
        ("POST", "/", {}, False),
        ("GET", "/admin/", {}, False),
        ("GET", "/preview/abc/", {}, False),
    ],
)
def test_which_requests_count_as_a_readers(rf, method, path, cookies, reader):
    request = rf.generic(method, path)
    request.COOKIES.update(cookies)
    assert db_router.is_reader_request(request) is reader
