from articles.models.article import Article, ArticleQuerySet
from articles.models.contributor import Byline, Contributor
from articles.models.correction import Correction
from articles.models.front import Arrangement, Banner, Front, Slot, TopicBox
from articles.models.live import LiveUpdate
from articles.models.photo import ArticlePhoto, Photo
from articles.models.redirect import FormerSlug
from articles.models.section import Section
from articles.models.suggestion import TopicSuggestion
from articles.models.topic import TaggedArticle, Topic, TopicAlias
from articles.models.workflow import ArticleTransition, TransitionError

__all__ = [
    "Arrangement",
    "Article",
    "ArticlePhoto",
    "ArticleTransition",
    "ArticleQuerySet",
    "Banner",
    "Byline",
    "Contributor",
    "Correction",
    "FormerSlug",
    "LiveUpdate",
    "Front",
    "Photo",
    "Section",
    "Slot",
    "TaggedArticle",
    "Topic",
    "TopicAlias",
    "TopicBox",
    "TopicSuggestion",
    "TransitionError",
]
