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


def import_file(path: Path, importer: WireImporter | None = None) -> ImportResult:
    """Import one file from disk, as the command does, and return its result."""
    importer = importer or WireImporter()
    return next(importer.import_all([(str(path), lambda: read_path(path))]))


def import_data(data: bytes, *, name: str, importer: WireImporter | None = None) -> ImportResult:
    """Import one file's bytes, as the desk's upload page does, and return its result."""
    importer = importer or WireImporter()
    return next(importer.import_all([(name, lambda: data)]))
