import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles.models import Article, Byline, Photo, TaggedArticle, Topic


@pytest.mark.django_db
def test_generated_archive_has_the_promised_shape(capsys):
    call_command(
        "generate_newsroom", stories=60, topics=40, contributors=10, photos=3, batch_size=25
    )

    assert Article.objects.count() == 60
    assert "Generated 60 stories" in capsys.readouterr().out
    bylines = Byline.objects.values("article").annotate(n=Count("pk")).values_list("n", flat=True)
    assert set(bylines) <= {1, 2, 3}
    topics = (
        TaggedArticle.objects.values("content_object")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    assert min(topics) >= 1
    assert max(topics) <= 6
    # Skewed popularity: the busiest topic holds far more stories than the median one.
    sizes = sorted(Topic.objects.annotate(n=Count("tagged_articles")).values_list("n", flat=True))
    assert sizes[-1] >= 4 * max(sizes[len(sizes) // 2], 1)
    assert Article.objects.published().exists()
    assert not Photo.objects.filter(width__isnull=True).exists()


@pytest.mark.django_db
def test_generating_twice_adds_rather_than_collides():
    call_command("generate_newsroom", stories=5, topics=5, contributors=2, photos=1)
    call_command("generate_newsroom", stories=5, topics=5, contributors=2, photos=1)
    assert Article.objects.count() == 10


def test_counts_below_one_are_refused():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_newsroom", stories=0)
