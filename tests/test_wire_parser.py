from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from articles.wire.parser import Author, WireError, parse_wire
from tests.support.wire import EXTRA_SAMPLES, FIXTURES, SAMPLE, story_bytes

SEOUL = ZoneInfo("Asia/Seoul")
HEAD = b" date 2025-11-26  Headline\n"


def parse_fixture(name: str):
    return parse_wire((FIXTURES / name).read_bytes())


def test_shared_sample_parses_to_headline_time_caption_credit_body_and_signoff():
    story = parse_wire(SAMPLE.read_bytes())
    assert story.date == date(2025, 11, 26)
    assert story.headline == (
        "Korea and Thailand discuss defense partnership, coordinated response to online scams"
    )
    assert story.published_at == datetime(2025, 11, 26, 19, 12, tzinfo=SEOUL)
    assert story.caption.startswith("First Vice Foreign Minister Park Yoon-joo, right, poses")
    assert story.caption.endswith("at the foreign ministry in Seoul, on Nov. 26.")
    assert story.credit == "YONHAP"
    assert story.agency == "Yonhap"
    assert story.authors == ()
    assert len(story.paragraphs) == 10
    assert story.paragraphs[0].startswith("Senior diplomats from Korea and Thailand agreed")
    assert story.paragraphs[-1].startswith("Wednesday's talks also touched on regional")
    assert "“future-oriented cooperation”" in story.paragraphs[2]


@pytest.mark.parametrize("sample", [SAMPLE, *EXTRA_SAMPLES], ids=lambda path: path.name)
def test_agency_copy_in_the_seed_layout_parses_to_a_whole_story(sample):
    """The project's sample, and any agency copy kept beside the checkout, parse in full."""
    story = parse_wire(sample.read_bytes())
    assert story.headline
    assert story.published_at
    assert story.agency
    assert story.caption
    assert story.credit
    assert len(story.paragraphs) >= 2


def test_paragraph_separators_of_non_breaking_spaces_leave_no_empty_paragraphs():
    story = parse_wire(SAMPLE.read_bytes())
    assert all(paragraph.strip() for paragraph in story.paragraphs)
    assert not any("\xa0" in paragraph for paragraph in story.paragraphs)


def test_byte_order_mark_is_not_part_of_the_date_line():
    story = parse_fixture("bom.txt")
    assert story.date == date(2025, 11, 27)
    assert story.headline == "Busan port extends night shifts as chip exports climb"


def test_crlf_line_endings_read_like_lf():
    story = parse_fixture("crlf.txt")
    assert story.published_at == datetime(2025, 11, 28, 14, 5, tzinfo=SEOUL)
    assert story.credit == "NEWS1"
    assert story.agency == "News1"
    assert len(story.paragraphs) == 2
    assert not any("\r" in paragraph for paragraph in story.paragraphs)


def test_the_same_story_with_bom_and_crlf_has_the_same_identity_and_checksum():
    plain = story_bytes()
    variant = b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n")
    assert parse_wire(variant) == parse_wire(plain)
    assert parse_wire(variant).checksum == parse_wire(plain).checksum


def test_curly_quotes_are_kept_in_the_text():
    story = parse_fixture("curly-quotes.txt")
    assert story.headline == "Minister calls talks “constructive” as CEPA deal nears"
    assert story.paragraphs[1].startswith("“We’ve closed most of the gaps,”")
    assert story.credit == "JOONGANG ILBO"


def test_staff_signoff_gives_the_author_and_address_and_no_agency():
    story = parse_fixture("curly-quotes.txt")
    assert story.agency == ""
    assert story.authors == (Author("Kim Min-ji", "kim.minji@example.com"),)


def test_hangul_headline_and_body_are_read_as_written():
    story = parse_fixture("hangul.txt")
    assert story.headline == "한국과 태국, 온라인 사기 공동 대응 합의"
    assert story.paragraphs[1] == "양측은 방산 협력도 확대하기로 했다."
    assert story.agency == "연합뉴스"
    assert story.source_reference == "연합뉴스:2025-11-30:한국과-태국-온라인-사기-공동-대응-합의"


def test_story_without_caption_has_no_photo_text_and_keeps_its_first_paragraph():
    story = parse_fixture("no-caption.txt")
    assert (story.caption, story.credit) == ("", "")
    assert story.paragraphs[0].startswith("Police chiefs from across Southeast Asia")
    assert story.agency == "Mekong Wire"


def test_published_line_with_an_offset_is_read_in_that_offset():
    story = parse_fixture("no-caption.txt")
    assert story.published_at == datetime(2025, 12, 1, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("26 Nov. 2025, 19:12", datetime(2025, 11, 26, 19, 12, tzinfo=SEOUL)),
        ("26 November 2025 19:12 KST", datetime(2025, 11, 26, 19, 12, tzinfo=SEOUL)),
        ("3 Sept. 2025, 7:05", datetime(2025, 9, 3, 7, 5, tzinfo=SEOUL)),
        ("26 Nov. 2025, 10:12 UTC", datetime(2025, 11, 26, 19, 12, tzinfo=SEOUL)),
        ("26 Nov. 2025, 10:12 (GMT)", datetime(2025, 11, 26, 19, 12, tzinfo=SEOUL)),
        ("26 Nov. 2025, 17:12 +0700", datetime(2025, 11, 26, 19, 12, tzinfo=SEOUL)),
        ("2025-11-26 19:12", datetime(2025, 11, 26, 19, 12, tzinfo=SEOUL)),
        ("2025-11-26T11:12:00+01:00", datetime(2025, 11, 26, 19, 12, tzinfo=SEOUL)),
        (
            "26 Nov. 2025, 19:12 Updated: 26 Nov. 2025, 19:40",
            datetime(2025, 11, 26, 19, 12, tzinfo=SEOUL),
        ),
    ],
)
def test_published_line_forms(line, expected):
    assert parse_wire(story_bytes(published=line)).published_at == expected


def test_date_line_may_carry_a_colon():
    assert parse_wire(story_bytes().replace(b" date ", b"Date: ", 1)).date == date(2025, 11, 26)


def test_published_time_without_offset_is_in_the_newsroom_time_zone(settings):
    settings.TIME_ZONE = "Europe/London"
    story = parse_wire(story_bytes(published="26 Nov. 2025, 19:12"))
    assert story.published_at.utcoffset() == timedelta(0)
    assert story.published_at.astimezone(UTC).hour == 19


def test_lines_of_a_paragraph_wrapped_by_the_feed_are_joined():
    story = parse_wire(story_bytes(body="First half of a sentence\nand its second half.\n\nNext."))
    assert story.paragraphs == ("First half of a sentence and its second half.", "Next.")


def test_markup_is_kept_as_plain_text():
    story = parse_fixture("markup.txt")
    assert '<script>alert("headline")</script>' in story.headline
    assert '<script>alert("caption")</script>' in story.caption
    assert story.paragraphs[0].endswith('<script>alert("body")</script> & <b>bold</b> stay text.')


@pytest.mark.parametrize(
    ("signoff", "agency", "authors"),
    [
        ("Yonhap", "Yonhap", ()),
        ("YONHAP", "YONHAP", ()),
        (
            "BY KIM MIN-JI [kim.minji@example.com]",
            "",
            (Author("Kim Min-ji", "kim.minji@example.com"),),
        ),
        ("BY PARK JUN-HO", "", (Author("Park Jun-ho"),)),
        (
            "BY LEE HO, CHOI DONG-HYUN [lee.ho@example.com]",
            "",
            (Author("Lee Ho", "lee.ho@example.com"), Author("Choi Dong-hyun")),
        ),
    ],
)  # fmt: skip
def test_signoff_is_an_agency_or_staff_byline(signoff, agency, authors):
    story = parse_wire(story_bytes(signoff=signoff))
    assert (story.agency, story.authors) == (agency, authors)


def test_reference_ignores_case_quotes_and_spacing_of_the_headline():
    plain = parse_wire(story_bytes(headline='Minister calls talks "constructive"'))
    retyped = parse_wire(story_bytes(headline="MINISTER  calls talks “Constructive”"))
    assert plain.source_reference == retyped.source_reference
    assert plain.source_reference == "yonhap:2025-11-26:minister-calls-talks-constructive"
    assert plain.checksum != retyped.checksum


def test_reference_of_a_very_long_headline_fits_the_field():
    story = parse_wire(story_bytes(headline="Very long headline " * 13))
    assert len(story.source_reference) == 255


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("no-date-line.txt", "line 1: no date line"),
        ("impossible-date.txt", "line 1: impossible date 2025-02-30"),
        ("impossible-time.txt", "line 2: impossible time 25:61"),
        ("no-headline.txt", "line 1: no headline after the date"),
        ("no-body.txt", "no body"),
        ("empty.txt", "empty file"),
        ("binary.txt", "not UTF-8 text"),
    ],
)
def test_bad_fixture_is_refused_with_one_clear_line(name, message):
    with pytest.raises(WireError) as refused:
        parse_fixture(f"bad/{name}")
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b" \xc2\xa0\n\r\n  \n", "empty file"),
        (b"\xff\xfed\x00a\x00t\x00e\x00", "UTF-16 text"),
        (b" date 2025-11-26  Headline\x00\x01\x02\nPublished: 26 Nov. 2025", "binary data"),
        (b" date 26/11/2025  Headline\n", "line 1: '26/11/2025' is not a date"),
        (b" date 2025-11-26  Headline\n", "line 1: no Published line"),
        (b" date 2025-11-26  Headline\nBy Yonhap\n\nBody.\n\nYonhap", "line 2: expected the Pub"),
        (b" date 2025-11-26  Headline\nPublished: 26 Nov. 2025, 19:12\n \n", "no body"),
        (HEAD + b"Published: 31 Nov. 2025, 19:12\n", "line 2: impossible date 31 Nov 2025"),
        (HEAD + b"Published: 26 Novem 2025, 19:12\n", "line 2: unknown month 'Novem'"),
        (HEAD + b"Published: 26 Nov. 2025, 19:12 Mars\n", "line 2: unknown time zone 'Mars'"),
        (HEAD + b"Published: yesterday\n", "line 2: cannot read the publication time"),
        (HEAD + b"Published: 26 Nov. 2025, 19:12 Updated: 26 Nov. 2025, 24:00", "line 2: imp"),
        (b" date 2025-11-26  " + b"x" * 256 + b"\n", "line 1: headline is 256 characters"),
        (b" date 2025-11-26  Headline\nPublished: 26 Nov. 2025, 19:12\n\nYonhap\n", "no body"),
        (b"x" * (1024 * 1024 + 1), "larger than 1024 KB"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_one_clear_line(data, message):
    with pytest.raises(WireError) as refused:
        parse_wire(data)
    assert str(refused.value).startswith(message)


@pytest.mark.parametrize(
    "last_line",
    [
        "The two sides agreed to meet again in Bangkok next year.",
        "By the end of the talks, both sides had agreed to meet again.",
        "BY KIM MIN-JI [not-an-address]",
    ],
)
def test_story_whose_last_line_is_no_signoff_is_refused(last_line):
    with pytest.raises(WireError, match="sign-off"):
        parse_wire(story_bytes(signoff=last_line))


def test_last_line_ending_in_a_bracket_is_the_signoff_not_a_caption():
    story = parse_wire(story_bytes(caption="", signoff="BY KIM MIN-JI [kim.minji@example.com]"))
    assert story.caption == ""
    assert story.authors[0].email == "kim.minji@example.com"
