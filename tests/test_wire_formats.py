"""Agency formats: NewsML-G2, NITF and ninjs import to the drafts plain text gives, and
hostile files are refused with a reason naming the file and the line or path."""

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, MediaTopicCode, Topic, TopicSuggestion, WireItem
from articles.wire.formats import detect, parse_file
from articles.wire.importer import Outcome
from articles.wire.parser import WireError
from tests.support.wire import FIXTURES, import_all_data, import_data, import_file

pytestmark = pytest.mark.django_db

FORMATS = FIXTURES / "formats"
HOSTILE = FIXTURES / "hostile"
SEOUL = ZoneInfo("Asia/Seoul")


def draft_of(path) -> dict:
    result = import_file(path, name=path.name)
    assert result.outcome == Outcome.IMPORTED, result.message
    article = Article.objects.get(pk=result.article_id)
    photo = article.photo_placements.select_related("photo").get().photo
    return {
        "headline": article.headline,
        "body": article.body,
        "dateline": article.dateline,
        "status": article.status,
        "publish_at": article.publish_at,
        "agency_time": article.source_published_at,
        "agency": article.source_agency.name,
        "bylines": [b.contributor.name for b in article.bylines.all()],
        "caption": photo.caption,
        "credit": photo.credit,
    }


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("harbor-newsml.xml", "newsml"),
        ("harbor-nitf.xml", "nitf"),
        ("harbor-ninjs.json", "ninjs"),
        ("harbor-ninjs3.json", "ninjs"),
    ],
)
def test_each_format_imports_to_the_draft_the_plain_text_gives(name, kind):
    assert detect((FORMATS / name).read_bytes()) == kind
    plain = draft_of(FORMATS / "harbor.txt")

    assert draft_of(FORMATS / name) == plain
    assert plain["dateline"] == "BUSAN"
    assert plain["body"].startswith("<p>A new international ferry terminal")  # no dateline
    assert plain["publish_at"] is None  # the editor's publish time, when it comes
    assert plain["agency_time"] == datetime(2025, 11, 26, 19, 12, tzinfo=SEOUL)
    assert plain["bylines"] == ["Yonhap"]
    assert plain["credit"] == "Yonhap"


def test_format_is_told_from_the_bytes_not_the_name():
    data = (FORMATS / "harbor-ninjs.json").read_bytes()
    result = import_data(data, name="misnamed.txt")
    assert result.outcome == Outcome.IMPORTED
    assert WireItem.objects.get().format == "ninjs"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("billion-laughs.xml", "line 2: refused: the file declares XML entities"),
        ("external-entity.xml", "line 2: refused: the file declares XML entities"),
        ("invalid-utf8.xml", "line 3: not UTF-8 (byte 0xe9)"),
    ],
)
def test_hostile_xml_is_refused_naming_file_and_line(name, message):
    result = import_file(HOSTILE / name, name=name)
    assert result.outcome == Outcome.FAILED
    assert result.name == name
    assert result.message.startswith(message)
    assert not Article.objects.exists()


def test_external_dtd_is_never_fetched_and_its_entities_never_expanded():
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE newsItem SYSTEM "http://127.0.0.1:9/never.dtd">\n'
        b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g">\n'
        b"<contentMeta><headline>&remote;</headline></contentMeta></newsItem>"
    )
    with pytest.raises(WireError, match=r"^line \d+: "):
        parse_file(data)


def test_fifty_megabyte_xml_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.xml"
    with path.open("wb") as file:
        file.write(b'<?xml version="1.0"?>\n<newsItem guid="g"><contentMeta><headline>')
        chunk = b"x" * (1024 * 1024)
        for _ in range(50):
            file.write(chunk)
        file.write(b"</headline></contentMeta></newsItem>")
    result = import_file(path, name="huge.xml")
    assert result.outcome == Outcome.FAILED
    assert "larger than 4096 KB" in result.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"uri": "u", "version": "1"}', "$.versioncreated: missing"),
        (b'{"version": "1"}', "$.uri: missing"),
        (b'{"uri": "u",\n "version": x}', "line 2: not JSON"),
        (b"[1, 2]", "$: a ninjs item is a JSON object"),
        (
            b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g"><itemMeta>'
            b"<versionCreated>2025-11-26T19:12:00+09:00</versionCreated></itemMeta>"
            b"<contentMeta/></newsItem>",
            "newsItem/contentMeta/headline: missing",
        ),
        (b"<nitf><head/></nitf>", "nitf/head/docdata/doc-id: no id-string"),
        (b"<rss><channel/></rss>", "rss: not NewsML-G2"),
        (b"<newsItem guid='g'><itemMeta>", "line 1: not well-formed XML"),
    ],
)
def test_broken_items_name_the_path_that_is_wrong(data, message):
    with pytest.raises(WireError) as raised:
        parse_file(data)
    assert str(raised.value).startswith(message)


def test_newsml_package_listing_is_reported_not_imported():
    data = (
        b'<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="p" version="1">'
        b"<itemMeta><itemClass qcode='ninat:composite'/></itemMeta></packageItem>"
    )
    result = import_data(data, name="package.xml")
    assert result.outcome == Outcome.SKIPPED
    assert "package" in result.message


def test_media_topic_codes_suggest_the_mapped_topic_and_count_the_unmapped_ones():
    shipping = Topic.objects.create(name="Shipping", slug="shipping", iptc_code="medtop:20000585")
    result = import_file(FORMATS / "harbor-newsml.xml")
    suggestion = TopicSuggestion.objects.get(article_id=result.article_id)
    assert suggestion.topic == shipping
    assert "medtop:20000585" in suggestion.matched_text
    unmapped = MediaTopicCode.objects.get()
    assert (unmapped.code, unmapped.label, unmapped.seen) == (
        "medtop:04000000",
        "economy, business and finance",
        1,
    )
    assert Topic.objects.count() == 1  # never a topic made by itself


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_is_imported_member_by_member_and_climbing_names_are_refused(tmp_path, capsys):
    archive = tmp_path / "batch.zip"
    archive.write_bytes(
        zipped(
            {
                "harbor.xml": (FORMATS / "harbor-newsml.xml").read_bytes(),
                "../escape.txt": (FORMATS / "harbor.txt").read_bytes(),
                "/etc/passwd.txt": b"x",
                "harbor.jpg": b"not a story",
            }
        )
    )
    with pytest.raises(CommandError, match="2 of 3 files failed"):
        call_command("import_wire", str(archive))
    out, err = capsys.readouterr()
    assert "imported 1," in out
    assert f"failed: {archive}/../escape.txt: refused: the name leads out of the zip" in err
    assert f"failed: {archive}//etc/passwd.txt: refused: the name leads out of the zip" in err
    assert not (tmp_path.parent / "escape.txt").exists()
    assert Article.objects.count() == 1


def test_zip_bomb_is_refused_before_it_is_inflated(tmp_path, capsys):
    archive = tmp_path / "bomb.zip"
    archive.write_bytes(zipped({"story.txt": b"\0" * (64 * 1024 * 1024)}))
    assert archive.stat().st_size < 1024 * 1024
    with pytest.raises(CommandError, match="1 of 1 files failed"):
        call_command("import_wire", str(archive))
    assert "story.txt: refused: inflates to 65536 KB" in capsys.readouterr().err


def test_zip_bomb_within_the_size_limit_is_refused_by_its_ratio(tmp_path, capsys):
    archive = tmp_path / "ratio.zip"
    archive.write_bytes(zipped({"story.txt": b" " * (3 * 1024 * 1024)}))
    with pytest.raises(CommandError):
        call_command("import_wire", str(archive))
    assert "story.txt: refused: compressed too well to be text" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("harbor-newsml.xml", 'qcode="stat:usable"', 'qcode="stat:canceled"'),
        ("harbor-nitf.xml", 'management-status="usable"', 'management-status="canceled"'),
        ("harbor-ninjs.json", '"pubstatus": "usable"', '"pubstatus": "canceled"'),
        ("harbor-ninjs3.json", '"pubStatus": "usable"', '"pubStatus": "canceled"'),
    ],
)
def test_each_format_says_when_the_agency_kills_a_story(name, old, new):
    text = (FORMATS / name).read_text()
    assert old in text
    (story,) = parse_file(text.replace(old, new).encode())
    assert story.withdrawn
    assert story.pub_status == "canceled"


def test_newsml_message_with_two_stories_imports_both():
    item = (FORMATS / "harbor-newsml.xml").read_text()
    second = item.replace("harbor-g2", "harbor-g2-second").replace(
        "Busan opens new ferry terminal", "Second ferry line planned"
    )
    start = second.index("<newsItem guid")
    end = second.index("</newsItem>", start) + len("</newsItem>")
    data = item.replace("</itemSet>", second[start:end] + "</itemSet>").encode()
    results = import_all_data(data, name="message.xml")
    assert [r.outcome for r in results] == [Outcome.IMPORTED, Outcome.IMPORTED]
    assert results[0].name == "message.xml [urn:newsml:example.yna:20251126:harbor-g2]"
    assert Article.objects.count() == 2
