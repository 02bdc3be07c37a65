"""The image's build check (`make image`, `make image-smoke`, deploy/standins.sh), checked
without building anything: the check itself runs by hand (README, "Build and check the image")."""

from __future__ import annotations

import ast
import importlib.machinery
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def base_images() -> set[str]:
    dockerfile = (ROOT / "Dockerfile").read_text()
    return set(re.findall(r"^FROM (\S+)", dockerfile, flags=re.MULTILINE))


def test_the_stand_ins_are_the_images_the_dockerfile_starts_from():
    assert base_images() == {"python:3.11-slim", "denoland/deno:bin-${DENO_VERSION}"}
    standins = (ROOT / "deploy" / "standins.sh").read_text()
    assert "PYTHON_IMAGE=docker.io/library/python:3.11-slim" in standins
    assert "DENO_IMAGE=docker.io/denoland/deno:bin-$DENO_VERSION" in standins
    # The Deno version is the Dockerfile's, read from it, never a second copy.
    assert "sed -n 's/^ARG DENO_VERSION=//p' Dockerfile" in standins


def test_the_dockerfile_names_no_frontend_image_to_pull():
    # A `# syntax=` line makes BuildKit pull a frontend image: offline, stand-ins or not,
    # the build would stop there.
    assert "# syntax=" not in (ROOT / "Dockerfile").read_text()


def test_the_build_context_leaves_out_tests_benchmarks_and_local_state():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {"tests", "bench", ".venv", "var", ".env", ".git"} <= ignored


def fake_docker(tmp_path: Path, *, daemon: bool) -> dict[str, str]:
    """PATH with a `docker` client that reaches a daemon or not, and the real make."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "docker").write_text(f"#!/bin/sh\nexit {0 if daemon else 1}\n")
    (bin_dir / "docker").chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(("daemon", "engine"), [(True, "docker"), (False, "podman")])
def test_make_image_uses_docker_only_when_a_daemon_answers(tmp_path, daemon, engine):
    env = fake_docker(tmp_path, daemon=daemon)
    env.pop("CONTAINER_ENGINE", None)
    planned = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "image"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert planned.split()[:4] == [engine, "build", "--tag", "mvidarr:local"]


def smoke_script(monkeypatch):
    """bin/image-smoke as a module (it runs nothing on import but choosing the engine)."""
    monkeypatch.setenv("CONTAINER_ENGINE", "podman")
    loader = importlib.machinery.SourceFileLoader("image_smoke", str(ROOT / "bin" / "image-smoke"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("image_smoke", loader))
    loader.exec_module(module)
    return module


def test_the_smoke_script_needs_only_the_standard_library():
    tree = ast.parse((ROOT / "bin" / "image-smoke").read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])

    assert imported <= sys.stdlib_module_names


def test_the_smoke_counts_every_log_line_that_is_not_one_json_object(monkeypatch):
    lines = ['{"level": "INFO", "message": "ok"}', "", "Operations to perform:", "[1, 2]"]

    assert smoke_script(monkeypatch).not_json(lines) == ["Operations to perform:", "[1, 2]"]
