from articles.models.alert import Alert, CspViolation
from articles.models.article import Article, ArticleQuerySet
from articles.models.background import BackgroundFailure
from articles.models.contributor import Byline, Contributor
from articles.models.correction import Correction
from articles.models.partner import ApiKey, Partner, Webhook, WebhookDelivery
from articles.models.photo import ArticlePhoto, Photo
from articles.models.redirect import FormerSlug
from articles.models.related import RelatedStory, refresh_related
from articles.models.section import Section
from articles.models.suggestion import TopicSuggestion
from articles.models.topic import TaggedArticle, Topic, TopicAlias
from articles.models.wire import MediaTopicCode, WireItem, WireSource
from articles.models.workflow import ArticleTransition, TransitionError

__all__ = [
    "Alert",
    "Article",
    "ArticlePhoto",
    "ArticleTransition",
    "ArticleQuerySet",
    "ApiKey",
    "BackgroundFailure",
    "Byline",
    "Contributor",
    "Correction",
    "CspViolation",
    "FormerSlug",
    "Partner",
    "MediaTopicCode",
    "Photo",
    "RelatedStory",
    "Section",
    "TaggedArticle",
    "Topic",
    "TopicAlias",
    "TopicSuggestion",
    "TransitionError",
    "Webhook",
    "WebhookDelivery",
    "WireItem",
    "WireSource",
    "refresh_related",
]
