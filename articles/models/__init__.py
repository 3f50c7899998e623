from articles.models.article import Article, ArticleQuerySet
from articles.models.background import BackgroundFailure
from articles.models.contributor import Byline, Contributor
from articles.models.correction import Correction
from articles.models.photo import ArticlePhoto, Photo
from articles.models.redirect import FormerSlug
from articles.models.section import Section
from articles.models.suggestion import TopicSuggestion
from articles.models.topic import TaggedArticle, Topic, TopicAlias
from articles.models.workflow import ArticleTransition, TransitionError

__all__ = [
    "Article",
    "ArticlePhoto",
    "ArticleTransition",
    "ArticleQuerySet",
    "BackgroundFailure",
    "Byline",
    "Contributor",
    "Correction",
    "FormerSlug",
    "Photo",
    "Section",
    "TaggedArticle",
    "Topic",
    "TopicAlias",
    "TopicSuggestion",
    "TransitionError",
]
