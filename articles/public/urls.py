from django.urls import path

from articles.blocks.views import embed_frame
from articles.public import feeds, live, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "articles/<int:year>/<int:month>/<int:day>/<str:slug>/",
        views.article_detail,
        name="detail",
    ),
    path(
        "articles/<int:year>/<int:month>/<int:day>/<str:slug>/updates/",
        live.live_updates,
        name="live_updates",
    ),
    path(
        "articles/<int:year>/<int:month>/<int:day>/<str:slug>/updates/feed/",
        feeds.LiveUpdatesAtom(),
        name="live_feed",
    ),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<str:slug>/", views.topic_detail, name="topic"),
    path("sections/<str:slug>/", views.section_detail, name="section"),
    path("contributors/<str:slug>/", views.contributor_detail, name="contributor"),
    path("corrections/", views.corrections, name="corrections"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("search/", views.search, name="search"),
    path("embed/", embed_frame, name="embed"),
    path("feed/", feeds.StoriesFeed(), name="feed"),
    path("feed/atom/", feeds.StoriesAtom(), name="feed_atom"),
    path("topics/<str:slug>/feed/", feeds.TopicFeed(), name="topic_feed"),
    path("topics/<str:slug>/feed/atom/", feeds.TopicAtom(), name="topic_feed_atom"),
    path("sections/<str:slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("sections/<str:slug>/feed/atom/", feeds.SectionAtom(), name="section_feed_atom"),
    path("contributors/<str:slug>/feed/", feeds.ContributorFeed(), name="contributor_feed"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
    path("sitemap-<str:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "contributors/<str:slug>/feed/atom/",
        feeds.ContributorAtom(),
        name="contributor_feed_atom",
    ),
]
