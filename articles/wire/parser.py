"""Reading one wire file: bytes in, a `WireStory` out, or a `WireError` saying what is wrong.

The format, line by line (blank lines may hold spaces or non-breaking spaces):

     date 2025-11-26  Korea and Thailand discuss defense partnership
    Published: 26 Nov. 2025, 19:12
    A caption that ends in a bracketed credit. [YONHAP]          (optional)
    Body paragraphs, separated by blank lines.
    Yonhap                                   or   BY KIM MIN-JI [kim.minji@example.com]

Nothing here touches the database, so every rule can be tested on bytes alone.
"""

import codecs
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone as django_timezone
from django.utils.text import slugify

# A story is a few kilobytes; anything near this is not a story.
MAX_FILE_BYTES = 1024 * 1024
HEADLINE_MAX_LENGTH = 255  # Article.headline
NAME_MAX_LENGTH = 60
EMAIL_MAX_LENGTH = 254  # Contributor.email
REFERENCE_MAX_LENGTH = 255  # Article.source_reference

DATE_LINE = re.compile(r"date:?\s+(?P<date>\S+)\s*(?P<headline>.*)", re.IGNORECASE)
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Feeds may add the time of the latest revision: "Published: ..., 19:12 Updated: ..., 19:40".
PUBLISHED_LINE = re.compile(
    r"published\s*:\s*(?P<when>.*?)(?:\s+updated\s*:\s*(?P<updated>.*))?", re.IGNORECASE
)
# "26 Nov. 2025, 19:12", "26 November 2025 19:12 KST", "3 Sept. 2025, 07:05 +09:00"
PUBLISHED_WRITTEN = re.compile(
    r"(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+)\.?,?\s+(?P<year>\d{4}),?\s+(?:at\s+)?"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<zone>.*)",
    re.IGNORECASE,
)
# "2025-11-26 19:12", "2025-11-26T19:12:00+09:00"
PUBLISHED_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[T\s]+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<zone>.*)",
    re.IGNORECASE,
)
ZONE_OFFSET = re.compile(
    r"(?:UTC|GMT)?\s*(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?"
)
ZONE_NAMES = {"": None, "Z": UTC, "UTC": UTC, "GMT": UTC, "KST": ZoneInfo("Asia/Seoul")}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

# "... in Seoul, on Nov. 26. [YONHAP]": a caption is text followed by a bracketed credit.
CAPTION_LINE = re.compile(r"(?P<caption>.*\S)\s*\[(?P<credit>[^\[\]@]{1,60})\]")
# "BY KIM MIN-JI [kim.minji@example.com]", "BY LEE HO, PARK SO-RA [lee.ho@example.com]"
STAFF_SIGNOFF = re.compile(r"(?:BY|By)\s+(?P<names>[^\[\]\d]+?)\s*(?:\[(?P<emails>[^\[\]]*)\])?")
NAME_SEPARATOR = re.compile(r"\s*,\s*|\s+(?:and|AND|&)\s+")
# C0 controls other than tab and line breaks never occur in text; they mean a binary file.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Characters that look like nothing but are not whitespace to str.split().
INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u2060"))
STRAIGHT_QUOTES = str.maketrans("‘’‚‛“”„‟", "''''\"\"\"\"")

# "SEOUL, Nov. 26 (Yonhap) -- " opening the first paragraph: the place is the dateline.
DATELINE_LEAD = re.compile(
    r"(?P<place>[A-Z][A-Z .'-]{1,40}?(?:, [A-Z][A-Za-z .'-]{1,40}?)?),\s+"
    r"(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+)?\((?P<agency>[^()]{1,40})\)\s*(?:--|—|–)\s*"
)
# What identifies or routes a delivery, not what the story says.
NOT_CONTENT = {"guid", "version", "format", "ednote", "urgency", "pub_status"}


class WireError(ValueError):
    """What is wrong with a wire file, in one line an editor can act on."""


@dataclass(frozen=True)
class Author:
    name: str
    email: str = ""


@dataclass(frozen=True)
class WirePicture:
    """A picture delivered with a story: a file beside it (or in its zip), with its words."""

    href: str
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True)
class WireStory:
    """One agency story, whatever format it came in (plain text, NewsML-G2, NITF, ninjs)."""

    date: date
    headline: str
    published_at: datetime  # the agency's time; readers see the editor's publish time
    paragraphs: tuple[str, ...]
    caption: str = ""
    credit: str = ""
    # The sign-off: an agency name, or the staff authors when the story is signed "BY ...".
    agency: str = ""
    authors: tuple[Author, ...] = ()
    # From the IPTC formats (plain text has a dateline at most): identity, version, state.
    guid: str = ""
    version: int = 0
    pub_status: str = "usable"  # usable, withheld or canceled (a kill)
    urgency: int | None = None
    dateline: str = ""
    subjects: tuple[tuple[str, str], ...] = ()  # (IPTC Media Topic code, label)
    ednote: str = ""
    pictures: tuple[WirePicture, ...] = ()
    format: str = "plain"

    @property
    def text(self) -> str:
        """Everything a reader would read, for topic matching."""
        return "\n".join([self.headline, self.caption, *self.paragraphs])

    @cached_property
    def values(self) -> dict:
        """The fields as `dataclasses.asdict` gives them, built once and without deep copies
        (a batch asks for them twice per story: the checksum and the stored wire item)."""
        values = {field.name: getattr(self, field.name) for field in FIELDS}
        values["authors"] = tuple({"name": a.name, "email": a.email} for a in self.authors)
        values["pictures"] = tuple(
            {"href": p.href, "caption": p.caption, "credit": p.credit} for p in self.pictures
        )
        return values

    @cached_property
    def checksum(self) -> str:
        """Changes whenever anything the importer stores would change."""
        values = dict(self.values)
        values["published_at"] = self.published_at.astimezone(UTC).isoformat()
        # Identity and delivery details are not content; fields at their default are left
        # out, so stories imported before these fields existed keep their fingerprint.
        for field in FIELDS:
            if field.name in NOT_CONTENT or values[field.name] == field.default:
                values.pop(field.name)
        canonical = json.dumps(values, default=str, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()

    @cached_property
    def source_reference(self) -> str:
        """The story's identity across re-sends: who filed it, on which day, under what headline.

        Case, quote style and spacing are ignored, so a re-send with "curly" quotes or a
        retyped capital is recognised as the same story. An IPTC item is its guid.
        """
        if self.guid:
            return shortened(self.guid)
        source = normalized_slug(self.agency) if self.agency else "staff"
        reference = f"{source}:{self.date.isoformat()}:{normalized_slug(self.headline)}"
        return shortened(reference)

    @property
    def withdrawn(self) -> bool:
        return self.pub_status != "usable"


FIELDS = fields(WireStory)


def shortened(reference: str) -> str:
    """`reference` as it fits Article.source_reference, still unique."""
    if len(reference) > REFERENCE_MAX_LENGTH:
        digest = hashlib.sha256(reference.encode()).hexdigest()[:12]
        reference = f"{reference[: REFERENCE_MAX_LENGTH - 13]}-{digest}"
    return reference


def normalized_slug(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(STRAIGHT_QUOTES).casefold()
    slug = slugify(text, allow_unicode=True)
    # A headline of punctuation alone still needs a stable, non-empty identity.
    return slug or hashlib.sha256(text.encode()).hexdigest()[:16]


def parse_wire(data: bytes, *, default_tz: tzinfo | None = None) -> WireStory:
    """Parse one wire file. Times without a zone are read in `default_tz` (TIME_ZONE)."""
    lines = [(number, clean_line(line)) for number, line in enumerate(decode(data), start=1)]
    filled = [(number, line) for number, line in lines if line]
    if not filled:
        raise WireError("empty file")

    number, first = filled[0]
    story_date, headline = parse_date_line(number, first)
    if len(filled) < 2:
        raise WireError(f"line {number}: no Published line after the date line")
    number, second = filled[1]
    match = PUBLISHED_LINE.fullmatch(second)
    if not match:
        raise WireError(
            f"line {number}: expected the Published line ('Published: 26 Nov. 2025, 19:12')"
        )
    zone = default_tz or django_timezone.get_default_timezone()
    published_at = parse_published(number, match["when"], zone)
    if match["updated"]:
        parse_published(number, match["updated"], zone)  # refused if impossible; not stored

    rest = [(n, line) for n, line in lines if n > number]
    content = [(n, line) for n, line in rest if line]
    if not content:
        raise WireError("no body: nothing follows the Published line")
    signoff_number, signoff = content[-1]
    agency, authors = parse_signoff(signoff_number, signoff)

    caption = credit = ""
    body = [(n, line) for n, line in rest if n < signoff_number]
    filled_body = [(n, line) for n, line in body if line]
    if filled_body and (match := CAPTION_LINE.fullmatch(filled_body[0][1])):
        caption, credit = match["caption"], match["credit"].strip()
        body = [(n, line) for n, line in body if n != filled_body[0][0]]

    paragraphs = tuple(split_paragraphs(line for _, line in body))
    if not paragraphs:
        raise WireError("no body: only " + ("a caption and " if caption else "") + "a sign-off")
    dateline, paragraphs = take_dateline(paragraphs)
    return WireStory(
        date=story_date,
        headline=headline,
        published_at=published_at,
        paragraphs=paragraphs,
        caption=caption,
        credit=credit,
        agency=agency,
        authors=authors,
        dateline=dateline,
    )


def take_dateline(paragraphs: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The dateline opening the lead ("SEOUL, Nov. 26 (Yonhap) --"), and the lead without it."""
    if not paragraphs or not (match := DATELINE_LEAD.match(paragraphs[0])):
        return "", paragraphs
    lead = paragraphs[0][match.end() :]
    if not lead:
        return "", paragraphs
    return match["place"], (lead[:1].upper() + lead[1:], *paragraphs[1:])


def decode(data: bytes) -> list[str]:
    """The file's lines as text: UTF-8 with or without a byte-order mark, any line ending."""
    if len(data) > MAX_FILE_BYTES:
        raise WireError(f"larger than {MAX_FILE_BYTES // 1024} KB; a wire story is far smaller")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise WireError("UTF-16 text; the wire importer reads UTF-8")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise WireError(
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start})"
        ) from None
    if CONTROL_CHARACTERS.search(text):
        raise WireError("binary data, not text (it holds control characters)")
    return text.splitlines()


def clean_line(line: str) -> str:
    """One line with its spacing normalised; lines of only (non-breaking) spaces become ''."""
    return " ".join(line.translate(INVISIBLE).split())


def parse_date_line(number: int, line: str) -> tuple[date, str]:
    match = DATE_LINE.fullmatch(line)
    if not match:
        raise WireError(f"line {number}: no date line (expected 'date 2025-11-26  Headline')")
    text = match["date"]
    if not (parts := ISO_DATE.fullmatch(text)):
        raise WireError(f"line {number}: {text!r} is not a date (expected YYYY-MM-DD)")
    try:
        story_date = date(*map(int, parts.groups()))
    except ValueError:
        raise WireError(f"line {number}: impossible date {text}") from None
    headline = match["headline"]
    if not headline:
        raise WireError(f"line {number}: no headline after the date")
    if len(headline) > HEADLINE_MAX_LENGTH:
        raise WireError(
            f"line {number}: headline is {len(headline)} characters long "
            f"(at most {HEADLINE_MAX_LENGTH})"
        )
    return story_date, headline


def parse_published(number: int, text: str, default_tz: tzinfo) -> datetime:
    match = PUBLISHED_WRITTEN.fullmatch(text) or PUBLISHED_ISO.fullmatch(text)
    if not match:
        raise WireError(
            f"line {number}: cannot read the publication time {text!r} "
            "(expected '26 Nov. 2025, 19:12')"
        )
    month = match["month"]
    if not month.isdigit():
        if month.casefold() not in MONTHS:
            raise WireError(f"line {number}: unknown month {month!r}")
        month = MONTHS[month.casefold()]
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise WireError(f"line {number}: impossible time {match['hour']}:{match['minute']}")
    try:
        day = date(int(match["year"]), int(month), int(match["day"]))
    except ValueError:
        raise WireError(
            f"line {number}: impossible date {match['day']} {match['month']} {match['year']}"
        ) from None
    zone = parse_zone(number, match["zone"]) or default_tz
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)


def parse_zone(number: int, text: str) -> tzinfo | None:
    text = text.strip().strip("()").strip()
    if text.upper() in ZONE_NAMES:
        return ZONE_NAMES[text.upper()]
    if match := ZONE_OFFSET.fullmatch(text):
        offset = timedelta(hours=int(match["hours"]), minutes=int(match["minutes"] or 0))
        if offset <= timedelta(hours=14):
            return timezone(-offset if match["sign"] == "-" else offset)
    elif "/" in text:
        try:
            return ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    raise WireError(f"line {number}: unknown time zone {text!r} in the Published line")


def parse_signoff(number: int, line: str) -> tuple[str, tuple[Author, ...]]:
    """The last line: an agency ("Yonhap") or staff ("BY KIM MIN-JI [kim.minji@example.com]")."""
    if match := STAFF_SIGNOFF.fullmatch(line):
        names = [name for name in NAME_SEPARATOR.split(match["names"]) if name]
        emails = [email for email in re.split(r"[\s,;]+", match["emails"] or "") if email]
        for email in emails:
            if not is_address(email):
                raise WireError(f"line {number}: {email!r} in the sign-off is not an address")
        if names and len(emails) <= len(names) and all(map(looks_like_a_name, names)):
            emails += [""] * (len(names) - len(emails))
            return "", tuple(Author(person_name(n), e) for n, e in zip(names, emails, strict=True))
    if not looks_like_a_name(line):
        raise WireError(
            f"line {number}: no sign-off (the last line should name the agency, such as "
            "'Yonhap', or read 'BY NAME [email]')"
        )
    return line, ()


def is_address(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return len(text) <= EMAIL_MAX_LENGTH


def looks_like_a_name(text: str) -> bool:
    """Short, no sentence punctuation: an agency or a person, not the last paragraph."""
    return (
        len(text) <= NAME_MAX_LENGTH
        and len(text.split()) <= 6
        and not any(mark in text for mark in "[]<>")
        and text[-1] not in ".!?,;:'\"’”)"
        and any(character.isalpha() for character in text)
    )


def person_name(text: str) -> str:
    """ "KIM MIN-JI" as the newsroom writes it, "Kim Min-ji"; mixed case is left as written."""
    if not text.isupper():
        return text
    return " ".join(word[:1] + word[1:].lower() for word in text.split())


def split_paragraphs(lines) -> list[str]:
    """Join runs of filled lines into paragraphs; blank lines separate them."""
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs
