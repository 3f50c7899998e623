"""IPTC ninjs 2.x and 3.x (JSON): uri, version, versioncreated, pubstatus, headlines,
bodies, byline, located, subjects and associations (pictures).

ninjs 3 writes its property names in camelCase (`versionCreated`, `pubStatus`) where 2.x
wrote them lower case; both are read. Associations are an array of objects with a `name`
in 2.x and 3.x, and an object keyed by name in 1.x; both are read.
"""

import html
import re
from datetime import datetime

from articles.wire.formats.story import agency_story
from articles.wire.formats.xml import timestamp
from articles.wire.parser import HEADLINE_MAX_LENGTH, WireError, WirePicture, WireStory

PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]*>")
STATUSES = {"usable", "withheld", "canceled"}


def value(document: dict, *names: str, default=None):
    for name in names:
        if name in document:
            return document[name]
    return default


def parse(document) -> list[WireStory]:
    if isinstance(document, list) and document and all(isinstance(d, dict) for d in document):
        return [story for item in document for story in parse(item)]  # a feed's page
    if not isinstance(document, dict):
        raise WireError("$: a ninjs item is a JSON object")
    if value(document, "type", default="text") == "composite" and not value(document, "bodies"):
        return []  # a package: its items arrive on their own
    uri = value(document, "uri", "guid", default="")
    if not isinstance(uri, str) or not uri.strip():
        raise WireError("$.uri: missing")
    version = value(document, "version", default="1")
    if not str(version).isdigit():
        raise WireError(f"$.version: {version!r} is not a number")
    pub_status = value(document, "pubstatus", "pubStatus", default="usable")
    if pub_status not in STATUSES:
        raise WireError(f"$.pubstatus: unknown status {pub_status!r}")
    created = value(document, "versioncreated", "versionCreated", "firstcreated", "firstCreated")
    if not isinstance(created, str):
        raise WireError("$.versioncreated: missing")
    published_at: datetime = timestamp(created, "$.versioncreated")

    headline = headline_of(value(document, "headlines", default=None), document)
    paragraphs = body_of(value(document, "bodies", default=None), document)
    if not paragraphs and pub_status == "usable":
        raise WireError("$.bodies: no text")
    pictures = pictures_of(value(document, "associations", default=None))
    located = value(document, "located", default="") or ""
    urgency = value(document, "urgency", default=None)
    return [
        agency_story(
            headline=headline,
            published_at=published_at,
            paragraphs=paragraphs,
            pictures=pictures,
            dateline=str(located),
            agency=agency_of(document),
            guid=uri.strip(),
            version=int(version),
            pub_status=pub_status,
            urgency=urgency if isinstance(urgency, int) else None,
            subjects=subjects_of(value(document, "subjects", "subject", default=[])),
            ednote=str(value(document, "ednote", "edNote", default="") or ""),
            format="ninjs",
        )
    ]


def headline_of(headlines, document) -> str:
    if isinstance(headlines, list):
        texts = [h.get("value", "") for h in headlines if isinstance(h, dict)]
        main = [
            h.get("value", "") for h in headlines if isinstance(h, dict) and h.get("role") == "main"
        ]
        text = (main or texts or [""])[0]
    else:
        text = value(document, "headline", default="")
    text = " ".join(str(text).split())
    if not text:
        raise WireError("$.headlines: missing")
    if len(text) > HEADLINE_MAX_LENGTH:
        raise WireError(f"$.headlines[0]: {len(text)} characters (at most {HEADLINE_MAX_LENGTH})")
    return text


def body_of(bodies, document) -> tuple[str, ...]:
    if isinstance(bodies, list):
        chosen = next(
            (
                b
                for b in bodies
                if isinstance(b, dict)
                and "html" in str(b.get("contenttype", b.get("contentType", "")))
            ),
            None,
        )
        chosen = chosen or next((b for b in bodies if isinstance(b, dict)), {})
        text, is_html = (
            str(chosen.get("value", "")),
            "html" in str(chosen.get("contenttype", chosen.get("contentType", "text/html"))),
        )
    else:
        text, is_html = str(value(document, "body_html", default="") or ""), True
        if not text:
            text, is_html = str(value(document, "body_text", default="") or ""), False
    if is_html and "<p" in text.lower():
        found = (" ".join(html.unescape(TAG.sub(" ", p)).split()) for p in PARAGRAPH.findall(text))
        return tuple(p for p in found if p)
    return tuple(p for p in (" ".join(block.split()) for block in re.split(r"\n\s*\n", text)) if p)


def content_type(body: dict, default: str = "") -> str:
    return str(body.get("contenttype", body.get("contentType", default)))


def agency_of(document) -> str:
    """The agency: the first info source, else the copyright holder, else the byline."""
    sources = value(document, "infosources", "infoSources", default=[])
    for source in sources if isinstance(sources, list) else []:
        if isinstance(source, dict) and source.get("name"):
            return str(source["name"])
    for key in ("copyrightholder", "copyrightHolder"):
        holder = document.get(key)
        if isinstance(holder, dict) and holder.get("name"):
            return str(holder["name"])
    byline = value(document, "byline", default="")
    return str(byline or "")


def subjects_of(subjects) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    for subject in subjects if isinstance(subjects, list) else []:
        if not isinstance(subject, dict):
            continue
        uri = str(subject.get("uri", "") or subject.get("code", ""))
        code = "medtop:" + uri.rstrip("/").rsplit("/", 1)[-1] if "/mediatopic/" in uri else uri
        if code.startswith("medtop:"):
            found.setdefault(code, str(subject.get("name", "")))
    return tuple(found.items())


def pictures_of(associations) -> tuple[WirePicture, ...]:
    if isinstance(associations, dict):
        associations = [{"name": k, **v} for k, v in associations.items() if isinstance(v, dict)]
    pictures = []
    for item in associations if isinstance(associations, list) else []:
        if not isinstance(item, dict) or item.get("type") not in ("picture", "image", None):
            continue
        renditions = item.get("renditions")
        href = ""
        if isinstance(renditions, list) and renditions and isinstance(renditions[0], dict):
            href = str(renditions[0].get("href", ""))
        elif isinstance(renditions, dict) and renditions:
            first = next(iter(renditions.values()))
            href = str(first.get("href", "")) if isinstance(first, dict) else ""
        caption = item.get("description_text") or ""
        descriptions = item.get("descriptions")
        if isinstance(descriptions, list):
            caption = next(
                (d.get("value", "") for d in descriptions if isinstance(d, dict)), caption
            )
        pictures.append(
            WirePicture(
                href=href,
                caption=" ".join(str(caption).split()),
                credit=str(item.get("byline", "") or ""),
            )
        )
    return tuple(pictures)
