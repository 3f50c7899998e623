"""CSP violations reach the newsroom: every policy names a report endpoint (report-to and
report-uri), which stores a bounded count of distinct violations for administrators, is
rate-limited, and refuses what is not a report."""

import json

import pytest
from django.urls import reverse

from articles.models import CspViolation
from tests.test_csp import policy

pytestmark = pytest.mark.django_db

URL = "/csp-report/"


def legacy_report(blocked="https://evil.example/x.js", directive="script-src-elem"):
    return {
        "csp-report": {
            "document-uri": "https://news.example/articles/2026/03/04/story/",
            "violated-directive": directive,
            "effective-directive": directive,
            "blocked-uri": blocked,
            "original-policy": "default-src 'self'",
        }
    }


def reporting_api_report(blocked="inline", directive="style-src-attr"):
    return [
        {
            "type": "csp-violation",
            "url": "https://news.example/",
            "body": {
                "documentURL": "https://news.example/",
                "effectiveDirective": directive,
                "blockedURL": blocked,
            },
        }
    ]


def send(client, payload, content_type="application/csp-report", **headers):
    return client.post(URL, json.dumps(payload), content_type=content_type, **headers)


def test_every_policy_names_the_report_endpoint(client):
    response = client.get("/")
    directives = policy(response)
    assert directives["report-uri"] == URL
    assert directives["report-to"] == "csp"
    assert f'csp="{URL}"' in response["Reporting-Endpoints"]


def test_reports_in_both_formats_are_counted_once_per_distinct_violation(client):
    for _ in range(3):
        assert send(client, legacy_report()).status_code == 204
    assert (
        send(client, reporting_api_report(), content_type="application/reports+json").status_code
        == 204
    )
    counts = sorted(CspViolation.objects.values_list("directive", "blocked", "count"))
    assert counts == [
        ("script-src-elem", "https://evil.example/x.js", 3),
        ("style-src-attr", "inline", 1),
    ]


def test_the_store_is_bounded(client, settings):
    settings.NEWSROOM_CSP_REPORTS_KEPT = 5
    settings.NEWSROOM_RATE_LIMITS = {**settings.NEWSROOM_RATE_LIMITS, "csp-report": (100, 60)}
    for n in range(20):
        send(client, legacy_report(blocked=f"https://evil.example/{n}.js"))
    assert CspViolation.objects.count() == 5


@pytest.mark.parametrize(
    "body", ["not json", "[]", '{"csp-report": "text"}', '{"other": {}}', "\x00", "{" * 5000]
)
def test_what_is_not_a_report_is_a_400_and_stores_nothing(client, body):
    response = client.post(URL, body, content_type="application/csp-report")
    assert response.status_code == 400
    assert not CspViolation.objects.exists()


def test_reports_are_rate_limited_per_address(client, settings):
    settings.NEWSROOM_RATE_LIMITS = {**settings.NEWSROOM_RATE_LIMITS, "csp-report": (3, 60)}
    statuses = [send(client, legacy_report()).status_code for _ in range(4)]
    assert statuses == [204, 204, 204, 429]


def test_only_post_is_accepted(client):
    assert client.get(URL).status_code == 405


def test_administrators_read_the_violations_on_the_desk(client, make_user):
    send(client, legacy_report())
    url = reverse("admin:articles_cspviolation_changelist")
    client.force_login(make_user("Administrator"))
    assert b"evil.example" in client.get(url).content
    client.force_login(make_user("Reporter"))
    assert client.get(url).status_code == 403
