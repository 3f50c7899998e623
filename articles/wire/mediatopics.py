"""IPTC Media Topics: the codes agencies tag stories with, mapped to the newsroom's topics.

A topic carries at most one code (`Topic.iptc_code`, set on the topic page in the desk).
Codes no topic carries are counted as suggestions for the desk (`MediaTopicCode`), never
turned into topics. LABELS names the top level of the IPTC vocabulary (from the IPTC
Media Topics NewsCodes, cv.iptc.org/newscodes/mediatopic); deeper codes are shown with the
label the agency sent with them.
"""

from django.db.models import F

from articles.models import MediaTopicCode, Topic

LABELS = {
    "medtop:01000000": "arts, culture, entertainment and media",
    "medtop:16000000": "conflict, war and peace",
    "medtop:02000000": "crime, law and justice",
    "medtop:03000000": "disaster, accident and emergency incident",
    "medtop:04000000": "economy, business and finance",
    "medtop:05000000": "education",
    "medtop:06000000": "environment",
    "medtop:07000000": "health",
    "medtop:08000000": "human interest",
    "medtop:09000000": "labour",
    "medtop:10000000": "lifestyle and leisure",
    "medtop:11000000": "politics",
    "medtop:12000000": "religion",
    "medtop:13000000": "science and technology",
    "medtop:14000000": "society",
    "medtop:15000000": "sport",
    "medtop:17000000": "weather",
}


def label(code: str) -> str:
    """The IPTC label for `code`, or the one agencies sent with it, or ""."""
    if code in LABELS:
        return LABELS[code]
    seen = MediaTopicCode.objects.filter(code=code).values_list("label", flat=True).first()
    return seen or ""


class CodeBook:
    """The code -> topic map for one batch, and the codes met that no topic carries."""

    def __init__(self, *, dry_run: bool = False):
        self.dry_run = dry_run
        self._topics: dict[str, int] | None = None

    @property
    def topics(self) -> dict[str, int]:
        if self._topics is None:
            self._topics = dict(Topic.objects.exclude(iptc_code="").values_list("iptc_code", "pk"))
        return self._topics

    def topic_for(self, code: str) -> int | None:
        return self.topics.get(code)

    def note(self, stories) -> None:
        """Count the unmapped codes in `stories`: two statements, whatever the batch."""
        unmapped: dict[str, tuple[str, int]] = {}
        for story in stories:
            for code, given in story.subjects:
                if code not in self.topics:
                    known, count = unmapped.get(code, ("", 0))
                    unmapped[code] = (known or LABELS.get(code, given)[:200], count + 1)
        if not unmapped or self.dry_run:
            return
        MediaTopicCode.objects.bulk_create(
            [MediaTopicCode(code=code[:40], label=text) for code, (text, _) in unmapped.items()],
            ignore_conflicts=True,
        )
        for code, (_, count) in unmapped.items():
            MediaTopicCode.objects.filter(code=code[:40]).update(seen=F("seen") + count)
