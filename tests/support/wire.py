"""Wire copy for tests: the project's fixture files and stories made to order."""

from pathlib import Path

from django.conf import settings

from articles.wire.importer import ImportResult, WireImporter, read_path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "wire"
# A full agency story in the seed's layout (caption, credit, ten paragraphs separated by
# non-breaking-space lines, a sign-off), written for the project.
SAMPLE = FIXTURES / "yonhap-korea-thailand.txt"
# Agency copy that some machines keep beside the checkout (CI does). Tests may read it in
# addition to the project's own fixtures, never instead: the suite passes without it.
EXTRA_SAMPLES = sorted((Path(settings.BASE_DIR).parent / "shared/samples/wire").glob("*.txt"))


def story_bytes(
    *,
    date: str = "2025-11-26",
    headline: str = "Korea and Thailand discuss defense ties",
    published: str = "26 Nov. 2025, 19:12",
    caption: str = "Diplomats meet in Seoul on Nov. 26. [YONHAP]",
    body: str = "Senior diplomats met on Wednesday.\n\nThey agreed to meet again next year.",
    signoff: str = "Yonhap",
) -> bytes:
    lines = [f" date {date}  {headline}", f"Published: {published}"]
    if caption:
        lines.append(caption)
    lines += ["", body, "", signoff, ""]
    return "\n".join(lines).encode()


def import_file(
    path: Path, importer: WireImporter | None = None, *, name: str | None = None
) -> ImportResult:
    """Import one file from disk, as the command does, and return its result."""
    importer = importer or WireImporter()
    return next(importer.import_all([(name or str(path), lambda: read_path(path))]))


def import_data(data: bytes, *, name: str, importer: WireImporter | None = None) -> ImportResult:
    """Import one file's bytes, as the desk's upload page does, and return its result."""
    return import_all_data(data, name=name, importer=importer)[0]


def import_all_data(
    data: bytes, *, name: str, importer: WireImporter | None = None
) -> list[ImportResult]:
    """Every story in one file's bytes (a NewsML-G2 message may hold several)."""
    importer = importer or WireImporter()
    return list(importer.import_all([(name, lambda: data)]))


def newsml_bytes(
    *,
    guid: str = "urn:newsml:example.yna:20251126:ferry",
    version: int = 1,
    headline: str = "Busan opens new ferry terminal",
    body: tuple[str, ...] = ("A ferry terminal opened on Wednesday.",),
    status: str = "usable",
    urgency: int = 3,
    created: str = "2025-11-26T19:12:00+09:00",
) -> bytes:
    """A NewsML-G2 text item from Yonhap, made to order."""
    paragraphs = "".join(f"<p>{text}</p>" for text in body)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="{guid}" version="{version}"
          standard="NewsML-G2" standardversion="2.34">
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider qcode="nprov:YNA"><name>Yonhap</name></provider>
    <versionCreated>{created}</versionCreated>
    <pubStatus qcode="stat:{status}"/>
  </itemMeta>
  <contentMeta>
    <urgency>{urgency}</urgency>
    <dateline>BUSAN</dateline>
    <creditline>Yonhap</creditline>
    <headline>{headline}</headline>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml">
      <body>{paragraphs}</body></html></inlineXML>
  </contentSet>
</newsItem>""".encode()
