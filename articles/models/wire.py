"""What the agencies sent: one row per agency item, whatever became of it on the desk.

An item is its agency plus its guid (or, for the plain-text layout, the key the importer
has always used) and remembers the latest version received. The story draft made from it
is `article`; a newer version the importer may not apply by itself (the draft was edited,
or the story is published) waits in `pending` for an editor, with `alert` saying why.
"""

from django.db import models


class WireItemQuerySet(models.QuerySet):
    def newest_first(self):
        """The desk reads the wire latest first."""
        return self.order_by("-received_at", "-pk")

    def alerting(self):
        """Items waiting for an editor: a correction or kill for a story already used."""
        return self.exclude(alert="")

    def for_desk(self):
        """What the wire desk lists, in one query."""
        return self.select_related("agency", "article")


class WireItem(models.Model):
    class State(models.TextChoices):
        NEW = "new", "New"
        USED = "used", "Used"
        UPDATED = "updated", "Updated"
        WITHDRAWN = "withdrawn", "Withdrawn"

    agency = models.ForeignKey(
        "articles.Contributor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wire_items",
    )
    reference = models.CharField(max_length=255)
    version = models.PositiveIntegerField(default=0)
    format = models.CharField(max_length=10, default="plain")
    headline = models.CharField(max_length=255)
    urgency = models.PositiveSmallIntegerField(null=True, blank=True)
    agency_time = models.DateTimeField(help_text="When the agency filed this version.")
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    state = models.CharField(max_length=12, choices=State, default=State.NEW)
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wire_items",
    )
    # The latest version as received (WireStory fields), and the one waiting for an editor.
    story = models.JSONField(default=dict)
    pending = models.JSONField(null=True, blank=True)
    pending_version = models.PositiveIntegerField(null=True, blank=True)
    alert = models.CharField(max_length=255, blank=True)
    urgent = models.BooleanField(default=False, help_text="A kill for a story readers can see.")
    # SHA-256 of the file the draft was last made or brought up to date from (a file holding
    # this one story): the same bytes delivered again are "unchanged" without being read.
    # Empty once anything else happened to the item (held, withdrawn, update applied).
    delivery_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Pictures the agency referred to that could not be fetched or were refused.
    picture_problems = models.TextField(blank=True, editable=False)

    objects = WireItemQuerySet.as_manager()

    class Meta:
        verbose_name = "wire item"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "reference"],
                condition=models.Q(agency__isnull=False),
                name="wire_item_once",
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=models.Q(agency__isnull=True),
                name="wire_item_once_without_agency",
            ),
        ]
        indexes = [
            models.Index(fields=["-received_at"], name="wire_item_received_idx"),
            models.Index(
                fields=["delivery_hash"],
                condition=~models.Q(delivery_hash=""),
                name="wire_item_delivery_idx",
            ),
        ]

    def __str__(self):
        return self.headline


class MediaTopicCode(models.Model):
    """An IPTC Media Topic code met on the wire that no topic carries yet: a suggestion for
    the desk ("medtop:20000051 ... seen in 12 items"), never a topic made by itself."""

    code = models.CharField(max_length=40, unique=True)
    label = models.CharField(max_length=200, blank=True)
    seen = models.PositiveIntegerField(default=0)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-seen", "code"]
        verbose_name = "unmapped IPTC code"

    def __str__(self):
        return f"{self.code} {self.label}".strip()


class WireSource(models.Model):
    """Where an agency delivers: a drop folder its FTP/SFTP account writes into, or an HTTP(S)
    feed (ninjs or NewsML-G2 items, or an Atom feed linking to them) that `watch_wire` polls.

    Credentials are never stored here: `credentials_setting` names an environment variable
    holding "user:password" (HTTP Basic) or "Bearer <token>".
    """

    class Kind(models.TextChoices):
        FOLDER = "folder", "Drop folder"
        FEED = "feed", "HTTP(S) feed"

    class Format(models.TextChoices):
        # The values are those `articles.wire.formats.detect` gives.
        AUTO = "auto", "Detect from the file"
        NEWSML = "newsml", "IPTC NewsML-G2"
        NITF = "nitf", "NITF"
        NINJS = "ninjs", "IPTC ninjs (JSON)"
        PLAIN = "plain", "Plain text"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.FOLDER)
    folder = models.CharField(max_length=500, blank=True, help_text="Absolute path on the server.")
    url = models.URLField(max_length=500, blank=True)
    format = models.CharField(
        max_length=10,
        choices=Format,
        default=Format.AUTO,
        help_text="What this agency delivers; a file in another format is refused.",
    )
    credentials_setting = models.CharField(
        max_length=100,
        blank=True,
        help_text="Name of the environment variable holding the feed's credentials.",
    )
    interval = models.PositiveIntegerField(default=60, help_text="Seconds between polls.")
    active = models.BooleanField(default=True)
    # What the last poll learnt, so the next one asks only for what changed.
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    failures = models.PositiveIntegerField(default=0, editable=False)
    next_poll_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="folder") & ~models.Q(folder=""))
                | (models.Q(kind="feed") & ~models.Q(url="")),
                name="wire_source_has_a_place",
                violation_error_message="A drop folder needs a folder; a feed needs a URL.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def health(self) -> str:
        if not self.active:
            return "paused"
        if self.failures:
            return f"failing ({self.failures}x): {self.last_error}"
        return "ok" if self.last_polled_at else "not polled yet"
