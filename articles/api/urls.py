from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from articles.api import views
from articles.api.docs import docs, not_found

app_name = "api"

urlpatterns = [
    path("stories/", views.StoryList.as_view(), name="story-list"),
    path("stories/<int:pk>/", views.StoryDetail.as_view(), name="story-detail"),
    path("topics/", views.TopicList.as_view(), name="topic-list"),
    path("sections/", views.SectionList.as_view(), name="section-list"),
    path("contributors/", views.ContributorList.as_view(), name="contributor-list"),
    path("photos/", views.PhotoList.as_view(), name="photo-list"),
    path("photos/<int:pk>/", views.PhotoDetail.as_view(), name="photo-detail"),
    path("corrections/", views.CorrectionList.as_view(), name="correction-list"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", docs, name="docs"),
    re_path(r"", not_found),
]
