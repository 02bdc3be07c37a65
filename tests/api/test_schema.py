"""/api/schema/ documents every endpoint, body and error, and the answers match it."""

from __future__ import annotations

import copy

import jsonschema
import pytest
from django.core.management import call_command

from tests.api.schema_urls import API_PATHS
from videos.models import Video

THROTTLED = {
    ("/api/videos/", "post"),
    ("/api/videos/import", "post"),
    ("/api/videos/{video_id}/download", "post"),
    ("/api/videos/{video_id}/resolve", "post"),
    ("/api/videos/{video_id}/source", "post"),
    ("/api/videos/bulk/download", "post"),
    ("/api/wanted/download", "post"),
    ("/api/wanted/cutoff/check", "post"),
    ("/api/jobs/{job_id}/retry", "post"),
    ("/api/jobs/retry-failed", "post"),
    ("/api/auth/token/", "post"),
}


@pytest.fixture
def schema(api) -> dict:
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(schema: dict):
    """This API's operations (other apps add their own paths under /api/)."""
    for path in API_PATHS:
        for method, operation in schema["paths"][path].items():
            yield path, method, operation


def test_the_schema_of_these_endpoints_generates_without_a_warning_and_is_valid(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--urlconf",
        "tests.api.schema_urls",
        "--file",
        tmp_path / "schema.yaml",
    )


def test_the_schema_lists_every_endpoint_with_action_paths_as_written(schema):
    assert set(schema["paths"]) >= API_PATHS
    slash_twins = {f"{path}/" for path in API_PATHS if not path.endswith("/")}
    assert not slash_twins & set(schema["paths"])


def test_every_operation_documents_its_errors(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        where = f"{method.upper()} {path}"
        assert "401" in codes, where
        if "requestBody" in operation or any(
            p["in"] == "query" and p["name"] != "page" for p in operation.get("parameters", [])
        ):
            assert "400" in codes, where
        if "{" in path:
            assert "404" in codes, where
        if (path, method) in THROTTLED:
            assert "Retry-After" in operation["responses"]["429"]["headers"], where
        for code, response in operation["responses"].items():
            if code >= "400":
                assert response["description"], f"{where} {code}"
                assert "application/json" in response["content"], f"{where} {code}"


def test_the_job_schema_names_every_field_of_the_one_job_representation(schema):
    job = schema["components"]["schemas"]["Job"]
    assert set(job["properties"]) >= {
        "id", "kind", "origin", "status", "progress", "message", "error", "attempts",
        "options", "video", "parent", "speed", "eta", "seq", "created_at", "started_at",
        "finished_at", "items", "title", "link",
    }  # fmt: skip
    assert job["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Job"}


def test_the_job_enums_keep_their_names_and_list_every_kind_and_origin(schema):
    job = schema["components"]["schemas"]["Job"]["properties"]
    enums = schema["components"]["schemas"]
    for field, name in (("kind", "JobKindEnum"), ("status", "JobStatusEnum")):
        assert job[field]["allOf"][0] == {"$ref": f"#/components/schemas/{name}"}, field
    assert job["origin"]["allOf"][0] == {"$ref": "#/components/schemas/JobOriginEnum"}
    assert set(enums["JobKindEnum"]["enum"]) == {
        "video_download", "bulk_video_download", "metadata_probe", "source_index",
        "source_resolve", "library_rename", "upgrade_check", "import_scan", "import_apply",
        "notify", "media_refresh",
        "sidecars_write", "tags_write", "artist_import", "metadata_refresh", "video_import",
    }  # fmt: skip
    assert enums["JobOriginEnum"]["enum"] == ["user", "schedule", "system"]


# --- answers against the schema ----------------------------------------------------------------
def as_json_schema(node):
    """OpenAPI 3.0 → JSON Schema: ``nullable: true`` becomes "or null"."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def assert_matches(schema: dict, path: str, method: str, response) -> None:
    documented = schema["paths"][path][method]["responses"][str(response.status_code)]
    body_schema = copy.deepcopy(documented["content"]["application/json"]["schema"])
    root = {"components": as_json_schema(schema["components"]), **as_json_schema(body_schema)}
    jsonschema.Draft202012Validator(root).validate(response.json())


def test_the_answers_match_the_documented_shapes(schema, api, client_for, bob, alice, boss, db):
    video = Video.objects.create(source_url="https://example.com/a", title="Army of Me")
    other = Video.objects.create(source_url="https://example.com/b")
    checks = [
        ("/api/videos/", "post", api.post("/api/videos/", {"url": "https://e.com/c"}, "json")),
        ("/api/videos/", "get", api.get("/api/videos/")),
        ("/api/videos/", "post", api.post("/api/videos/", {"url": "nope"}, "json")),
        ("/api/videos/", "post", api.post("/api/videos/", {"url": video.source_url}, "json")),
        ("/api/videos/{video_id}/", "get", api.get(f"/api/videos/{video.pk}/")),
        ("/api/videos/{video_id}/", "get", api.get("/api/videos/999/")),
        ("/api/videos/{video_id}/", "delete", api.delete(f"/api/videos/{video.pk}/")),
        (
            "/api/videos/{video_id}/download",
            "post",
            api.post(f"/api/videos/{video.pk}/download", {}, "json"),
        ),
        (
            "/api/videos/{video_id}/download",
            "post",
            api.post(f"/api/videos/{video.pk}/download", {}, "json"),
        ),
        (
            "/api/videos/{video_id}/download",
            "post",
            client_for(bob).post(f"/api/videos/{video.pk}/download", {}, "json"),
        ),
        (
            "/api/videos/bulk/download",
            "post",
            api.post("/api/videos/bulk/download", {"video_ids": [other.pk]}, "json"),
        ),
        (
            "/api/videos/bulk/download",
            "post",
            api.post("/api/videos/bulk/download", {"video_ids": ["x"]}, "json"),
        ),
        ("/api/videos/import", "post", api.post("/api/videos/import", {"url": "https://e.com"})),
        ("/api/jobs/", "get", api.get("/api/jobs/")),
        ("/api/artists/", "post", client_for(boss).post("/api/artists/", {"name": "B"}, "json")),
        ("/api/artists/", "post", api.post("/api/artists/", {"name": "Björk"}, "json")),
        ("/api/artists/", "get", api.get("/api/artists/")),
        ("/api/jobs/", "get", client_for().get("/api/jobs/")),
    ]
    for path, method, response in checks:
        assert_matches(schema, path, method, response)
    statuses = [response.status_code for *_, response in checks]
    assert statuses == [
        *(201, 200, 400, 409, 200, 404, 403, 202, 200, 409, 202, 400, 202, 200, 201, 403, 200, 401)
    ]
