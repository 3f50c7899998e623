import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Article, TopicSuggestion
from tests.support.admin_forms import change_url, form_values
from tests.support.factories import ArticleFactory, TopicFactory, UserFactory
from tests.support.wire import FIXTURES, SAMPLE, story_bytes

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:articles_article_import_wire")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/plain")


def staff_client(client, *codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


# The import page --------------------------------------------------------------------------


def test_article_list_links_to_the_import_page(editor_client):
    assertContains(editor_client.get(CHANGELIST_URL), f'href="{IMPORT_URL}"')


def test_article_list_hides_the_import_link_from_those_who_cannot_add_articles(client):
    staff = staff_client(client, "view_article", "change_article")
    assertNotContains(staff.get(CHANGELIST_URL), IMPORT_URL)


def test_import_page_refuses_staff_who_cannot_add_articles(client):
    staff = staff_client(client, "view_article", "change_article")
    response = staff.post(IMPORT_URL, {"files": [upload("a.txt", story_bytes())]})
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_import_page_sends_anonymous_visitors_to_the_login(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_import_page_offers_a_multiple_file_field(editor_client):
    response = editor_client.get(IMPORT_URL)
    assertContains(response, 'type="file" name="files"')
    assertContains(response, "multiple")
    assertContains(response, 'enctype="multipart/form-data"')


def test_uploading_several_files_imports_each_and_reports_each(editor_client, editor):
    files = [
        upload(SAMPLE.name, SAMPLE.read_bytes()),
        upload("no-body.txt", (FIXTURES / "bad" / "no-body.txt").read_bytes()),
        upload("hangul.txt", (FIXTURES / "hangul.txt").read_bytes()),
    ]
    response = editor_client.post(IMPORT_URL, {"files": files})

    assert response.status_code == 200
    outcomes = [(r.name, r.outcome) for r in response.context["results"]]
    assert outcomes == [
        (SAMPLE.name, "imported"),
        ("no-body.txt", "failed"),
        ("hangul.txt", "imported"),
    ]
    assertContains(response, "Imported 2, Updated 0, Unchanged 0, Skipped 0, Failed 1")
    assertContains(response, "no body: only a caption and a sign-off")
    sample = Article.objects.get(source_reference__startswith="yonhap:2025-11-26:")
    assertContains(
        response,
        f'<a href="{reverse("admin:articles_article_change", args=[sample.pk])}">'
        f"{sample.headline}</a>",
        html=True,
    )
    assert (sample.created_by, sample.updated_by) == (editor, None)
    assert Article.objects.count() == 2


def test_uploading_the_same_file_again_reports_it_unchanged(editor_client):
    editor_client.post(IMPORT_URL, {"files": [upload("a.txt", story_bytes())]})
    response = editor_client.post(IMPORT_URL, {"files": [upload("a.txt", story_bytes())]})
    assert [r.outcome for r in response.context["results"]] == ["unchanged"]
    assert Article.objects.count() == 1


def test_oversized_upload_fails_alone_and_the_rest_is_imported(editor_client):
    huge = story_bytes(body="word " * 300_000)
    files = [upload("huge.txt", huge), upload("fine.txt", story_bytes(headline="Fine"))]
    response = editor_client.post(IMPORT_URL, {"files": files})
    results = response.context["results"]
    assert results[0].outcome == "failed"
    assert results[0].message.startswith("larger than 1024 KB")
    assert results[1].outcome == "imported"
    assert list(Article.objects.values_list("headline", flat=True)) == ["Fine"]


def test_empty_upload_fails_alone_and_the_rest_is_imported(editor_client):
    files = [upload("empty.txt", b""), upload("fine.txt", story_bytes())]
    response = editor_client.post(IMPORT_URL, {"files": files})
    results = [(r.name, r.outcome, r.message) for r in response.context["results"]]
    assert results[0] == ("empty.txt", "failed", "empty file")
    assert results[1][1] == "imported"


def test_posting_no_file_shows_an_error(editor_client):
    response = editor_client.post(IMPORT_URL, {})
    assert response.status_code == 200
    assertContains(response, "This field is required.")


def test_markup_in_an_uploaded_file_is_shown_as_text_in_the_results(editor_client):
    data = (FIXTURES / "markup.txt").read_bytes()
    response = editor_client.post(IMPORT_URL, {"files": [upload("<b>x</b>.txt", data)]})
    assertContains(response, "&lt;script&gt;alert(&quot;headline&quot;)&lt;/script&gt;")
    assertNotContains(response, '<script>alert("headline")')


# Topic suggestions on the article form ----------------------------------------------------


@pytest.fixture
def suggested():
    article = ArticleFactory(headline="Korea and Thailand discuss CEPA", slug="cepa-talks")
    cepa, defense, scams = (TopicFactory(name=n) for n in ("CEPA", "defense", "online scams"))
    suggestions = [
        TopicSuggestion.objects.create(article=article, topic=cepa, matched_text="CEPA"),
        TopicSuggestion.objects.create(article=article, topic=defense, matched_text="defence"),
        TopicSuggestion.objects.create(
            article=article, topic=scams, status=TopicSuggestion.Status.DISMISSED
        ),
    ]
    return article, suggestions


def change_data(client, article, decisions: dict):
    """The article form as the desk shows it, with a decision for each given suggestion."""
    data = form_values(client.get(change_url(article)))
    shown = int(data["topic_suggestions-TOTAL_FORMS"][0])
    for index in range(shown):
        suggestion_id = data[f"topic_suggestions-{index}-id"][0]
        for suggestion, status in decisions.items():
            if str(suggestion.pk) == suggestion_id:
                data[f"topic_suggestions-{index}-status"] = [status]
    return data


def test_change_form_shows_pending_suggestions_with_accept_and_dismiss(editor_client, suggested):
    article, _ = suggested
    response = editor_client.get(change_url(article))
    assertContains(response, "Suggested topics")
    assertContains(response, "defence")
    assertContains(response, 'value="accepted"', count=2)
    assertContains(response, 'value="dismissed"', count=2)
    assertNotContains(response, "online scams</")  # dismissed: decided, not shown again


def test_change_form_of_a_story_without_pending_suggestions_has_no_suggestion_section(
    editor_client,
):
    response = editor_client.get(change_url(ArticleFactory()))
    assertNotContains(response, "Suggested topics")
    assertNotContains(response, "topic_suggestions-TOTAL_FORMS")


def test_editor_accepts_one_suggestion_and_dismisses_another(editor_client, editor, suggested):
    article, (cepa, defense, _) = suggested
    response = editor_client.post(
        change_url(article),
        change_data(editor_client, article, {cepa: "accepted", defense: "dismissed"}),
    )
    assertRedirects(response, CHANGELIST_URL)
    cepa.refresh_from_db()
    defense.refresh_from_db()
    assert (cepa.status, defense.status) == ("accepted", "dismissed")
    assert list(article.topics.values_list("name", flat=True)) == ["CEPA"]
    article.refresh_from_db()
    assert article.updated_by == editor  # the draft is now the desk's: re-import leaves it


def test_accepted_topic_joins_topics_picked_in_the_same_save(editor_client, suggested):
    article, (cepa, defense, _) = suggested
    picked = TopicFactory(name="trade")
    data = change_data(editor_client, article, {cepa: "accepted", defense: "pending"})
    data["topics"] = [str(picked.pk)]
    assertRedirects(editor_client.post(change_url(article), data), CHANGELIST_URL)
    assert set(article.topics.values_list("name", flat=True)) == {"trade", "CEPA"}
    defense.refresh_from_db()
    assert defense.status == "pending"


@pytest.mark.parametrize("role", ["Editor", "Administrator"])
def test_desk_roles_see_and_decide_suggestions(client, make_user, suggested, role):
    """Members of the role groups, not only users holding every permission directly."""
    article, (cepa, defense, _) = suggested
    client.force_login(make_user(role))
    assertContains(client.get(change_url(article)), 'id="topic_suggestions-group"')
    response = client.post(change_url(article), change_data(client, article, {cepa: "accepted"}))
    assertRedirects(response, CHANGELIST_URL)
    assert list(article.topics.values_list("name", flat=True)) == ["CEPA"]


def test_suggestion_decisions_need_the_permission_to_change_suggestions(client, suggested):
    article, (cepa, defense, _) = suggested
    staff = staff_client(
        client, "view_article", "change_article", "change_any_article", "view_topicsuggestion"
    )
    response = staff.post(change_url(article), change_data(staff, article, {cepa: "accepted"}))
    assertRedirects(response, CHANGELIST_URL)
    cepa.refresh_from_db()
    assert cepa.status == "pending"
    assert not article.topics.exists()


def test_saving_a_form_opened_before_suggestions_arrived_still_works(editor_client):
    article = ArticleFactory()
    data = form_values(editor_client.get(change_url(article)))
    data["headline"] = ["Edited headline"]
    # The form was loaded with no suggestion section; one arrives before the editor saves.
    TopicSuggestion.objects.create(article=article, topic=TopicFactory(name="CEPA"))
    assertRedirects(editor_client.post(change_url(article), data), CHANGELIST_URL)
    article.refresh_from_db()
    assert article.headline == "Edited headline"
    assert article.topic_suggestions.get().status == "pending"
