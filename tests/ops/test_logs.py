"""Logs: JSON lines in production, text in development; a job's ids on each of its lines."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mvidarr.ops.logs import JobContextFilter, JsonFormatter, TextFormatter, job_log_context
from tests.processes import run_manage_py

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def capture():
    """A logger whose lines go, formatted by ``formatter``, into a string."""

    def make(formatter: logging.Formatter) -> tuple[logging.Logger, io.StringIO]:
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        handler.addFilter(JobContextFilter())
        logger = logging.getLogger(f"tests.ops.capture.{id(stream)}")
        logger.handlers[:] = [handler]
        logger.propagate = False
        logger.setLevel(logging.DEBUG)
        return logger, stream

    return make


def test_json_lines_carry_the_job_and_video_ids(capture):
    logger, stream = capture(JsonFormatter())
    with job_log_context(job_id=12, video_id=7):
        logger.info("downloading %s", "clip.mp4")
        logger.warning("slow", extra={"speed": 12.5})
    logger.info("outside")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["message"] for line in lines] == ["downloading clip.mp4", "slow", "outside"]
    assert lines[0]["job_id"] == 12 and lines[0]["video_id"] == 7
    assert lines[1]["speed"] == 12.5 and lines[1]["level"] == "WARNING"
    assert "job_id" not in lines[2]


def test_a_traceback_stays_inside_one_json_line(capture):
    logger, stream = capture(JsonFormatter())
    try:
        raise ValueError("bad\nthing")
    except ValueError:
        logger.exception("it broke")
    [line] = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert "ValueError: bad" in entry["exc"]


def test_text_lines_name_the_job_and_video(capture):
    logger, stream = capture(TextFormatter())
    with job_log_context(job_id=3):
        with job_log_context(video_id=9):
            logger.info("hello")
        logger.info("bye")
    first, second = stream.getvalue().splitlines()
    assert first.endswith(" [job 3 video 9]: hello")
    assert second.endswith(" [job 3]: bye")


def test_each_thread_has_its_own_job_context(capture):
    logger, stream = capture(JsonFormatter())
    barrier = threading.Barrier(2)

    def run(job_id: int) -> None:
        with job_log_context(job_id=job_id, video_id=job_id * 10):
            barrier.wait()  # both contexts are bound at once
            logger.info("working")

    threads = [threading.Thread(target=run, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pairs = {(e["job_id"], e["video_id"]) for e in map(json.loads, stream.getvalue().splitlines())}
    assert pairs == {(1, 10), (2, 20)}


SCRIPT = """
import logging, django
django.setup()
from mvidarr.ops.logs import job_log_context
with job_log_context(job_id=5, video_id=6):
    logging.getLogger("yt_dlp").info("a line from a library")
logging.getLogger("jobs.worker.download").info("no job here")
"""


def run_with_settings(**env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "mvidarr.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_log_format_json_makes_every_line_a_json_object():
    result = run_with_settings(LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert lines[0]["logger"] == "yt_dlp"
    assert (lines[0]["job_id"], lines[0]["video_id"]) == (5, 6)
    assert "job_id" not in lines[1]


def test_text_is_the_default_for_development():
    result = run_with_settings(LOG_FORMAT="")
    assert result.returncode == 0, result.stderr
    assert "INFO yt_dlp [job 5 video 6]: a line from a library" in result.stderr


def test_an_unknown_log_format_is_refused_with_a_sentence():
    result = run_with_settings(LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be json or text, not 'xml'." in result.stderr


# --- What the containers print: commands' own text becomes JSON lines too -------------------


def json_objects(text: str) -> list[dict]:
    """Every non-empty line of ``text`` as a JSON object; fails naming the first that is not."""
    objects = []
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            pytest.fail(f"not a JSON line: {line!r}")
        assert isinstance(value, dict), line
        objects.append(value)
    return objects


@pytest.fixture
def container_env(tmp_path):
    from tests.processes import process_env

    return process_env(
        LOG_FORMAT="json",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MVIDARR_VAR=str(tmp_path / "var"),
        MVIDARR_ADMIN_PASSWORD="a long enough password 123",
    )


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return run_manage_py(*args, env=env, timeout=120)


def test_the_web_containers_start_up_commands_print_only_json_lines(container_env):
    migrate = manage(container_env, "migrate", "--noinput")
    admin = manage(container_env, "ensure_admin")
    assert migrate.returncode == admin.returncode == 0, migrate.stderr + admin.stderr
    lines = json_objects(migrate.stdout + migrate.stderr + admin.stdout + admin.stderr)
    messages = [(line["logger"], line["message"]) for line in lines]
    assert ("manage.migrate", "Applying jobs.0001_initial... OK") in messages
    assert ("manage.ensure_admin", "Created admin account 'admin'.") in messages


def test_a_crash_is_one_json_line_with_its_traceback(container_env):
    # Nothing listens on port 9: migrate fails with an uncaught OperationalError.
    env = {**container_env, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing"}
    result = manage(env, "migrate", "--noinput")
    assert result.returncode != 0
    lines = json_objects(result.stdout + result.stderr)
    crash = [line for line in lines if line["level"] == "CRITICAL"]
    assert len(crash) == 1, lines
    assert crash[0]["message"].startswith("OperationalError")
    assert "Traceback (most recent call last)" in crash[0]["exc"]


def test_an_unknown_command_is_refused_in_a_json_line(container_env):
    result = manage(container_env, "no_such_command")
    assert result.returncode != 0
    first = json_objects(result.stdout + result.stderr)[0]
    assert first["level"] == "ERROR"
    assert first["message"] == "Unknown command: 'no_such_command'"


@pytest.mark.parametrize(
    ("args", "ready"),
    [
        (
            ["rundramatiq", "--skip-logging", "--processes", "1", "--threads", "1"],
            "ready for action",
        ),
        (["crontab", "--no-heartbeat"], "holds its lock"),
    ],
    ids=["worker", "scheduler"],
)
def test_the_worker_and_scheduler_print_only_json_lines_from_start_to_stop(
    container_env, tmp_path, args, ready
):
    from mvidarr.children import Child

    assert manage(container_env, "migrate", "--noinput").returncode == 0
    process = Child(
        [sys.executable, "manage.py", *args], env=container_env, log=tmp_path / "out.log"
    )
    try:
        for _ in range(600):
            if ready in process.log.read_text() or process.popen.poll() is not None:
                break
            threading.Event().wait(0.1)
    finally:
        process.stop()
    lines = json_objects(process.log.read_text())
    assert any(ready in line["message"] for line in lines), process.output()
    # The start-up lines that used to be plain text ("* Discovered tasks module", "Loaded
    # tasks from") are there, as JSON.
    assert any(line["logger"] == f"manage.{args[0]}" for line in lines)
