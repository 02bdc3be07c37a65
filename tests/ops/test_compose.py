"""The compose files, checked without a Docker engine: against the Compose Specification's
JSON schema kept in deploy/compose-spec.json, and against what `docker compose up -d
--scale worker=3` and a newcomer's `.env` need."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILES = [ROOT / "docker-compose.yml", ROOT / "deploy" / "worker-host.compose.yml"]
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}, ${NAME:+other}
VARIABLE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?+])?(?P<arg>[^}]*)\}")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value
    return values


def interpolate(text: str, env: dict[str, str]) -> str:
    """Compose's variable interpolation, enough for these files."""

    def replace(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"] or "", match["arg"]
        value = env.get(name)
        unset = value is None or (op.startswith(":") and value == "")
        if op.endswith("-"):
            return arg if unset else value
        if op.endswith("?"):
            if unset:
                raise AssertionError(f"{name} is required: {arg}")
            return value
        if op.endswith("+"):
            return "" if unset else arg
        return value or ""

    return VARIABLE.sub(replace, text.replace("$$", "\0")).replace("\0", "$")


@pytest.fixture(scope="module")
def schema() -> jsonschema.Draft7Validator:
    schema = json.loads((ROOT / "deploy" / "compose-spec.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.name)
def test_the_compose_file_matches_the_compose_specification(path, schema):
    schema.validate(load(path))


@pytest.mark.parametrize("path", COMPOSE_FILES, ids=lambda p: p.name)
def test_the_compose_file_is_valid_once_the_example_env_fills_it_in(path, schema):
    env = {**env_example(), "MVIDARR_DB_HOST": "db.lan", "MVIDARR_REDIS_HOST": "redis.lan"}
    env["MVIDARR_LIBRARY_SOURCE"] = env["MVIDARR_LIBRARY_SOURCE"] or "/srv/videos"
    document = yaml.safe_load(interpolate(path.read_text(), env))
    schema.validate(document)


def test_the_schema_catches_a_misspelt_key(schema):
    document = load(ROOT / "docker-compose.yml")
    document["services"]["worker"]["healtcheck"] = document["services"]["worker"]["healthcheck"]
    with pytest.raises(jsonschema.ValidationError):
        schema.validate(document)


def test_the_stack_has_the_services_the_readme_describes():
    services = load(ROOT / "docker-compose.yml")["services"]
    assert set(services) == {"web", "worker", "scheduler", "redis", "postgres"}
    assert services["worker"]["command"] == ["worker"]
    assert services["scheduler"]["command"] == ["scheduler"]


def test_every_service_restarts_and_has_a_health_check():
    for path in COMPOSE_FILES:
        for name, service in load(path)["services"].items():
            assert service.get("restart") == "unless-stopped", f"{path.name}: {name}"
            test = service.get("healthcheck", {}).get("test")
            assert test and test[0] in {"CMD", "CMD-SHELL"}, f"{path.name}: {name}"


def test_workers_can_be_scaled():
    # `docker compose up -d --scale worker=3` fails on a fixed name or a published port.
    for path in COMPOSE_FILES:
        worker = load(path)["services"]["worker"]
        assert "container_name" not in worker
        assert "ports" not in worker
        assert "scale" not in worker and "deploy" not in worker


def test_no_service_has_a_fixed_container_name():
    services = load(ROOT / "docker-compose.yml")["services"]
    assert not [name for name, service in services.items() if "container_name" in service]


def test_named_volumes_hold_the_database_redis_and_the_library():
    document = load(ROOT / "docker-compose.yml")
    declared = set(document["volumes"])
    assert declared == {"postgres", "redis", "library"}
    used = set()
    for service in document["services"].values():
        for volume in service.get("volumes", []):
            source = interpolate(volume, {}).split(":")[0]
            if not source.startswith(("/", ".")):
                used.add(source)
    assert used == declared


def test_every_variable_the_compose_files_use_is_documented_in_env_example():
    documented = set(env_example())
    optional = {"MVIDARR_IMAGE_TAG", "MVIDARR_DB_HOST", "MVIDARR_DB_PORT"}
    optional |= {"MVIDARR_REDIS_HOST", "MVIDARR_REDIS_PORT"}  # worker-host only: docs
    for path in COMPOSE_FILES:
        used = {match["name"] for match in VARIABLE.finditer(path.read_text())}
        assert used - documented - optional == set(), path.name


def test_the_app_services_read_their_settings_from_dot_env():
    for name in ("web", "worker", "scheduler"):
        service = load(ROOT / "docker-compose.yml")["services"][name]
        assert service["env_file"] == ".env"
        assert service["environment"]["LOG_FORMAT"] == "${LOG_FORMAT:-json}"


def test_the_web_health_check_and_port_mapping_follow_the_port_the_entrypoint_serves_on():
    env = {**env_example(), "MVIDARR_HTTP_PORT": "9000", "POSTGRES_PASSWORD": "x"}
    web = yaml.safe_load(interpolate((ROOT / "docker-compose.yml").read_text(), env))["services"][
        "web"
    ]

    assert "http://127.0.0.1:9000/healthz" in " ".join(web["healthcheck"]["test"])
    assert web["ports"] == ["127.0.0.1:8000:9000"]
    entrypoint = (ROOT / "deploy" / "entrypoint.sh").read_text()
    assert '--port "${MVIDARR_HTTP_PORT:-8000}"' in entrypoint


def test_the_dockerfile_builds_a_slim_image_with_ffmpeg_and_a_js_runtime():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert "ffmpeg" in dockerfile
    assert "COPY --from=deno /deno /usr/local/bin/deno" in dockerfile
    assert "collectstatic" in dockerfile
    assert "useradd" in dockerfile  # an unprivileged user; the entrypoint drops to PUID:PGID
    assert "setpriv" in (ROOT / "deploy" / "entrypoint.sh").read_text()


def test_the_image_installs_the_apps_requirements_alone():
    def pinned(name: str) -> set[str]:
        lines = (ROOT / name).read_text().splitlines()
        return {line.split("==")[0].lower() for line in lines if "==" in line}

    app = pinned("requirements.txt")
    tests, bench = pinned("requirements-test.txt"), pinned("requirements-bench.txt")
    assert {"pytest", "playwright", "hypothesis", "ruff", "pluggy", "greenlet"} <= tests
    assert {"matplotlib", "numpy", "pillow"} <= bench
    assert app & (tests | bench) == set()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.txt" in dockerfile
    assert "requirements-test" not in dockerfile and "requirements-bench" not in dockerfile


def test_the_entrypoint_knows_every_command_compose_gives_it():
    entrypoint = (ROOT / "deploy" / "entrypoint.sh").read_text()
    services = load(ROOT / "docker-compose.yml")["services"]
    for name in ("web", "worker", "scheduler"):
        assert f"\n  {services[name]['command'][0]})\n" in entrypoint
