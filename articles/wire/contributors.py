"""Who filed a wire story and its photo: agencies and staff met in a batch, found once and
remembered; bylines and the wire photo's caption and credit."""

from django.utils.text import slugify

from articles.models import ArticlePhoto, Byline, Contributor, Photo
from articles.wire.mediatopics import CodeBook
from articles.wire.suggestions import TopicMatcher, current_matcher


class BatchMemory:
    """Agencies, staff and the topic matcher, kept for one import batch (see WireImporter)."""

    dry_run = False

    def __init__(self):
        self._contributors: dict[str, Contributor] | None = None
        self._matcher: TopicMatcher | None = None
        self._met: dict[str, Contributor] = {}
        self._codes: CodeBook | None = None

    @property
    def codes(self) -> CodeBook:
        if self._codes is None:
            self._codes = CodeBook(dry_run=self.dry_run)
        return self._codes

    # Contributors and topics --------------------------------------------------------------

    @property
    def matcher(self) -> TopicMatcher:
        if self._matcher is None:
            self._matcher = current_matcher()
        return self._matcher

    @property
    def contributors(self) -> dict[str, Contributor]:
        """Contributors met so far, by "agency:<name>" or "email:<address>".

        Every agency is loaded once per batch, in one query; staff join as the batch meets them.
        """
        if self._contributors is None:
            self._contributors = {}
            for agency in Contributor.objects.filter(kind=Contributor.Kind.AGENCY).order_by("pk"):
                self._contributors.setdefault(f"agency:{agency.name.casefold()}", agency)
        return self._contributors

    def _remember_met(self) -> None:
        """Contributors created in a transaction that was kept are now safe to reuse."""
        if not self.dry_run:
            self.contributors.update(self._met)
        self._met = {}

    def _known(self, key: str) -> Contributor | None:
        return self._met.get(key) or self.contributors.get(key)

    def _agency(self, name: str) -> Contributor:
        """The agency called `name` (any case), created on first sight."""
        key = f"agency:{name.casefold()}"
        if agency := self._known(key):
            return agency
        # The slug is the agency's identity under a race: two imports meeting a new agency
        # at once both land on the same row.
        agency, _ = Contributor.objects.get_or_create(
            slug=slugify(name, allow_unicode=True) or "agency",
            defaults={"name": name, "kind": Contributor.Kind.AGENCY},
        )
        if agency.kind != Contributor.Kind.AGENCY:  # that slug belongs to a person
            agency = Contributor.objects.create(
                name=name,
                kind=Contributor.Kind.AGENCY,
                slug=Contributor.objects.available_slug(name),
            )
        self._met[key] = agency
        return agency

    def _staff(self, name: str, email: str) -> Contributor:
        """The person who signed the story: by address, then by name; created if new."""
        key = f"email:{email.casefold()}" if email else f"name:{name.casefold()}"
        if person := self._known(key):
            return person
        people = Contributor.objects.exclude(kind=Contributor.Kind.AGENCY).order_by("pk")
        person = (email and people.filter(email__iexact=email).first()) or people.filter(
            name__iexact=name
        ).first()
        if person is None:
            person = Contributor.objects.create(
                name=name,
                email=email,
                kind=Contributor.Kind.STAFF,
                slug=Contributor.objects.available_slug(name),
            )
        self._met[key] = person
        return person

    def _credit(self, credit: str, agency: Contributor | None) -> str:
        """A credit naming a known agency is written as the newsroom writes it: YONHAP -> Yonhap."""
        if agency is not None and agency.name.casefold() == credit.casefold():
            return agency.name
        known = self._known(f"agency:{credit.casefold()}")
        return known.name if known else credit

    def _bylines(self, article, story, agency) -> list[Byline]:
        contributors = (
            [agency]
            if agency
            else [self._staff(author.name, author.email) for author in story.authors]
        )
        return [
            Byline(article=article, contributor=contributor, position=position)
            for position, contributor in enumerate(dict.fromkeys(contributors))
        ]

    def _photo_fields(self, story, agency) -> dict:
        return {"caption": story.caption, "credit": self._credit(story.credit, agency)}

    def _update_photo(self, article, story, agency) -> None:
        """Keep the wire photo in step: the photo desk's picture, if attached, stays."""
        placement = article.photo_placements.select_related("photo").first()
        if story.caption and placement:
            photo = placement.photo
            for field, value in self._photo_fields(story, agency).items():
                setattr(photo, field, value)
            photo.save(update_fields=["caption", "credit", "updated_at"])
        elif story.caption:
            photo = Photo.objects.create(**self._photo_fields(story, agency))
            ArticlePhoto.objects.create(article=article, photo=photo, position=0)
        elif placement and placement.photo.awaiting_image:
            placement.delete()
            if not placement.photo.placements.exists():
                placement.photo.delete()
