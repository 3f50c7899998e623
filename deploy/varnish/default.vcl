# Varnish in front of the Newsroom app servers (Debian: `varnish` and `varnish-modules`).
#
# - Anonymous readers' pages are cached for their max-age, then served stale for their
#   stale-while-revalidate (grace) while one request refreshes them.
# - The desk, previews, sign-in, health checks and anyone with a staff session pass straight
#   through; readers never get a session, so their cookies are dropped.
# - Query strings keep only what changes a page (before, after, page, q), sorted: the same
#   rule as the page cache's KEY_PARAMETERS (articles/cache/pages.py).
# - Every response names what it shows in `xkey` (story-12, topic-3, front-home...);
#   `PURGE /` with `xkey-purge: story-12 front-home` from an app server drops those pages
#   at once (articles/cache/purge.py). Purges from anywhere else are refused.
# - Every object kept here also carries the key `everything`: a site-wide change (a rename or
#   removal in the library, a front coming due) purges `everything`, whatever each page names.
#
# backends.vcl (found on vcl_path) names the app servers, the `purgers` ACL and the director:
# deploy/varnish/backends.vcl is the example to copy.
vcl 4.1;

import std;
import directors;
import xkey;

include "backends.vcl";

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purges are accepted from the app servers only"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the keys to purge in the xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    set req.backend_hint = app.backend();

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview|healthz)(/|$|\?)") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    unset req.http.Cookie;
    unset req.http.Authorization;

    # Keep only the parameters that change what a page shows; sort them.
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "([?&])(?!(before|after|page|q)=)[^&]*", "\1");
        set req.url = regsuball(req.url, "&{2,}", "&");
        set req.url = regsub(req.url, "\?&", "?");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }
    return (hash);
}

sub vcl_backend_response {
    # The key a site-wide purge names (articles/cache/purge.py: EVERYTHING), on every object,
    # tagged by the site or not (a 404, say).
    if (beresp.http.xkey) {
        set beresp.http.xkey = beresp.http.xkey + " everything";
    } else {
        set beresp.http.xkey = "everything";
    }
    # Only what the site marked public is kept: no cookie, no private page, no guessing.
    if (beresp.http.Set-Cookie
        || !beresp.http.Cache-Control
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-while-revalidate=([0-9]+).*", "\1") + "s",
            10s);
    }
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    # The keys are for this cache only.
    unset resp.http.xkey;
}
