"""Where browsers send Content-Security-Policy violations (`report-uri` and `report-to`).

Both formats are read: the older `application/csp-report` (`{"csp-report": {...}}`) and the
Reporting API's `application/reports+json` (a list of `{"type": "csp-violation", "body": ...}`).
Each distinct (directive, blocked address, page) is one row with a count; the table holds at
most NEWSROOM_CSP_REPORTS_KEPT rows, after which new kinds are only logged. Rate-limited per
address like search; anything that is not a report is a 400.
"""

import json
import logging

from django.conf import settings
from django.db.models import F
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.models import CspViolation
from newsroom.ratelimit import rate_limited

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024


def violations_in(payload) -> list[tuple[str, str, str]]:
    """(directive, blocked, document) of each violation in a report body; ValueError if none."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        report = payload["csp-report"]
        found = [
            (
                report.get("effective-directive") or report.get("violated-directive"),
                report.get("blocked-uri"),
                report.get("document-uri"),
            )
        ]
    elif isinstance(payload, list):
        found = [
            (
                item["body"].get("effectiveDirective"),
                item["body"].get("blockedURL"),
                item["body"].get("documentURL") or item.get("url"),
            )
            for item in payload
            if isinstance(item, dict)
            and item.get("type") == "csp-violation"
            and isinstance(item.get("body"), dict)
        ]
    else:
        found = []
    cleaned = [
        (str(directive)[:100], str(blocked or "")[:500], str(document or "")[:500])
        for directive, blocked, document in found
        if directive
    ]
    if not cleaned:
        raise ValueError("no CSP violation in the report")
    return cleaned


def record(directive: str, blocked: str, document: str) -> None:
    key = {"directive": directive, "blocked": blocked, "document": document}
    now = timezone.now()
    if CspViolation.objects.filter(**key).update(count=F("count") + 1, last_seen=now):
        return
    if CspViolation.objects.count() >= settings.NEWSROOM_CSP_REPORTS_KEPT:
        logger.warning("CSP violation not stored (the table is full): %s %s", directive, blocked)
        return
    CspViolation.objects.get_or_create(**key, defaults={"first_seen": now, "last_seen": now})


@csrf_exempt
@require_POST
@rate_limited("csp-report")
def csp_report(request):
    body = request.body[: MAX_BODY + 1]
    if len(body) > MAX_BODY:
        return HttpResponseBadRequest("Report too large.")
    try:
        violations = violations_in(json.loads(body.decode("utf-8").replace("\x00", "")))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return HttpResponseBadRequest("Not a CSP violation report.")
    for violation in violations[:10]:
        record(*violation)
    return HttpResponse(status=204)
