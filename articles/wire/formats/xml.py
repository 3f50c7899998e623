"""Reading agency XML safely, and the small helpers every XML format shares.

defusedxml refuses entity declarations (billion laughs), external entities and DTD
fetches instead of following them; a size cap comes before any parsing. A refusal names
the line, as the plain-text reader does.
"""

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from articles.wire.parser import WireError

# A NewsML-G2 newsMessage may carry a few stories and their picture metadata.
MAX_XML_BYTES = 4 * 1024 * 1024
DECLARATION = re.compile(rb"<!(ENTITY|DOCTYPE)\b")


def root_of(data: bytes) -> Element:
    if len(data) > MAX_XML_BYTES:
        raise WireError(f"larger than {MAX_XML_BYTES // 1024} KB; agency XML is far smaller")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise WireError(f"line {line}: not UTF-8 (byte 0x{data[error.start]:02x})") from None
    try:
        # A DOCTYPE naming a DTD is harmless (nothing fetches it); declaring entities is not.
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise WireError(f"line {declaration_line(data)}: refused: {refusal(error)}") from None
    except ET.ParseError as error:
        line, column = error.position
        raise WireError(f"line {line}: not well-formed XML (column {column + 1})") from None


def declaration_line(data: bytes) -> int:
    match = DECLARATION.search(data)
    return data[: match.start()].count(b"\n") + 1 if match else 1


def refusal(error: DefusedXmlException) -> str:
    name = type(error).__name__
    if name == "EntitiesForbidden":
        return "the file declares XML entities (an entity-expansion attack is possible)"
    if name == "ExternalReferenceForbidden":
        return "the file refers to an external entity or DTD, which is never fetched"
    return f"unsafe XML ({name})"


def local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def text_of(element: Element | None) -> str:
    """All the text inside `element`, spacing normalised."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def find(element: Element | None, path: str) -> Element | None:
    """`path` of local names ("contentMeta/headline"), in any namespace."""
    if element is None:
        return None
    return element.find("/".join(f"{{*}}{part}" for part in path.split("/")))


def find_all(element: Element | None, path: str) -> list[Element]:
    if element is None:
        return []
    return element.findall("/".join(f"{{*}}{part}" for part in path.split("/")))


def paragraphs_in(element: Element | None) -> tuple[str, ...]:
    """The text of each <p> under `element` (XHTML or NITF), in order, empty ones left out."""
    if element is None:
        return ()
    return tuple(text for p in element.iter() if local(p) == "p" and (text := text_of(p)))


def timestamp(text: str, where: str) -> datetime:
    """An ISO 8601 time with its offset ("2025-11-26T19:12:00+09:00")."""
    value = text.strip()
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        # NITF's compact form: 20251126T191200+0900
        try:
            when = datetime.strptime(value, "%Y%m%dT%H%M%S%z")
        except ValueError:
            raise WireError(f"{where}: cannot read the time {value!r}") from None
    if when.tzinfo is None:
        raise WireError(f"{where}: the time {value!r} has no time zone")
    return when
