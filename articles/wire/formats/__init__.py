"""Every format agencies deliver in, read into the one `WireStory` the importer knows.

The format is told from the bytes, never from the file name: a ninjs document is a JSON
object, NewsML-G2 and NITF are XML told apart by their root element, anything else is the
plain-text layout (`articles.wire.parser`). A file may hold several stories (a NewsML-G2
newsMessage), or none worth a draft (a package listing), so parsing gives a list.
"""

import codecs
import json

from articles.wire.formats import newsml, ninjs, nitf
from articles.wire.formats.xml import MAX_XML_BYTES, root_of
from articles.wire.parser import MAX_FILE_BYTES, WireError, WireStory, parse_wire

FORMATS = ["plain", "newsml", "nitf", "ninjs"]
NAMES = {"plain": "plain text", "newsml": "NewsML-G2", "nitf": "NITF", "ninjs": "ninjs (JSON)"}
# What a source configured to detect the format from the bytes declares.
AUTO = "auto"
# The largest file any format may be: the reader stops one byte past it.
MAX_BYTES = max(MAX_FILE_BYTES, MAX_XML_BYTES)


def detect(data: bytes) -> str:
    """ "newsml", "nitf", "ninjs" or "plain", from the first bytes of the file."""
    head = data[:4096]
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    head = head.lstrip()
    if head.startswith((b"{", b"[")):
        return "ninjs"
    if head.startswith(b"<"):
        if b"<nitf" in head:
            return "nitf"
        return "newsml"  # NewsML-G2, or XML we refuse with a reason from the XML reader
    return "plain"


def refuse_unexpected(kind: str, expected: str) -> None:
    """A source delivers one format: a file in another is refused before it is read further."""
    if expected not in (AUTO, kind):
        raise WireError(
            f"this source delivers {NAMES.get(expected, expected)}, "
            f"but the file is {NAMES[kind]}; refused"
        )


def parse_file(data: bytes, expected: str = AUTO) -> list[WireStory]:
    """The stories in one file; WireError says what is wrong.

    `expected` is the format the file's source declares (a `WireSource.Format` value), or
    "auto" to take whatever the bytes say.
    """
    kind = detect(data)
    if kind != "newsml":  # XML is told apart by its root, once it is safely read
        refuse_unexpected(kind, expected)
    if kind == "plain":
        return [parse_wire(data)]
    if kind == "ninjs":
        if len(data) > MAX_FILE_BYTES:
            raise WireError(f"larger than {MAX_FILE_BYTES // 1024} KB; a ninjs item is far smaller")
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise WireError(f"not UTF-8 text (byte at position {error.start})") from None
        except json.JSONDecodeError as error:
            raise WireError(f"line {error.lineno}: not JSON ({error.msg})") from None
        return ninjs.parse(document)
    root = root_of(data)
    if kind == "nitf" or root.tag.rsplit("}", 1)[-1] == "nitf":
        refuse_unexpected("nitf", expected)
        return [nitf.parse(root)]
    refuse_unexpected("newsml", expected)
    return newsml.parse(root)
