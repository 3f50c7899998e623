"""The frame an embed loads in, once a reader asks for it.

Story pages never allow third-party frames. When a reader presses "Load", the page frames
this same-site address; only its response lets the one provider's frame in. Nothing reaches
the provider before the reader asks.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from articles.blocks.embeds import frame_url, provider_for


# Never stored by the page cache: its key leaves out `url`, and the frame is cheap to render.
@never_cache
@xframe_options_sameorigin
def embed_frame(request):
    url = request.GET.get("url", "")[:500]
    provider = provider_for(url)
    frame = frame_url(provider, url) if provider else None
    if frame is None:
        raise Http404("Not an embed readers can load here.")
    response = render(request, "articles/embed_frame.html", {"frame": frame, "provider": provider})
    response._csp_update = {"frame-src": [provider.origin]}
    # Framed by the story page only (the site's policy forbids every frame otherwise).
    response._csp_replace = {"frame-ancestors": ["'self'"]}
    response["X-Robots-Tag"] = "noindex"
    return response
