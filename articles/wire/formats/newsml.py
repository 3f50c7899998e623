"""IPTC NewsML-G2: newsItem (text and picture), packageItem and newsMessage.

What is read (NewsML-G2 2.x): the item's `guid` and `version`; from itemMeta the
`pubStatus` (stat:usable, stat:withheld, stat:canceled), `versionCreated`/`firstCreated`,
`provider`, `edNote` and `signal`; from contentMeta `urgency`, `headline`, `slugline`,
`dateline`, `located`, `by`, `creditline`, `description` (caption) and `subject` codes
(IPTC Media Topics, `medtop:...`, with their `name`); the text from contentSet `inlineXML`
(XHTML or NITF paragraphs) or `inlineData`. Picture items travelling with a text item (in
one newsMessage) become its pictures, by their `remoteContent` href.
"""

from xml.etree.ElementTree import Element

from articles.wire.formats.story import agency_story
from articles.wire.formats.xml import (
    find,
    find_all,
    local,
    paragraphs_in,
    text_of,
    timestamp,
)
from articles.wire.parser import (
    HEADLINE_MAX_LENGTH,
    WireError,
    WirePicture,
    WireStory,
    split_paragraphs,
)

STATUSES = {"usable": "usable", "withheld": "withheld", "canceled": "canceled"}
# A signal that says the item replaces an earlier one, or kills it.
KILL_SIGNALS = {"sig:kill", "sig:cancel"}


def parse(root: Element) -> list[WireStory]:
    kind = local(root)
    if kind == "newsItem":
        items = [root]
    elif kind == "newsMessage":
        items = find_all(root, "itemSet/newsItem")
        if not items and not find_all(root, "itemSet/packageItem"):
            raise WireError("newsMessage/itemSet: no newsItem in the message")
    elif kind == "packageItem":
        return []  # a listing of items that arrive as their own files
    else:
        raise WireError(f"{kind}: not NewsML-G2 (expected newsItem, packageItem or newsMessage)")
    texts = [item for item in items if item_class(item) != "picture"]
    pictures = tuple(picture(item) for item in items if item_class(item) == "picture")
    return [story(item, pictures, index, len(texts)) for index, item in enumerate(texts, 1)]


def item_class(item: Element) -> str:
    element = find(item, "itemMeta/itemClass")
    qcode = element.get("qcode", "ninat:text") if element is not None else "ninat:text"
    return qcode.split(":", 1)[-1]


def picture(item: Element) -> WirePicture:
    content = find(item, "contentSet/remoteContent")
    href = content.get("href", "") if content is not None else ""
    meta = find(item, "contentMeta")
    caption = next(
        (text_of(d) for d in find_all(meta, "description") if "caption" in d.get("role", "")),
        text_of(find(meta, "description")),
    )
    return WirePicture(href=href, caption=caption, credit=text_of(find(meta, "creditline")))


def story(item: Element, pictures: tuple[WirePicture, ...], index: int, count: int) -> WireStory:
    where = "newsItem" if count == 1 else f"newsItem {index}"
    guid = item.get("guid", "").strip()
    if not guid:
        raise WireError(f"{where}: no guid")
    try:
        version = int(item.get("version", "1"))
    except ValueError:
        raise WireError(f"{where}: version {item.get('version')!r} is not a number") from None
    meta, content = find(item, "itemMeta"), find(item, "contentMeta")
    if meta is None or content is None:
        raise WireError(f"{where}: no {'itemMeta' if meta is None else 'contentMeta'}")

    status_element = find(meta, "pubStatus")
    status = status_element.get("qcode", "stat:usable") if status_element is not None else ""
    pub_status = STATUSES.get(status.split(":", 1)[-1] or "usable")
    if pub_status is None:
        raise WireError(f"{where}/itemMeta/pubStatus: unknown status {status!r}")
    if any(s.get("qcode") in KILL_SIGNALS for s in find_all(meta, "signal")):
        pub_status = "canceled"

    created = find(meta, "versionCreated")
    if created is None:
        created = find(meta, "firstCreated")
    if created is None:
        raise WireError(f"{where}/itemMeta: no versionCreated")
    published_at = timestamp(text_of(created), f"{where}/itemMeta/versionCreated")

    headline = text_of(find(content, "headline"))
    if not headline:
        raise WireError(f"{where}/contentMeta/headline: missing")
    if len(headline) > HEADLINE_MAX_LENGTH:
        raise WireError(
            f"{where}/contentMeta/headline: {len(headline)} characters (at most "
            f"{HEADLINE_MAX_LENGTH})"
        )
    paragraphs = body(item, where)
    if not paragraphs and pub_status == "usable":
        raise WireError(f"{where}/contentSet: no text")

    provider = find(meta, "provider")
    literal = provider.get("literal", "") if provider is not None else ""
    agency = text_of(find(content, "creditline")) or text_of(find(provider, "name")) or literal
    urgency = text_of(find(content, "urgency"))
    located = find(content, "located")
    dateline = text_of(find(content, "dateline")) or text_of(find(located, "name"))
    return agency_story(
        headline=headline,
        published_at=published_at,
        paragraphs=paragraphs,
        pictures=pictures,
        dateline=dateline,
        agency=agency,
        guid=guid,
        version=version,
        pub_status=pub_status,
        urgency=int(urgency) if urgency.isdigit() else None,
        subjects=subjects(content),
        ednote=text_of(find(meta, "edNote")),
        format="newsml",
    )


def body(item: Element, where: str) -> tuple[str, ...]:
    inline = find(item, "contentSet/inlineXML")
    if inline is not None:
        return paragraphs_in(inline)
    data = find(item, "contentSet/inlineData")
    if data is not None:
        return tuple(split_paragraphs(line.strip() for line in (data.text or "").splitlines()))
    return ()


def subjects(content: Element) -> tuple[tuple[str, str], ...]:
    """IPTC Media Topic codes with the label the agency gave them, in order, each once."""
    found: dict[str, str] = {}
    for subject in find_all(content, "subject"):
        code = subject.get("qcode", "")
        if code.startswith("medtop:"):
            found.setdefault(code, text_of(find(subject, "name")))
    return tuple(found.items())
