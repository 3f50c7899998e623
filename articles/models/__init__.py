from articles.models.article import Article, ArticleQuerySet
from articles.models.contributor import Byline, Contributor
from articles.models.correction import Correction
from articles.models.photo import ArticlePhoto, Photo
from articles.models.redirect import FormerSlug
from articles.models.related import RelatedStory, refresh_related
from articles.models.section import Section
from articles.models.suggestion import TopicSuggestion
from articles.models.topic import TaggedArticle, Topic, TopicAlias
from articles.models.workflow import ArticleTransition, TransitionError

__all__ = [
    "Article",
    "ArticlePhoto",
    "ArticleTransition",
    "ArticleQuerySet",
    "Byline",
    "Contributor",
    "Correction",
    "FormerSlug",
    "Photo",
    "RelatedStory",
    "Section",
    "TaggedArticle",
    "Topic",
    "TopicAlias",
    "TopicSuggestion",
    "TransitionError",
    "refresh_related",
]
