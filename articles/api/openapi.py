"""The OpenAPI 3.1 description of the API (drf-spectacular), with the ninjs shapes it serves.

OpenAPI 3.1 schemas are JSON Schema 2020-12, as ninjs 3.0 is: the story and photo schemas
below describe the subset of ninjs this API emits; tests validate real responses against the
official ninjs schema itself (tests/schemas/ninjs-schema_3.0.json).
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json#"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def texts(*extra: str) -> dict:
    properties = {"role": {"type": "string"}, "contentType": {"type": "string"}}
    properties.update({name: {"type": "integer"} for name in extra})
    properties["value"] = {"type": "string"}
    return {
        "type": "array",
        "items": {"type": "object", "required": ["value"], "properties": properties},
    }


def named(*fields: str) -> dict:
    return {
        "type": "array",
        "items": {"type": "object", "properties": {f: {"type": "string"} for f in fields}},
    }


STRING = {"type": "string"}
DATE_TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
NEXT = {"type": ["string", "null"], "format": "uri", "description": "The next (older) page."}

PICTURE = {
    "type": "object",
    "description": f"A photo as an IPTC ninjs 3.0 picture ({NINJS_SCHEMA}).",
    "required": ["uri", "type", "renditions"],
    "properties": {
        "uri": URL,
        "name": {"type": "string", "description": "In a story: `lead`, `photo-1`, ..."},
        "rel": STRING,
        "type": {"const": "picture"},
        "representationType": STRING,
        "descriptions": texts(),
        "by": {"type": "string", "description": "The photo's credit."},
        "copyrightHolder": STRING,
        "usageTerms": STRING,
        "versionCreated": DATE_TIME,
        "renditions": {
            "type": "array",
            "description": "Resized copies; the uploaded original is never offered.",
            "items": {
                "type": "object",
                "properties": {
                    "name": STRING,
                    "href": URL,
                    "contentType": STRING,
                    "width": {"type": "integer"},
                    "height": {"type": "integer"},
                },
            },
        },
    },
}

STORY = {
    "type": "object",
    "description": (
        f"A published story as IPTC ninjs 3.0 ({NINJS_SCHEMA}). Bylines are in `people` and "
        "`organisations` with their role as `rel`; corrections are `descriptions` whose role "
        "is `correction`, `clarification` or `update`; the section is a subject with "
        "`rel: section`; topics with an IPTC Media Topic code carry its URI."
    ),
    "required": ["uri", "version", "versionCreated", "pubStatus", "headlines", "bodies"],
    "properties": {
        "uri": URL,
        "standard": {
            "type": "object",
            "properties": {"name": STRING, "version": STRING, "schema": URL},
        },
        "type": {"const": "text"},
        "representationType": {"enum": ["full", "partial"]},
        "version": STRING,
        "firstCreated": DATE_TIME,
        "versionCreated": DATE_TIME,
        "pubStatus": {"enum": ["usable", "withheld", "canceled"]},
        "language": STRING,
        "copyrightHolder": STRING,
        "slugline": STRING,
        "headlines": texts(),
        "descriptions": texts(),
        "bodies": texts("charCount", "wordCount"),
        "by": STRING,
        "people": named("name", "rel", "literal", "uri"),
        "organisations": named("name", "rel", "literal", "uri"),
        "located": {"type": "string", "description": "The dateline."},
        "subjects": named("name", "rel", "literal", "uri", "creator"),
        "altIds": named("role", "value"),
        "associations": {"type": "array", "items": ref("NinjsPicture")},
    },
}

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": STRING,
        "title": STRING,
        "status": {"type": "integer"},
        "detail": STRING,
        "errors": {"type": "object", "description": "Per parameter, for a 400."},
        "retry_after": {"type": "integer", "description": "Seconds to wait, for a 429."},
    },
}


def listing(item: dict, paged: bool = True) -> dict:
    properties = {"items": {"type": "array", "items": item}}
    if paged:
        properties["next"] = NEXT
    return {"type": "object", "required": list(properties), "properties": properties}


LINKED = {"url": URL, "stories": URL}
TOPIC = {
    "type": "object",
    "properties": {
        "name": STRING,
        "slug": STRING,
        "description": STRING,
        "media_topic": {
            "type": ["string", "null"],
            "description": "IPTC Media Topic qcode, e.g. medtop:20000051.",
        },
        "story_count": {"type": "integer"},
        **LINKED,
    },
}
SECTION = {
    "type": "object",
    "properties": {"name": STRING, "slug": STRING, "description": STRING, **LINKED},
}
CONTRIBUTOR = {
    "type": "object",
    "properties": {
        "name": STRING,
        "slug": STRING,
        "kind": {"enum": ["staff", "freelance", "agency"]},
        "job_title": STRING,
        "bio": STRING,
        **LINKED,
    },
}
CORRECTION = {
    "type": "object",
    "properties": {
        "kind": {"enum": ["correction", "clarification", "update"]},
        "text": STRING,
        "created_at": DATE_TIME,
        "story": {"type": "string", "format": "uri", "description": "The story's ninjs uri."},
        "headline": STRING,
        "url": URL,
    },
}

COMPONENTS = {
    "NinjsStory": STORY,
    "NinjsPicture": PICTURE,
    "Problem": PROBLEM,
    "StoryPage": {
        **listing(ref("NinjsStory")),
        "properties": {
            **listing(ref("NinjsStory"))["properties"],
            "previous": {**NEXT, "description": "The next newer page."},
        },
    },
}

PROBLEMS = {
    code: OpenApiResponse(ref("Problem"), description=text)
    for code, text in [
        (400, "A parameter is not valid."),
        (401, "No key, or a key that is unknown, expired or revoked."),
        (403, "The key does not cover this section or topic."),
        (429, "Over the key's rate limit; see Retry-After."),
    ]
}
NOT_FOUND = {404: OpenApiResponse(ref("Problem"), description="Not published, or not there.")}


def slug_filter(name: str, what: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, description=f"Only stories {what} (its slug).")


def time_filter(name: str, what: str) -> OpenApiParameter:
    return OpenApiParameter(name, {"type": "string", "format": "date-time"}, description=what)


LIMIT = OpenApiParameter(
    "limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    description="How many items a page holds: 20 unless asked, at most 100.",
)  # fmt: skip
CURSOR = "A cursor from `next` or `previous`: pages stay stable while stories are published."
STORY_LIST = {
    "operation_id": "stories_list",
    "summary": "Published stories, newest first",
    "parameters": [
        slug_filter("topic", "tagged with this topic"),
        slug_filter("section", "filed in this section"),
        slug_filter("contributor", "credited to this contributor"),
        time_filter("updated_since", "Only stories changed at or after this time."),
        time_filter("published_after", "Only stories published at or after this time."),
        time_filter("published_before", "Only stories published before this time."),
        OpenApiParameter("before", str, description=CURSOR),
        OpenApiParameter("after", str, description=CURSOR),
        LIMIT,
    ],
    "responses": {200: ref("StoryPage"), **PROBLEMS},
}
STORY_DETAIL = {
    "operation_id": "stories_retrieve",
    "summary": "One published story",
    "responses": {200: ref("NinjsStory"), **PROBLEMS, **NOT_FOUND},
}
AFTER = [OpenApiParameter("after", str, description="A cursor from `next`.")]
BEFORE = [OpenApiParameter("before", str, description="A cursor from `next`.")]
TOPIC_LIST = {
    "operation_id": "topics_list",
    "summary": "Topics with published stories, A to Z",
    "parameters": AFTER,
    "responses": {200: listing(TOPIC), **PROBLEMS},
}
SECTION_LIST = {
    "operation_id": "sections_list",
    "summary": "Sections",
    "responses": {200: listing(SECTION, paged=False), **PROBLEMS},
}
CONTRIBUTOR_LIST = {
    "operation_id": "contributors_list",
    "summary": "Contributors credited on published stories",
    "parameters": AFTER,
    "responses": {200: listing(CONTRIBUTOR), **PROBLEMS},
}
PHOTO_LIST = {
    "operation_id": "photos_list",
    "summary": "Photos in published stories, newest first",
    "parameters": [*BEFORE, LIMIT],
    "responses": {200: listing(ref("NinjsPicture")), **PROBLEMS},
}
PHOTO_DETAIL = {
    "operation_id": "photos_retrieve",
    "summary": "One photo",
    "responses": {200: ref("NinjsPicture"), **PROBLEMS, **NOT_FOUND},
}
CORRECTION_LIST = {
    "operation_id": "corrections_list",
    "summary": "Corrections to published stories, newest first",
    "parameters": [*BEFORE, LIMIT],
    "responses": {200: listing(CORRECTION), **PROBLEMS},
}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "articles.api.access.ApiKeyAuthentication"
    name = "partnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner key from the desk or `manage.py create_api_key`.",
        }


def add_components(result, generator, request, public):
    """drf-spectacular post-processing hook: the ninjs shapes the endpoints refer to."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    return result
