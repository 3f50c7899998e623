import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.demo.newsroom import DEMO_FILE
from articles.models import (
    Article,
    ArticlePhoto,
    Byline,
    Contributor,
    Photo,
    Topic,
    TopicAlias,
    TopicSuggestion,
    WireItem,
)
from articles.wire.importer import Outcome, WireImporter
from articles.wire.suggestions import TopicMatcher, current_matcher
from tests.support.factories import (
    ArticleFactory,
    ContributorFactory,
    PhotoFactory,
    TopicFactory,
    UserFactory,
)
from tests.support.wire import FIXTURES, SAMPLE, import_data, import_file, story_bytes

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def demo_topics():
    """The demo newsroom's topics with their aliases ("defense industry" -> defense...)."""
    topics = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["topics"]
    for item in topics:
        topic = Topic.objects.create(name=item["name"], slug=item["slug"])
        TopicAlias.objects.bulk_create(TopicAlias(topic=topic, name=n) for n in item["aliases"])
    return {topic.name: topic for topic in Topic.objects.all()}


def import_bytes(data: bytes, name: str = "story.txt", **kwargs):
    return import_data(data, name=name, importer=WireImporter(**kwargs))


def import_sample():
    return import_bytes(SAMPLE.read_bytes(), name=SAMPLE.name)


def row_counts() -> dict[str, int]:
    models = [Article, Byline, Photo, ArticlePhoto, Contributor, TopicSuggestion]
    return {model.__name__: model.objects.count() for model in models}


# The shared sample: the "done when" ---------------------------------------------------


def test_shared_sample_imports_to_a_draft_with_headline_time_caption_credit_and_byline(
    demo_topics,
):
    result = import_sample()

    assert result.outcome == Outcome.IMPORTED
    article = Article.objects.get(pk=result.article_id)
    assert article.headline == (
        "Korea and Thailand discuss defense partnership, coordinated response to online scams"
    )
    assert article.status == Article.Status.DRAFT
    # Readers will get the time an editor publishes it; the agency's time is kept beside it.
    assert article.publish_at is None
    assert timezone.localtime(article.source_published_at, SEOUL) == datetime(
        2025, 11, 26, 19, 12, tzinfo=SEOUL
    )
    assert article.body.startswith("<p>Senior diplomats from Korea and Thailand agreed")
    assert article.body.count("<p>") == 10
    placement = article.photo_placements.select_related("photo").get()
    assert placement.position == 0
    assert placement.photo.caption.endswith("at the foreign ministry in Seoul, on Nov. 26.")
    assert placement.photo.credit == "Yonhap"
    assert placement.photo.awaiting_image
    [byline] = article.bylines.select_related("contributor")
    assert byline.contributor.name == "Yonhap"
    assert byline.contributor.kind == Contributor.Kind.AGENCY
    assert byline.role == Byline.Role.WRITTEN_BY
    assert article.source_agency == byline.contributor
    assert article.source_reference == (
        "yonhap:2025-11-26:"
        "korea-and-thailand-discuss-defense-partnership-coordinated-response-to-online-scams"
    )
    assert article.updated_by is None
    suggested = {s.topic.name: s.matched_text for s in article.topic_suggestions.all()}
    assert {"CEPA", "defense", "online scams"} <= set(suggested)
    assert suggested["CEPA"] == "Comprehensive Economic Partnership Agreement"
    assert not article.topics.exists()


def test_reimporting_the_shared_sample_changes_nothing(demo_topics):
    first = import_sample()
    article = Article.objects.get()
    before = (row_counts(), article.updated_at, article.body)

    again = import_sample()

    assert again.outcome == Outcome.UNCHANGED
    assert again.article_id == first.article_id
    article.refresh_from_db()
    assert (row_counts(), article.updated_at, article.body) == before


def test_imported_draft_is_invisible_to_readers_and_its_photo_awaits_its_image(client):
    import_sample()
    article = Article.objects.get()
    assert article not in Article.objects.published()
    assert client.get(article.get_absolute_url()).status_code == 404
    Photo.objects.update(alt_text="Two diplomats at the start of their talks")
    article.publish(by=None)
    assert article.lead_placement is None  # no image file yet: readers see no photo at all
    assert client.get(article.get_absolute_url()).status_code == 200


# Agencies, staff and credits --------------------------------------------------------------


def test_agency_is_created_on_first_sight_and_reused_after():
    import_bytes(story_bytes(headline="First story"))
    import_bytes(story_bytes(headline="Second story", signoff="YONHAP"))
    agency = Contributor.objects.get()
    assert (agency.name, agency.slug, agency.kind) == ("Yonhap", "yonhap", "agency")
    assert Article.objects.filter(source_agency=agency).count() == 2


def test_existing_agency_is_used_whatever_the_case_of_the_signoff():
    agency = ContributorFactory(name="Yonhap", slug="yonhap-news", kind="agency")
    result = import_bytes(story_bytes(signoff="YONHAP"))
    assert Article.objects.get(pk=result.article_id).source_agency == agency
    assert Contributor.objects.count() == 1


def test_agency_is_not_confused_with_a_person_holding_its_slug():
    person = ContributorFactory(name="Yonhap", slug="yonhap", kind="staff")
    result = import_bytes(story_bytes())
    agency = Article.objects.get(pk=result.article_id).source_agency
    assert agency != person
    assert (agency.kind, agency.slug) == ("agency", "yonhap-2")


def test_staff_signoff_credits_the_staff_contributor_found_by_address():
    kim = ContributorFactory(name="Kim Min-ji", email="kim.minji@example.com", kind="staff")
    result = import_file(FIXTURES / "curly-quotes.txt")

    article = Article.objects.get(pk=result.article_id)
    assert [b.contributor for b in article.bylines.all()] == [kim]
    assert article.source_agency is None
    assert article.source_reference.startswith("staff:2025-11-29:")
    assert article.photo_placements.get().photo.credit == "JOONGANG ILBO"


def test_staff_signoff_of_someone_new_creates_a_staff_contributor():
    import_bytes(story_bytes(signoff="BY LEE HO [lee.ho@example.com]"))
    person = Contributor.objects.get()
    assert (person.name, person.email, person.kind) == ("Lee Ho", "lee.ho@example.com", "staff")


def test_staff_story_is_stored_once_too():
    data = story_bytes(signoff="BY LEE HO [lee.ho@example.com]")
    import_bytes(data)
    assert import_bytes(data).outcome == Outcome.UNCHANGED
    assert Article.objects.count() == 1


def test_staff_stories_without_agency_cannot_share_a_reference():
    ArticleFactory(source_agency=None, source_reference="staff:2025-11-26:same")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(source_agency=None, source_reference="staff:2025-11-26:same")


def test_credit_of_another_known_agency_is_written_as_the_newsroom_writes_it():
    ContributorFactory(name="News1", slug="news1", kind="agency")
    result = import_file(FIXTURES / "crlf.txt")
    assert Article.objects.get(pk=result.article_id).photo_placements.get().photo.credit == "News1"


def test_credit_of_an_unknown_source_is_kept_as_printed():
    result = import_bytes(story_bytes(caption="A screen in Seoul on Nov. 26. [SCREEN CAPTURE]"))
    article = Article.objects.get(pk=result.article_id)
    assert article.photo_placements.get().photo.credit == "SCREEN CAPTURE"


# Each variation of the format -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "headline", "byline", "credit"),
    [
        ("bom.txt", "Busan port extends night shifts as chip exports climb", "Yonhap", "Yonhap"),
        ("crlf.txt", "Seoul subway adds late trains for year-end crowds", "News1", "News1"),
        (
            "curly-quotes.txt",
            "Minister calls talks “constructive” as CEPA deal nears",
            "Kim Min-ji",
            "JOONGANG ILBO",
        ),
        ("hangul.txt", "한국과 태국, 온라인 사기 공동 대응 합의", "연합뉴스", None),
        (
            "no-caption.txt",
            "Bangkok hosts regional talks on cross-border scams",
            "Mekong Wire",
            None,
        ),
    ],
)  # fmt: skip
def test_each_fixture_imports_to_a_draft(name, headline, byline, credit):
    result = import_file(FIXTURES / name)

    assert result.outcome == Outcome.IMPORTED, result.message
    article = Article.objects.get(pk=result.article_id)
    assert article.headline == headline
    assert [b.contributor.name for b in article.bylines.all()] == [byline]
    photo = article.photo_placements.first()
    assert (photo.photo.credit if photo else None) == credit
    assert article.body.count("<p>") == 2


def test_hangul_headline_gets_a_hangul_slug():
    result = import_file(FIXTURES / "hangul.txt")
    assert (
        Article.objects.get(pk=result.article_id).slug == "한국과-태국-온라인-사기-공동-대응-합의"
    )


def test_markup_in_wire_text_is_stored_as_text_and_shown_literally(client):
    result = import_file(FIXTURES / "markup.txt")
    article = Article.objects.get(pk=result.article_id)
    assert "<script" not in article.body
    assert "&lt;script&gt;" in article.body
    assert "&lt;b&gt;bold&lt;/b&gt;" in article.body

    # Once the photo desk adds the picture and the story is published, readers see the text.
    photo = article.photo_placements.get().photo
    photo.image = PhotoFactory.build().image
    photo.alt_text = "Lawmakers in the chamber"
    photo.save()
    article.publish(by=None)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;headline&quot;)&lt;/script&gt;" in page
    assert "&lt;script&gt;alert(&quot;caption&quot;)&lt;/script&gt;" in page


def test_two_stories_with_the_same_headline_on_different_days_get_their_own_slugs():
    first = import_bytes(story_bytes(date="2025-11-26"))
    second = import_bytes(story_bytes(date="2025-11-27"))
    slugs = set(Article.objects.values_list("slug", flat=True))
    assert first.article_id != second.article_id
    assert slugs == {
        "korea-and-thailand-discuss-defense-ties",
        "korea-and-thailand-discuss-defense-ties-2",
    }


def test_same_headline_twice_in_one_batch_gets_two_slugs():
    files = [
        ("a.txt", lambda: story_bytes(date="2025-11-26")),
        ("b.txt", lambda: story_bytes(date="2025-11-27")),
    ]
    assert [r.outcome for r in WireImporter().import_all(files)] == ["imported", "imported"]
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "korea-and-thailand-discuss-defense-ties",
        "korea-and-thailand-discuss-defense-ties-2",
    ]


# Re-import -------------------------------------------------------------------------------


def test_changed_story_updates_the_untouched_draft():
    import_bytes(story_bytes(body="First version.", caption="Old caption. [YONHAP]"))
    article = Article.objects.get()

    result = import_bytes(
        story_bytes(
            body="Second version.", caption="New caption. [YONHAP]", published="26 Nov. 2025, 20:00"
        )
    )

    assert result.outcome == Outcome.UPDATED
    assert result.article_id == article.pk
    article.refresh_from_db()
    assert article.body == "<p>Second version.</p>"
    assert timezone.localtime(article.source_published_at, SEOUL).hour == 20
    assert article.updated_by is None
    assert article.photo_placements.get().photo.caption == "New caption."
    assert (Article.objects.count(), Photo.objects.count(), Byline.objects.count()) == (1, 1, 1)


def test_update_without_caption_removes_the_photo_still_waiting_for_its_image():
    import_bytes(story_bytes(body="First version."))
    import_bytes(story_bytes(body="Second version.", caption=""))
    assert not ArticlePhoto.objects.exists()
    assert not Photo.objects.exists()


@pytest.mark.parametrize(
    "touch",
    [
        lambda article: setattr(article, "updated_by", UserFactory()),
        lambda article: setattr(article, "status", Article.Status.IN_REVIEW),
    ],
    ids=["saved-by-an-editor", "moved-on-in-the-workflow"],
)
def test_draft_an_editor_touched_is_skipped_on_reimport(touch):
    import_bytes(story_bytes(body="First version."))
    article = Article.objects.get()
    touch(article)
    article.body = "<p>Edited by the desk.</p>"
    article.save()

    result = import_bytes(story_bytes(body="Second version."))

    assert result.outcome == Outcome.SKIPPED
    assert result.message == (
        "edited by an editor; left as it is; the new version waits on the wire desk"
    )
    article.refresh_from_db()
    assert article.body == "<p>Edited by the desk.</p>"
    assert Article.objects.count() == 1
    item = WireItem.objects.get()
    assert item.state == WireItem.State.UPDATED
    assert item.pending["paragraphs"] == ["Second version."]


def test_published_story_is_never_overwritten_by_the_wire():
    import_bytes(story_bytes(body="First version."))
    Photo.objects.update(alt_text="A described picture")
    Article.objects.get().publish(by=None)
    assert import_bytes(story_bytes(body="Second version.")).outcome == Outcome.SKIPPED
    assert Article.objects.get().body == "<p>First version.</p>"


def test_story_created_by_a_concurrent_import_is_found_not_duplicated(monkeypatch):
    """Another import wins between our look-ups and our inserts: the constraint catches it,
    the chunk is dropped, and the file alone is tried again until it finds the story."""
    import_bytes(story_bytes())
    real_lookup = WireImporter._existing
    lookups = []

    def stale_first_lookup(story, agency):
        lookups.append(story)
        return None if len(lookups) == 1 else real_lookup(story, agency)

    monkeypatch.setattr(WireImporter, "_delivered", staticmethod(lambda digests: {}))
    monkeypatch.setattr(WireImporter, "_known_articles", staticmethod(lambda keys: {}))
    monkeypatch.setattr(WireImporter, "_existing", staticmethod(stale_first_lookup))

    result = import_bytes(story_bytes())

    assert result.outcome == Outcome.UNCHANGED
    assert len(lookups) == 2
    assert Article.objects.count() == 1


def test_a_failing_chunk_is_retried_file_by_file_and_keeps_the_good_ones(monkeypatch):
    import_bytes(story_bytes(headline="Already here"))
    monkeypatch.setattr(WireImporter, "_delivered", staticmethod(lambda digests: {}))
    monkeypatch.setattr(WireImporter, "_known_articles", staticmethod(lambda keys: {}))
    files = [
        ("new.txt", lambda: story_bytes(headline="Brand new")),
        ("old.txt", lambda: story_bytes(headline="Already here")),
        ("bad.txt", lambda: b""),
    ]
    results = list(WireImporter().import_all(files))
    assert [r.outcome for r in results] == ["imported", "unchanged", "failed"]
    assert Article.objects.count() == 2


def test_a_story_twice_in_one_batch_is_created_once():
    files = [("a.txt", story_bytes), ("b.txt", story_bytes)]
    results = list(WireImporter().import_all(files))
    assert [r.outcome for r in results] == ["imported", "unchanged"]
    assert results[0].article_id == results[1].article_id


def test_chunks_of_new_and_known_stories_are_sorted_out_together(demo_topics):
    import_bytes(story_bytes(headline="Known and unchanged"))
    import_bytes(story_bytes(headline="Known and changed", body="Old text."))
    import_bytes(story_bytes(headline="Known and edited"))
    Article.objects.filter(headline="Known and edited").update(updated_by=UserFactory())
    files = [
        ("1.txt", lambda: story_bytes(headline="Known and unchanged")),
        ("2.txt", lambda: story_bytes(headline="Known and changed", body="New text.")),
        ("3.txt", lambda: story_bytes(headline="Known and edited", body="New text.")),
        ("4.txt", lambda: story_bytes(headline="Fresh one", body="Talks on AI.")),
        ("5.txt", lambda: story_bytes(headline="Fresh two", signoff="BY LEE HO")),
    ]
    results = list(WireImporter().import_all(files))
    assert [r.outcome for r in results] == [
        "unchanged",
        "updated",
        "skipped",
        "imported",
        "imported",
    ]
    fresh = Article.objects.get(headline="Fresh one")
    assert fresh.topic_suggestions.filter(topic__name="AI").exists()
    assert fresh.photo_placements.get().photo.credit == "Yonhap"
    assert Article.objects.get(headline="Fresh two").bylines.get().contributor.name == "Lee Ho"


def test_dismissed_suggestion_stays_dismissed_when_the_story_is_updated(demo_topics):
    import_bytes(story_bytes(body="Talks on the defense industry and online scams."))
    dismissed = TopicSuggestion.objects.get(topic__name="defense")
    dismissed.dismiss()

    import_bytes(story_bytes(body="Talks on the defense industry, online scams and AI."))

    statuses = dict(TopicSuggestion.objects.values_list("topic__name", "status"))
    assert statuses == {
        "Thailand": "pending",
        "defense": "dismissed",
        "online scams": "pending",
        "AI": "pending",
    }


def test_pending_suggestion_no_longer_named_by_the_update_is_dropped(demo_topics):
    import_bytes(story_bytes(headline="Talks", body="Talks on phishing."))
    import_bytes(story_bytes(headline="Talks", body="Talks on chips."))
    assert list(TopicSuggestion.objects.values_list("topic__name", flat=True)) == ["semiconductors"]


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "bad").iterdir()))
def test_bad_file_fails_with_its_name_and_writes_nothing(name):
    ContributorFactory(name="Existing", slug="existing")
    before = row_counts()
    result = import_file(FIXTURES / "bad" / name)
    assert result.outcome == Outcome.FAILED
    assert result.message
    assert row_counts() == before


def test_story_failing_after_its_agency_was_created_leaves_no_agency_behind(monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("photo table is broken")

    monkeypatch.setattr(Photo.objects, "bulk_create", fail)
    importer = WireImporter()
    result = import_data(story_bytes(signoff="Brand New Agency"), name="a.txt", importer=importer)
    assert result.outcome == Outcome.FAILED
    assert "could not be saved" in result.message
    assert not Contributor.objects.exists()
    monkeypatch.undo()
    # The failed file's agency was not remembered: the next file creates it for real.
    assert import_data(
        story_bytes(signoff="Brand New Agency"), name="b.txt", importer=importer
    ).outcome == (Outcome.IMPORTED)
    assert Contributor.objects.get().name == "Brand New Agency"


def test_missing_file_fails_cleanly(tmp_path):
    result = import_file(tmp_path / "gone.txt")
    assert (result.outcome, result.message) == (Outcome.FAILED, "No such file or directory")


# Topic suggestions ----------------------------------------------------------------------


def matcher_for(*names):
    return TopicMatcher.build(list(enumerate(names, start=1)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Comprehensive Economic Partnership Agreement (CEPA) talks",
            {1: "Comprehensive Economic Partnership Agreement"},
        ),
        ("the DEFENSE INDUSTRY grows", {2: "DEFENSE INDUSTRY"}),
        ("defenseless and undefended", {}),
        ("online scams rise; scams online fall", {3: "online scams"}),
        ("online\u00a0 scams", {3: "online scams"}),
        ("한국어 교육", {}),
        ("한국 경제", {4: "한국"}),
        ("Korea’s CEPA", {1: "CEPA"}),
    ],
)  # fmt: skip
def test_matcher_finds_whole_names_and_aliases_in_any_case(text, expected):
    matcher = TopicMatcher.build(
        [
            (1, "CEPA"),
            (1, "Comprehensive Economic Partnership Agreement"),
            (2, "defense"),
            (2, "defense industry"),
            (3, "online scams"),
            (4, "한국"),
        ]
    )
    assert matcher.find(text) == expected


def test_matcher_prefers_the_longest_name():
    matcher = TopicMatcher.build([(1, "North"), (2, "North Korea")])
    assert matcher.find("North Korea said") == {2: "North Korea"}
    assert matcher.find("the North said") == {1: "North"}


def test_a_topic_is_suggested_once_per_story():
    suggestion = TopicSuggestion.objects.create(article=ArticleFactory(), topic=TopicFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicSuggestion.objects.create(article=suggestion.article, topic=suggestion.topic)


def test_matcher_with_no_topics_finds_nothing():
    assert TopicMatcher.build([]).find("anything at all") == {}


def test_matcher_is_rebuilt_when_a_topic_is_renamed_and_reused_otherwise():
    topic = TopicFactory(name="chips")
    first = current_matcher()
    assert current_matcher() is first
    topic.name = "semiconductors"
    topic.save()
    renamed = current_matcher()
    assert renamed is not first
    assert renamed.find("chips and semiconductors") == {topic.pk: "semiconductors"}
    TopicAlias.objects.create(topic=topic, name="chips")
    assert current_matcher().find("chips") == {topic.pk: "chips"}


# Cost ------------------------------------------------------------------------------------


def test_importing_one_story_takes_a_fixed_number_of_queries(
    demo_topics, django_assert_max_num_queries
):
    """Delivered files, savepoint, look-up, slug, article, byline, photo, placement,
    suggestions, wire item, release.

    Eleven, however many topics exist or match (the test runs inside a transaction, so the
    file's own transaction shows as a savepoint).
    """
    importer = WireImporter()
    import_data(
        story_bytes(headline="Warm-up", signoff="Yonhap"), name="warm.txt", importer=importer
    )
    TopicFactory.create_batch(50)
    importer = WireImporter()
    importer.contributors  # noqa: B018 - agencies load once per batch, not per story
    importer.matcher  # noqa: B018 - the matcher is built once per batch, not per story
    data = story_bytes(body="Talks on the defense industry, online scams, AI and chips.")
    with django_assert_max_num_queries(11):
        result = import_data(data, name="story.txt", importer=importer)
    assert result.outcome == Outcome.IMPORTED
    assert TopicSuggestion.objects.filter(article_id=result.article_id).count() == 5


# The command ------------------------------------------------------------------------------


def test_command_imports_a_folder_recursively_and_reports_every_bad_file(capsys):
    # 7 plain-text stories and 5 in the agency formats; 7 bad plain files and 3 hostile XML.
    with pytest.raises(CommandError, match="10 of 22 files failed"):
        call_command("import_wire", str(FIXTURES))
    out, err = capsys.readouterr()
    assert "imported 12, updated 0, unchanged 0, skipped 0, failed 10" in out
    assert f"failed: {FIXTURES / 'bad' / 'impossible-time.txt'}: line 2: impossible time" in err
    assert len(err.strip().splitlines()) == 10  # one line per bad file
    assert Article.objects.count() == 12


def test_command_run_twice_reports_unchanged(capsys):
    call_command("import_wire", str(SAMPLE))
    call_command("import_wire", str(SAMPLE))
    assert "imported 0, updated 0, unchanged 1, skipped 0, failed 0" in capsys.readouterr().out
    assert Article.objects.count() == 1


def test_command_dry_run_writes_nothing_and_says_what_would_happen(capsys):
    call_command("import_wire", str(SAMPLE), str(FIXTURES / "hangul.txt"), "--dry-run")
    out = capsys.readouterr().out
    assert f"would be imported: {SAMPLE}: new draft: Korea and Thailand discuss" in out
    assert "Dry run (nothing written): imported 2, updated 0" in out
    assert not Article.objects.exists()
    assert not Contributor.objects.exists()


def test_command_prints_progress_lines_when_not_on_a_terminal(capsys):
    call_command("import_wire", str(FIXTURES / "bom.txt"), str(SAMPLE), "--progress-every=1")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "1/2 files",
        "2/2 files",
        "imported 2, updated 0, unchanged 0, skipped 0, failed 0",
    ]


def test_command_shows_a_counter_in_place_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    call_command("import_wire", str(FIXTURES / "bom.txt"), str(SAMPLE), stdout=out)
    assert "\r1/2 files" in out.getvalue()
    assert "\r2/2 files\nimported 2, updated 0" in out.getvalue()


def test_command_exits_non_zero_when_a_file_is_missing(capsys):
    with pytest.raises(CommandError, match="1 of 2 files failed"):
        call_command("import_wire", str(SAMPLE), "/no/such/story.txt")
    assert Article.objects.count() == 1
