"""The editorial workflow: a story's states, the transitions between them, and their audit trail.

Every change of state goes through one of the transition methods on `Article`
(`article.publish(by=user)` and friends). Each checks the table below and the user's
permission on the server, runs in one transaction with the story's row locked, keeps a
revision and writes an `ArticleTransition` row. `by=None` means the system itself (an
importer or a management command) and skips the permission check, never the state rules.
"""

from typing import NamedTuple

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from articles import alerts
from articles.cache import invalidate
from articles.display import desk_datetime
from articles.models.related import refresh_related


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    READY = "ready", "Ready"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
    KILLED = "killed", "Killed"


class TransitionError(Exception):
    """A change of state the story's current state or content does not allow."""


class Transition(NamedTuple):
    name: str
    label: str
    sources: frozenset[str]
    target: str
    permission: str
    done: str  # for the desk's messages: "“Budget passes”: published."


S = ArticleStatus
# Reporters keep editing their own story until the desk has marked it ready.
REPORTER_EDITABLE = frozenset({S.DRAFT, S.IN_REVIEW})
TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", "Submit for review", frozenset({S.DRAFT}), S.IN_REVIEW,
                   "articles.change_article", "submitted for review"),
        Transition("mark_ready", "Mark ready", frozenset({S.IN_REVIEW}), S.READY,
                   "articles.review_article", "marked ready"),
        Transition("return_to_draft", "Return to draft",
                   frozenset({S.IN_REVIEW, S.READY, S.UNPUBLISHED}), S.DRAFT,
                   "articles.review_article", "returned to draft"),
        # Straight from draft too: on a breaking-news day an editor may write and publish.
        Transition("publish", "Publish", frozenset({S.DRAFT, S.IN_REVIEW, S.READY, S.UNPUBLISHED}),
                   S.PUBLISHED, "articles.publish_article", "published"),
        Transition("unpublish", "Unpublish", frozenset({S.PUBLISHED}), S.UNPUBLISHED,
                   "articles.publish_article", "unpublished"),
        Transition("kill", "Kill", frozenset(set(S) - {S.KILLED}), S.KILLED,
                   "articles.kill_article", "killed"),
        Transition("restore", "Restore", frozenset({S.KILLED}), S.DRAFT,
                   "articles.restore_killed_article", "restored as a draft"),
    ]
}  # fmt: skip
del S
# A preview link shows a draft before readers see it: once the story goes live, comes down or
# is killed, links shared before have served their purpose.
ENDS_PREVIEWS = frozenset({"publish", "unpublish", "kill"})

# Custom permissions, declared in Article.Meta; the roles migration hands them to the groups.
PERMISSIONS = [
    ("change_any_article", "Can edit any story, not only their own"),
    ("review_article", "Can mark stories ready or return them to draft"),
    ("publish_article", "Can publish, schedule and unpublish stories"),
    ("kill_article", "Can kill stories"),
    ("restore_killed_article", "Can restore killed stories"),
]


def reads_every_story(user) -> bool:
    """Editors and administrators read every story on the desk; others only some."""
    return user.is_active and user.has_perm("articles.change_any_article")


def reads_kill_reasons(user) -> bool:
    """Kill reasons are often legal: for those who may kill a story (editors, administrators)."""
    return user.is_active and user.has_perm("articles.kill_article")


class WorkflowQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The one rule for what the desk shows `user`: every story to editors; to anyone else
        the stories they created or are bylined on, plus those readers can see."""
        if reads_every_story(user):
            return self
        from articles.models.contributor import Byline

        bylined = Byline.objects.filter(contributor__user=user).values("article")
        public = self.model.objects.published().values("pk")
        return self.filter(
            models.Q(created_by=user) | models.Q(pk__in=bylined) | models.Q(pk__in=public)
        )


class ArticleWorkflow:
    """Transition methods for `Article`; kept here so the model's module stays about its data."""

    def is_by(self, user) -> bool:
        """Whether `user` created the story or is credited on it."""
        if self.created_by_id == user.pk:
            return True
        return self.pk is not None and self.bylines.filter(contributor__user=user).exists()

    @property
    def readers_may_have_seen(self) -> bool:
        """Whether the story was ever public: such a story is killed, never deleted."""
        return self.first_published_at is not None or self.status in {
            ArticleStatus.PUBLISHED,
            ArticleStatus.UNPUBLISHED,
        }

    def editable_by(self, user) -> bool:
        """Whether `user` may change this story: any story for editors, their own drafts for
        reporters."""
        if not (user.is_active and user.has_perm("articles.change_article")):
            return False
        if user.has_perm("articles.change_any_article"):
            return True
        return self.status in REPORTER_EDITABLE and self.is_by(user)

    def may(self, name: str, user) -> bool:
        """Whether `user` holds the permissions for transition `name` on this story."""
        transition = TRANSITIONS[name]
        return user.has_perm(transition.permission) and self.editable_by(user)

    def transitions_for(self, user) -> list[Transition]:
        """The transitions `user` may make from the story's current state, in table order."""
        allowed = [t for t in TRANSITIONS.values() if self.status in t.sources]
        if not allowed or not self.editable_by(user):
            return []
        return [t for t in allowed if user.has_perm(t.permission)]

    def may_have_been_public(self) -> bool:
        """Whether readers may have seen this story at some point (so hiding it matters)."""
        return self.first_published_at is not None or self.status in (
            ArticleStatus.PUBLISHED,
            ArticleStatus.UNPUBLISHED,
            ArticleStatus.KILLED,
        )

    @property
    def desk_state(self) -> str:
        """The state at a glance: the status, with a published story told apart as scheduled
        or embargoed until readers can see it."""
        now = timezone.now()
        if self.status != ArticleStatus.PUBLISHED or self.is_visible(now):
            return self.get_status_display()
        if self.publish_at and self.publish_at > now:
            return "Scheduled"
        return "Embargoed"

    def publish_problems(self) -> list[str]:
        """What stands between this story and publication, in words for the desk."""
        problems = []
        if not self.headline.strip():
            problems.append("it needs a headline")
        if not self.bylines.exists():
            problems.append("it needs at least one byline")
        if self.pk and self.wire_items.filter(state="withdrawn").exists():
            problems.append("the agency withdrew it (a kill or withhold on the wire)")
        missing_alt = self.photo_placements.filter(photo__alt_text="").count()
        if missing_alt:
            problems.append(
                f"{missing_alt} placed photo{'s' if missing_alt > 1 else ''} "
                "need alt text (describe each picture in the photo library)"
            )
        return problems

    # The transitions. Each returns the audit row it wrote.

    def submit(self, *, by):
        """Hand a draft to the desk for review."""
        return self._transition("submit", by=by)

    def mark_ready(self, *, by):
        """Mark a reviewed story ready to publish."""
        return self._transition("mark_ready", by=by)

    def return_to_draft(self, *, by, note: str = ""):
        """Send a story back to its reporter."""
        return self._transition("return_to_draft", by=by, note=note)

    def publish(self, *, by, at=None):
        """Publish at `at` (default: the story's publish time, or now); a future time schedules.

        Refused before the embargo: a story may be scheduled for the embargo time or later.
        """

        def prepare():
            when = at or self.publish_at or timezone.now()
            problems = self.publish_problems()
            if self.embargo_until and when < self.embargo_until:
                embargo = desk_datetime(self.embargo_until)
                problems.append(
                    f"it is under embargo until {embargo}; schedule it for then or later"
                )
            if problems:
                raise TransitionError(
                    f"“{self.headline}” cannot be published: {'; '.join(problems)}."
                )
            self.publish_at = when
            if self.first_published_at is None:
                self.first_published_at = when
            return ["publish_at", "first_published_at"]

        return self._transition("publish", by=by, prepare=prepare)

    def unpublish(self, *, by, note: str = ""):
        """Take a published story down; it can be published again."""
        return self._transition("unpublish", by=by, note=note)

    def kill(self, *, by, reason: str):
        """Remove a story everywhere (legal removal); only an administrator can bring it back."""
        if not reason or not reason.strip():
            raise TransitionError("Give a reason for killing the story.")
        return self._transition("kill", by=by, note=reason.strip())

    def restore(self, *, by, note: str = ""):
        """Bring a killed story back as a draft."""
        return self._transition("restore", by=by, note=note)

    def revoke_previews(self) -> None:
        """End every preview link issued for this story so far; new links work."""
        type(self)._default_manager.filter(pk=self.pk).update(
            preview_generation=models.F("preview_generation") + 1
        )
        self.refresh_from_db(fields=["preview_generation"])

    def _transition(self, name: str, *, by, note: str = "", prepare=None):
        transition = TRANSITIONS[name]
        if self.pk is None:
            raise TransitionError("Save the story before changing its state.")
        if by is not None and not self.may(name, by):
            raise PermissionDenied(f"You may not {transition.label.lower()} this story.")
        with transaction.atomic(), reversion.create_revision():
            # Lock the row: two editors pressing Publish at once make one transition, not two.
            locked = type(self)._default_manager.select_for_update().get(pk=self.pk)
            for field in [
                "status",
                "publish_at",
                "embargo_until",
                "first_published_at",
                "version",
                "preview_generation",
            ]:
                setattr(self, field, getattr(locked, field))
            if self.status not in transition.sources:
                raise TransitionError(
                    f"“{self.headline}” is {self.get_status_display().lower()}: "
                    f"“{transition.label}” is not possible from there."
                )
            changed = prepare() if prepare else []
            if name in ENDS_PREVIEWS:
                self.preview_generation += 1
                changed = [*changed, "preview_generation"]
            from_status, self.status = self.status, transition.target
            if by is not None:
                self.updated_by = by
            self.save(update_fields=["status", "updated_by", "updated_at", *changed])
            reversion.set_user(by)
            reversion.set_comment(
                "; ".join(filter(None, [reversion.get_comment(), transition.label]))
            )
            if self.status == ArticleStatus.PUBLISHED:
                refresh_related([self])
            # Readers' pages follow once the transition commits.
            if from_status == ArticleStatus.PUBLISHED:
                invalidate.story_hidden(self)
            else:
                invalidate.story_changed(self)
            address, user_agent = alerts.current_client()
            done = ArticleTransition.objects.create(
                article=self,
                from_status=from_status,
                to_status=self.status,
                by=by,
                note=note,
                address=address,
                user_agent=user_agent,
            )
            if name == "publish":
                alerts.check_publish(done)
        # Partners' webhooks hear of it once it is committed (queued, never sent from here).
        from articles.api import webhooks

        webhooks.transition_done(self, name)
        return done


class ArticleTransitionQuerySet(models.QuerySet):
    def readable_by(self, user):
        """State changes of the stories `user` may read, with `shown_note`: the note, or
        nothing for a kill reason they may not read."""
        from articles.models.article import Article

        rows = self.filter(article__in=Article.objects.readable_by(user).values("pk"))
        if reads_kill_reasons(user):
            return rows.annotate(shown_note=models.F("note"))
        return rows.annotate(
            shown_note=models.Case(
                models.When(to_status=ArticleStatus.KILLED, then=models.Value("")),
                default=models.F("note"),
                output_field=models.TextField(),
            )
        )


class ArticleTransition(models.Model):
    """One change of a story's state: who, when, from which state to which, and why."""

    # PROTECT: a story that has been through the desk keeps its trail; kill it instead.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.PROTECT, related_name="transitions"
    )
    from_status = models.CharField(max_length=20, choices=ArticleStatus)
    to_status = models.CharField(max_length=20, choices=ArticleStatus)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)
    # Where the change came from (articles/alerts.py): empty for scripts and importers.
    address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = ArticleTransitionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "state change"
        indexes = [models.Index(fields=["article", "-at"], name="transition_article_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_status=models.F("to_status")),
                name="transition_changes_state",
            ),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
