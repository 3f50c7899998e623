from django.db import models

# Where search results and social cards cut a line off, as publishers' guides give them.
SEARCH_HEADLINE_CHARS = 70
SOCIAL_HEADLINE_CHARS = 95
SOCIAL_DESCRIPTION_CHARS = 200


class SearchAndSocial(models.Model):
    """How a story shows in search results and shares; each falls back to the story's own."""

    # Labelled without the word "headline", so the story's own field keeps that label alone.
    seo_headline = models.CharField(
        "title in search results",
        max_length=200,
        blank=True,
        help_text=f"For search results and the browser tab: up to {SEARCH_HEADLINE_CHARS} "
        "characters show in full. Leave empty to use the headline.",
    )
    social_headline = models.CharField(
        "title in shares",
        max_length=200,
        blank=True,
        help_text=f"For shares on social sites: up to {SOCIAL_HEADLINE_CHARS} characters show in "
        "full. Leave empty to use the headline.",
    )
    social_description = models.TextField(
        "description in shares",
        max_length=500,
        blank=True,
        help_text=f"Under the headline in shares: up to {SOCIAL_DESCRIPTION_CHARS} characters "
        "show in full. Leave empty to use the dek.",
    )

    class Meta:
        abstract = True

    @property
    def search_headline(self) -> str:
        return self.seo_headline or self.headline

    @property
    def share_headline(self) -> str:
        return self.social_headline or self.headline
