from articles.models.article import Article, ArticleQuerySet
from articles.models.contributor import Byline, Contributor
from articles.models.photo import ArticlePhoto, Photo
from articles.models.section import Section
from articles.models.suggestion import TopicSuggestion
from articles.models.topic import TaggedArticle, Topic, TopicAlias

__all__ = [
    "Article",
    "ArticlePhoto",
    "ArticleQuerySet",
    "Byline",
    "Contributor",
    "Photo",
    "Section",
    "TaggedArticle",
    "Topic",
    "TopicAlias",
    "TopicSuggestion",
]
