"""The embed allowlist: providers by URL pattern, and the frame each one loads on request.

An embed is stored as the provider's name and the URL the editor pasted; readers get a
placeholder linking to that URL, and the provider's frame only after they ask for it.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    pattern: re.Pattern
    # The frame's address from the pattern's groups; None: shown as a link card only.
    frame: str | None
    origin: str | None


def _p(name, label, pattern, frame=None, origin=None):
    return Provider(name, label, re.compile(pattern), frame, origin)


PROVIDERS = {
    p.name: p
    for p in [
        _p("youtube", "YouTube video",
           r"^https://(?:www\.)?(?:youtube\.com/watch\?v=|youtu\.be/)(?P<id>[\w-]{11})(?:[&?#].*)?$",
           "https://www.youtube-nocookie.com/embed/{id}", "https://www.youtube-nocookie.com"),
        _p("vimeo", "Vimeo video", r"^https://(?:www\.)?vimeo\.com/(?P<id>\d{1,12})/?$",
           "https://player.vimeo.com/video/{id}?dnt=1", "https://player.vimeo.com"),
        _p("x", "post on X", r"^https://(?:www\.)?(?:x|twitter)\.com/\w{1,15}/status/(?P<id>\d{1,25})/?(?:\?.*)?$",
           "https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true",
           "https://platform.twitter.com"),
        _p("instagram", "Instagram post",
           r"^https://(?:www\.)?instagram\.com/(?:p|reel)/(?P<id>[\w-]{5,40})/?(?:\?.*)?$",
           "https://www.instagram.com/p/{id}/embed/", "https://www.instagram.com"),
        _p("facebook", "Facebook post",
           r"^https://(?:www\.)?facebook\.com/[\w.-]{1,80}/(?:posts|videos)/[\w.-]{1,80}/?$"),
        _p("tiktok", "TikTok video",
           r"^https://(?:www\.)?tiktok\.com/@[\w.-]{1,40}/video/(?P<id>\d{1,25})/?(?:\?.*)?$",
           "https://www.tiktok.com/embed/v2/{id}", "https://www.tiktok.com"),
        _p("flourish", "Flourish chart",
           r"^https://public\.flourish\.studio/visualisation/(?P<id>\d{1,12})/?$",
           "https://flo.uri.sh/visualisation/{id}/embed", "https://flo.uri.sh"),
        _p("datawrapper", "Datawrapper chart",
           r"^https://datawrapper\.dwcdn\.net/(?P<id>\w{5})/(?P<v>\d{1,3})/?$",
           "https://datawrapper.dwcdn.net/{id}/{v}/", "https://datawrapper.dwcdn.net"),
    ]
}  # fmt: skip


def provider_for(url: str) -> Provider | None:
    """The allowlisted provider whose pattern `url` matches, or None."""
    for provider in PROVIDERS.values():
        if provider.pattern.match(url or ""):
            return provider
    return None


def frame_url(provider: Provider, url: str) -> str | None:
    """The provider frame for `url` (already matched), or None for a link-only provider."""
    match = provider.pattern.match(url)
    if provider.frame is None or match is None:
        return None
    return provider.frame.format(**{k: quote(v, safe="") for k, v in match.groupdict().items()})
