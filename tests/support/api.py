"""Helpers for the content API's tests: keys, a key's client, the official ninjs schema."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from articles.models import ApiKey, Partner

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


@cache
def ninjs_validator() -> Draft202012Validator:
    """The official IPTC ninjs 3.0 schema (tests/schemas/ninjs-schema_3.0.json)."""
    schema = json.loads((SCHEMAS / "ninjs-schema_3.0.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_ninjs(item: dict) -> None:
    errors = sorted(ninjs_validator().iter_errors(item), key=lambda error: error.path)
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors)


def make_key(partner: str = "Partner", **fields) -> tuple[ApiKey, str]:
    owner, _ = Partner.objects.get_or_create(name=partner)
    sections = fields.pop("sections", [])
    topics = fields.pop("topics", [])
    key, secret = ApiKey.create_for(owner, name=fields.pop("name", "test"), **fields)
    key.sections.set(sections)
    key.topics.set(topics)
    return key, secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
