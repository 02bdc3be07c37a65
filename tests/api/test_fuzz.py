"""Schema-driven fuzzing: whatever a client sends to any operation, the answer is never a 5xx.

For every operation in the OpenAPI schema, Hypothesis builds requests from the documented
parameters and body: values that fit each field's schema, mixed with values of every other
JSON type, NUL bytes, lone surrogates, huge numbers, extra keys, and bodies that are not
JSON at all. Ids in paths are existing ones or any number up to 18 digits.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import ScopedRateThrottle

from jobs.models import Job
from tests.api.schema_urls import API_PATHS
from videos.models import Video
from videos.services import artist_get_or_create

SCHEMA = SchemaGenerator(urlconf="tests.api.schema_urls").get_schema(request=None, public=True)
OPERATIONS = [
    (path, method)
    for path in sorted(API_PATHS)
    for method in SCHEMA["paths"][path]
    if method in {"get", "post", "patch", "delete"}
]

# Text a person would never type: control characters, NUL, lone surrogates, long runs.
NASTY_TEXT = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()), max_size=40
) | st.sampled_from(["", " ", "\x00", "a\x00b", "\ud800", "x" * 3000, "%00", "../../etc"])
HUGE_INT = st.integers(min_value=-(2**70), max_value=2**70)
JUNK = st.recursive(
    st.none() | st.booleans() | HUGE_INT | st.floats() | NASTY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NASTY_TEXT, inner, max_size=3),
    max_leaves=6,
)
URLS = st.sampled_from(
    ["https://example.com/watch?v=1", "http://127.0.0.1:9/clip.mp4", "https://é.example/ü"]
) | st.builds(lambda s: f"https://example.com/{s}", NASTY_TEXT)


def resolve(node: dict) -> dict:
    while "$ref" in node or ("allOf" in node and len(node["allOf"]) == 1):
        if "$ref" in node:
            node = SCHEMA["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        else:
            node = node["allOf"][0]
    return node


def fitting(node: dict, ids: list[int]) -> st.SearchStrategy:
    """Values that fit ``node``, or come close (its limits are crossed on purpose).

    Integers are often ``ids`` (rows that exist), so bodies that name rows get past lookups.
    """
    node = resolve(node)
    if "enum" in node:
        return st.sampled_from([v for v in node["enum"] if v is not None])
    kind = node.get("type")
    if kind == "string":
        if node.get("format") == "uri":
            return URLS
        return st.text(max_size=node.get("maxLength", 300) + 2) | NASTY_TEXT
    if kind == "integer":
        return st.sampled_from(ids) | st.integers(min_value=-1, max_value=3) | HUGE_INT
    if kind == "number":
        return st.floats()
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(fitting(node.get("items", {}), ids), max_size=4)
    if kind == "object":
        return st.fixed_dictionaries(
            {},
            optional={
                name: st.one_of(fitting(sub, ids), JUNK)
                for name, sub in node.get("properties", {}).items()
            },
        )
    return JUNK


def body_for(operation: dict, ids: list[int]) -> st.SearchStrategy:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return st.just(None)
    documented = fitting(content["application/json"]["schema"], ids)
    as_json = st.one_of(documented, documented, JUNK).map(lambda v: json.dumps(v).encode())
    return as_json | st.binary(max_size=50) | st.just(b"") | st.just(b'{"url": "x"')


def query_for(operation: dict, ids: list[int]) -> st.SearchStrategy:
    params = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
    values = {
        name: st.one_of(fitting(p.get("schema", {}), ids), NASTY_TEXT).map(str)
        for name, p in params.items()
    }
    return st.fixed_dictionaries({}, optional=values)


@pytest.fixture
def library(alice, boss, make_job):
    """Something for every id to find: a video, an artist, jobs in several states."""
    artist = artist_get_or_create(name="Björk")
    video = Video.objects.create(source_url="https://example.com/a", title="A", artist=artist)
    jobs = [make_job(alice, state) for state in ("queued", "failed", "completed")]
    bulk = make_job(alice, "processing", kind=Job.Kind.BULK_VIDEO_DOWNLOAD)
    make_job(alice, "queued", parent=bulk)
    return {
        "artist_id": [artist.pk],
        "video_id": [video.pk, *Video.objects.exclude(pk=video.pk).values_list("pk", flat=True)],
        "job_id": [job.pk for job in (*jobs, bulk)],
    }


@pytest.fixture
def unthrottled(monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"submit": None, "login": None})


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_request_to_any_operation_gets_a_5xx(
    client_for, alice, boss, library, unthrottled, path, method, data
):
    operation = SCHEMA["paths"][path][method]
    url = path
    for name, known in library.items():
        if f"{{{name}}}" in url:
            value = data.draw(
                st.one_of(st.sampled_from(known), st.integers(0, 10**18 - 1)), label=name
            )
            url = url.replace(f"{{{name}}}", str(value))
    ids = sorted({pk for known in library.values() for pk in known})
    query = data.draw(query_for(operation, ids), label="query")
    body = data.draw(body_for(operation, ids), label="body")
    client = client_for(data.draw(st.sampled_from([alice, boss]), label="user"))
    if query:
        url = f"{url}?{urlencode(query, errors='surrogatepass')}"
    if body is None:
        response = getattr(client, method)(url)
    else:
        response = client.generic(method.upper(), url, body, content_type="application/json")
    event(f"HTTP {response.status_code}")  # pytest --hypothesis-show-statistics shows the mix
    assert response.status_code < 500, (response.status_code, response.content[:500])


def test_a_refusal_that_quotes_a_lone_surrogate_is_a_400_not_a_500(client_for, boss):
    # Found by the fuzz test above: DRF's refusal quotes the value, which UTF-8 cannot encode.
    body = '{"name": "Portishead", "monitor_new": "\\ud800"}'
    response = client_for(boss).generic(
        "POST", "/api/artists/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "monitor_new" in response.json()
    assert b"\\ud800" in response.content  # escaped, so the answer is still JSON
