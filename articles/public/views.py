from django.conf import settings
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.sitemaps.views import x_robots_tag
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from articles.cache import fragments, keys
from articles.cache.keys import depends_on
from articles.fronts import compose as fronts
from articles.models import Article, Contributor, Correction, Section, Topic, TopicAlias
from articles.previews import preview_from
from articles.public import pieces, sitemaps
from articles.public.pagination import keyset_page, paginate
from articles.search import RANKED_MATCHES, clean_query
from newsroom.ratelimit import rate_limited

RELATED_STORIES = 4
TOPICS_PER_PAGE = 100


def home(request):
    """The home front as editors arranged it (articles/fronts/compose.py)."""
    front = fronts.compose()
    depends_on(keys.FRONT_HOME, keys.stories(front.stories))
    return render(request, "articles/home.html", {"front": front})


def article_detail(request, year, month, day, slug):
    found = fragments.kept_rows(
        f"story:{slug}",
        read=lambda: list(Article.objects.published().story_page(slug, related=RELATED_STORIES)),
        keys_of=keys.stories,
    )
    # Kept rows pass the same rule as the query, through its Python twin.
    now = timezone.now()
    found = [row for row in found if row.is_visible(now)]
    if not found or found[0].slug != slug:
        return redirect_renamed_story(slug)
    article, related = found[0], found[1:]
    published_on = timezone.localdate(article.publish_at)
    if (year, month, day) != (published_on.year, published_on.month, published_on.day):
        return redirect(article, permanent=True)
    depends_on(keys.story(article.pk), keys.stories(related))
    context = pieces.story_page(request, article, related)
    return render(request, "articles/article_detail.html", context)


def topic_list(request):
    """Topics readers can find stories in, A to Z, a hundred at a time, with their counts.

    Counts are stored on each topic (`Topic.published_count`), so the page reads one index
    and never the archive, however large it grows.
    """
    after = request.GET.get("after", "")[:200]
    topics = list(
        Topic.objects.on_index()
        .filter(name__gt=after)
        .order_by("name")
        .only("name", "slug", "published_count")[: TOPICS_PER_PAGE + 1]
    )
    more, topics = len(topics) > TOPICS_PER_PAGE, topics[:TOPICS_PER_PAGE]
    depends_on(keys.TOPIC_INDEX)
    return render(
        request,
        "articles/topic_list.html",
        {"topics": topics, "next_after": topics[-1].name if more else None, "after": after},
    )


def topic_detail(request, slug):
    topic = fragments.kept_rows(
        f"topic:{slug}",
        read=Topic.objects.with_published_stories().filter(slug=slug).first,
        keys_of=lambda topic: [keys.topic(topic.pk)] if topic else [],
    )
    if topic is None:
        return redirect_topic_alias(slug)
    page = kept_page(
        request,
        keys.topic(topic.pk),
        Article.objects.published().in_topic(topic).newest_first().for_cards(),
    )
    depends_on(keys.topic(topic.pk), keys.stories(page.object_list))
    return render(request, "articles/topic_detail.html", {"topic": topic, "page": page})


def section_detail(request, slug):
    section = get_object_or_404(
        Section.objects.with_published_stories().select_related("front"), slug=slug
    )
    page = kept_page(
        request,
        keys.section(section.pk),
        Article.objects.published().in_section(section).newest_first().for_cards(),
    )
    front = fronts.section_front(request, section)
    shown = [*page.object_list, *(front.stories if front else [])]
    front_key = [section.front.cache_tag] if front else []
    depends_on(keys.section(section.pk), keys.stories(shown), front_key)
    return render(
        request,
        "articles/section_detail.html",
        {"section": section, "page": page, "front": front},
    )


def contributor_detail(request, slug):
    contributor = fragments.kept_rows(
        f"contributor:{slug}",
        read=Contributor.objects.with_published_stories().filter(slug=slug).first,
        keys_of=lambda contributor: [keys.contributor(contributor.pk)] if contributor else [],
    )
    if contributor is None:
        raise Http404("No such contributor.")
    page = kept_page(
        request,
        keys.contributor(contributor.pk),
        Article.objects.published().by_contributor(contributor).newest_first().for_cards(),
    )
    depends_on(keys.contributor(contributor.pk), keys.stories(page.object_list))
    return render(
        request, "articles/contributor_detail.html", {"contributor": contributor, "page": page}
    )


def kept_page(request, listing_key: str, stories):
    """A listing's page of stories (keyset paging), kept until a story on it changes or one
    joins or leaves the listing (its key, e.g. `topic-12`); its stories pass `is_visible`."""
    cursors = "|".join(request.GET.get(name, "")[:60] for name in ("before", "after"))
    page = fragments.kept_rows(
        f"{listing_key}:{cursors}",
        read=lambda: keyset_page(request, stories),
        keys_of=lambda page: [listing_key, *keys.stories(page.object_list)],
    )
    now = timezone.now()
    page.object_list = [story for story in page.object_list if story.is_visible(now)]
    return page


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
@rate_limited("preview")
def preview(request, token):
    """A story as readers would see it, for anyone holding a valid signed link."""
    signed = preview_from(token)
    if signed is None:
        raise Http404("This preview link is not valid, or has expired.")
    article_id, generation = signed
    article = get_object_or_404(
        Article.objects.previewable().for_detail(), pk=article_id, preview_generation=generation
    )
    if article.publish_at is None:
        # Shown as if published now; nothing is saved.
        article.publish_at = timezone.now()
    # Previews are outside the page cache, so nothing rendered here is kept for readers.
    context = pieces.story_page(request, article, related=[])
    response = render(request, "articles/article_preview.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token is in the address: do not hand it to other sites through the Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response


def corrections(request):
    """Every correction, clarification and update on stories readers can see, newest first."""
    page = paginate(request, Correction.objects.public().newest_first().for_listing())
    depends_on(keys.CORRECTIONS, keys.stories(c.article_id for c in page.object_list))
    return render(request, "articles/corrections.html", {"page": page})


@rate_limited("search")
def search(request):
    query = clean_query(request.GET.get("q"))
    page = (
        paginate(request, Article.objects.published().search(query).for_listing())
        if query
        else None
    )
    depends_on(keys.SEARCH, keys.stories(page.object_list if page else []))
    return render(
        request,
        "articles/search.html",
        {"query": query, "page": page, "ranked_matches": RANKED_MATCHES},
    )


@x_robots_tag
def sitemap_index(request):
    depends_on(keys.SITEMAP)
    entries = [
        {**entry, "location": request.build_absolute_uri(entry["location"])}
        for entry in sitemaps.index_entries()
    ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def sitemap_section(request, section):
    depends_on(keys.SITEMAP)
    sitemap = sitemaps.sitemap_for(section)
    if sitemap is None:
        raise Http404("No such sitemap.")
    return sitemap_view(
        request, {section: sitemap}, section=section, template_name="sitemaps/section.xml"
    )


@x_robots_tag
def news_sitemap(request):
    depends_on(keys.SITEMAP)
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
    depends_on(keys.SITEMAP)
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
