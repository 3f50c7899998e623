from django.conf import settings
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.sitemaps.views import x_robots_tag
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from articles.fronts import compose as fronts
from articles.models import Article, Contributor, Correction, Section, Topic, TopicAlias
from articles.previews import article_id_from
from articles.public import sitemaps
from articles.public.pagination import keyset_page, paginate
from articles.search import clean_query

RELATED_STORIES = 4
TOPICS_PER_PAGE = 100


def home(request):
    """The home front as editors arranged it (articles/fronts/compose.py)."""
    return render(request, "articles/home.html", {"front": fronts.compose()})


def article_detail(request, year, month, day, slug):
    article = Article.objects.published().for_detail().filter(slug=slug).first()
    if article is None:
        return redirect_renamed_story(slug)
    published_on = timezone.localdate(article.publish_at)
    if (year, month, day) != (published_on.year, published_on.month, published_on.day):
        return redirect(article, permanent=True)
    related = (
        Article.objects.published().related_to(article).for_listing()[:RELATED_STORIES]
        if article.topics.all()
        else []
    )
    return render(request, "articles/article_detail.html", {"article": article, "related": related})


def topic_list(request):
    """Topics readers can find stories in, A to Z, a hundred at a time, with their counts."""
    after = request.GET.get("after", "")[:200]
    topics = list(
        Topic.objects.with_published_stories()
        .filter(name__gt=after)
        .order_by("name")[: TOPICS_PER_PAGE + 1]
    )
    more, topics = len(topics) > TOPICS_PER_PAGE, topics[:TOPICS_PER_PAGE]
    counts = Article.objects.published().count_by_topic([topic.pk for topic in topics])
    for topic in topics:
        topic.story_count = counts.get(topic.pk, 0)
    return render(
        request,
        "articles/topic_list.html",
        {"topics": topics, "next_after": topics[-1].name if more else None, "after": after},
    )


def topic_detail(request, slug):
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        return redirect_topic_alias(slug)
    page = keyset_page(
        request, Article.objects.published().in_topic(topic).newest_first().for_listing()
    )
    return render(request, "articles/topic_detail.html", {"topic": topic, "page": page})


def section_detail(request, slug):
    section = get_object_or_404(Section.objects.select_related("front"), slug=slug)
    page = keyset_page(
        request, Article.objects.published().in_section(section).newest_first().for_listing()
    )
    front = fronts.section_front(request, section)
    return render(
        request,
        "articles/section_detail.html",
        {"section": section, "page": page, "front": front},
    )


def contributor_detail(request, slug):
    contributor = get_object_or_404(Contributor, slug=slug)
    page = keyset_page(
        request,
        Article.objects.published().by_contributor(contributor).newest_first().for_listing(),
    )
    return render(
        request, "articles/contributor_detail.html", {"contributor": contributor, "page": page}
    )


def redirect_topic_alias(slug):
    """A 301 from another name's address (`/topics/defence/`) or a merged topic's old one."""
    alias = TopicAlias.objects.at(slug).select_related("topic").first()
    if alias is None:
        raise Http404("No such topic.")
    return redirect(alias.topic, permanent=True)


def redirect_renamed_story(slug):
    """A 301 from the address a story had before its slug changed, if readers may see it."""
    article = Article.objects.published().formerly_at(slug).first()
    if article is None:
        raise Http404("No such story.")
    return redirect(article, permanent=True)


@never_cache
def preview(request, token):
    """A story as readers would see it, for anyone holding a valid signed link."""
    article_id = article_id_from(token)
    if article_id is None:
        raise Http404("This preview link is not valid, or has expired.")
    article = get_object_or_404(Article.objects.previewable().for_detail(), pk=article_id)
    if article.publish_at is None:
        # Shown as if published now; nothing is saved.
        article.publish_at = timezone.now()
    response = render(request, "articles/article_preview.html", {"article": article})
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is in the address: do not hand it to other sites through the Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response


def corrections(request):
    """Every correction, clarification and update on stories readers can see, newest first."""
    page = paginate(request, Correction.objects.public().newest_first().for_listing())
    return render(request, "articles/corrections.html", {"page": page})


def search(request):
    query = clean_query(request.GET.get("q"))
    page = (
        paginate(request, Article.objects.published().search(query).for_listing())
        if query
        else None
    )
    return render(request, "articles/search.html", {"query": query, "page": page})


@x_robots_tag
def sitemap_index(request):
    entries = [
        {**entry, "location": request.build_absolute_uri(entry["location"])}
        for entry in sitemaps.index_entries()
    ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def sitemap_section(request, section):
    sitemap = sitemaps.sitemap_for(section)
    if sitemap is None:
        raise Http404("No such sitemap.")
    return sitemap_view(
        request, {section: sitemap}, section=section, template_name="sitemaps/section.xml"
    )


@x_robots_tag
def news_sitemap(request):
    return render(
        request,
        "sitemaps/news.xml",
        {
            "stories": sitemaps.news_stories(),
            "publication_name": settings.NEWSROOM["SITE_NAME"],
            "language": settings.NEWSROOM["LANGUAGE"],
        },
        content_type="application/xml",
    )


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /preview/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
