"""NITF 3.x: head/docdata (doc-id, date.issue, du-key, urgency), body.head (hedline,
byline, dateline), body.content paragraphs, and media with caption and credit.
"""

from xml.etree.ElementTree import Element

from articles.wire.formats.story import agency_story
from articles.wire.formats.xml import find, find_all, local, paragraphs_in, text_of, timestamp
from articles.wire.parser import HEADLINE_MAX_LENGTH, WireError, WirePicture, WireStory

STATUSES = {"usable": "usable", "withheld": "withheld", "canceled": "canceled", "kill": "canceled"}


def parse(root: Element) -> WireStory:
    if local(root) != "nitf":
        raise WireError(f"{local(root)}: not NITF (expected nitf)")
    docdata = find(root, "head/docdata")
    doc_id = find(docdata, "doc-id")
    guid = doc_id.get("id-string", "").strip() if doc_id is not None else ""
    if not guid:
        raise WireError("nitf/head/docdata/doc-id: no id-string")
    issue = find(docdata, "date.issue")
    if issue is None or not issue.get("norm"):
        raise WireError("nitf/head/docdata/date.issue: no norm time")
    published_at = timestamp(issue.get("norm", ""), "nitf/head/docdata/date.issue")
    du_key = find(docdata, "du-key")
    version = du_key.get("version", "1") if du_key is not None else "1"
    urgency = find(docdata, "urgency")
    urgency = urgency.get("ed-urg", "") if urgency is not None else ""
    copyright_ = find(docdata, "doc.copyright")
    status = docdata.get("management-status", "usable") if docdata is not None else "usable"
    pub_status = STATUSES.get(status)
    if pub_status is None:
        raise WireError(f"nitf/head/docdata: unknown management-status {status!r}")

    body_head = find(root, "body/body.head")
    headline = text_of(find(body_head, "hedline/hl1"))
    if not headline:
        raise WireError("nitf/body/body.head/hedline/hl1: missing")
    if len(headline) > HEADLINE_MAX_LENGTH:
        raise WireError(f"nitf/body/body.head/hedline/hl1: {len(headline)} characters")
    content = find(root, "body/body.content")
    # Paragraphs of the text, not the words inside a media block.
    paragraphs = tuple(
        text
        for block in (content if content is not None else [])
        if local(block) != "media"
        for text in paragraphs_in(block)
    )
    if not paragraphs and pub_status == "usable":
        raise WireError("nitf/body/body.content: no paragraphs")
    holder = copyright_.get("holder", "") if copyright_ is not None else ""
    agency = text_of(find(body_head, "distributor")) or holder
    pictures = tuple(media(m) for m in find_all(content, "media") if media(m).href)
    return agency_story(
        headline=headline,
        published_at=published_at,
        paragraphs=paragraphs,
        pictures=pictures,
        dateline=text_of(find(body_head, "dateline/location")),
        agency=agency,
        guid=guid,
        version=int(version) if str(version).isdigit() else 1,
        pub_status=pub_status,
        urgency=int(urgency) if urgency.isdigit() else None,
        subjects=subjects(root),
        ednote=text_of(find(docdata, "ed-msg")),
        format="nitf",
    )


def media(element: Element) -> WirePicture:
    reference = find(element, "media-reference")
    return WirePicture(
        href=reference.get("source", "") if reference is not None else "",
        caption=text_of(find(element, "media-caption")),
        credit=text_of(find(element, "media-producer")),
    )


def subjects(root: Element) -> tuple[tuple[str, str], ...]:
    """IPTC Media Topic codes from tobject.subject, with the label given as its type."""
    found: dict[str, str] = {}
    for subject in find_all(root, "head/tobject/tobject.subject"):
        code = subject.get("tobject.subject.refnum", "")
        if code.startswith("medtop:"):
            found.setdefault(code, subject.get("tobject.subject.type", ""))
    return tuple(found.items())
