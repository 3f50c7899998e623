from articles.models.alert import Alert, CspViolation
from articles.models.article import Article, ArticleQuerySet
from articles.models.background import BackgroundFailure
from articles.models.contributor import Byline, Contributor
from articles.models.correction import Correction
from articles.models.front import Arrangement, Banner, Front, Slot, TopicBox
from articles.models.live import LiveUpdate
from articles.models.partner import ApiKey, Partner, Webhook, WebhookDelivery, WebhookWatermark
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
    "Arrangement",
    "Article",
    "ArticlePhoto",
    "ArticleTransition",
    "ArticleQuerySet",
    "ApiKey",
    "BackgroundFailure",
    "Banner",
    "Byline",
    "Contributor",
    "Correction",
    "CspViolation",
    "FormerSlug",
    "Partner",
    "MediaTopicCode",
    "LiveUpdate",
    "Front",
    "Photo",
    "RelatedStory",
    "Section",
    "Slot",
    "TaggedArticle",
    "Topic",
    "TopicAlias",
    "TopicBox",
    "TopicSuggestion",
    "TransitionError",
    "Webhook",
    "WebhookDelivery",
    "WebhookWatermark",
    "WireItem",
    "WireSource",
    "refresh_related",
]
