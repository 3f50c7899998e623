from django.conf import settings
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.sitemaps.views import x_robots_tag
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles import sitemaps
from articles.models import Article, Contributor, Section, Topic
from articles.pagination import paginate
from articles.search import clean_query

HOME_LATEST = 12
RELATED_STORIES = 4


def home(request):
    stories = list(Article.objects.published().newest_first().for_listing()[: HOME_LATEST + 1])
    return render(
        request,
        "articles/home.html",
        {
            "lead": stories[0] if stories else None,
            "latest": stories[1:],
            "featured_topics": Topic.objects.featured().with_story_counts().order_by("name"),
        },
    )


def article_detail(request, year, month, day, slug):
    article = get_object_or_404(Article.objects.published().for_detail(), slug=slug)
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
    topics = Topic.objects.with_story_counts().filter(story_count__gt=0).order_by("name")
    return render(request, "articles/topic_list.html", {"topics": topics})


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    page = paginate(
        request, Article.objects.published().in_topic(topic).newest_first().for_listing()
    )
    return render(request, "articles/topic_detail.html", {"topic": topic, "page": page})


def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    page = paginate(
        request, Article.objects.published().in_section(section).newest_first().for_listing()
    )
    return render(request, "articles/section_detail.html", {"section": section, "page": page})


def contributor_detail(request, slug):
    contributor = get_object_or_404(Contributor, slug=slug)
    page = paginate(
        request,
        Article.objects.published().by_contributor(contributor).newest_first().for_listing(),
    )
    return render(
        request, "articles/contributor_detail.html", {"contributor": contributor, "page": page}
    )


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
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('articles:news_sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
