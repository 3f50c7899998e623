"""Wire copy for tests: the fixture files, the shared sample, and stories made to order."""

from pathlib import Path

from django.conf import settings

FIXTURES = Path(__file__).parent / "fixtures" / "wire"
# CI lays shared/ beside the clone; a missing sample must fail the tests that read it.
SAMPLE = Path(settings.BASE_DIR).parent / "shared/samples/wire/yonhap-korea-thailand-2025-11-26.txt"


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
