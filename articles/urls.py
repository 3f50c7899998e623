from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "articles/<int:year>/<int:month>/<int:day>/<str:slug>/",
        views.article_detail,
        name="detail",
    ),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/<str:slug>/", views.topic_detail, name="topic"),
    path("sections/<str:slug>/", views.section_detail, name="section"),
    path("contributors/<str:slug>/", views.contributor_detail, name="contributor"),
    path("search/", views.search, name="search"),
]
