"""Log formatting: one JSON object per line in production, readable text in development.

A job's id and its video's id ride on every line a job writes, whatever logger wrote it
(yt-dlp's, Django's, ours): :func:`job_log_context` binds them for the current thread (a
``ContextVar``), and :class:`JobContextFilter`, installed on the console handler, copies them
onto each record. This module imports only the standard library, so any layer may use it.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import datetime
import io
import json
import logging
import sys
import threading
from collections.abc import Iterator
from typing import TextIO

_job_context: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar(
    "mvidarr_job_log_context", default=None
)

CONTEXT_FIELDS = ("job_id", "video_id")

# Attributes every LogRecord has; anything else on a record came from ``extra=`` or a filter.
_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "taskName"}
    # uvicorn's copy of the message with terminal colours: noise in a JSON line.
    | {"color_message"}
)


@contextlib.contextmanager
def job_log_context(*, job_id: int | None = None, video_id: int | None = None) -> Iterator[None]:
    """Within the block, every log line of this thread carries ``job_id`` and ``video_id``.

    Nested blocks add to (and may override) the outer one; leaving a block restores it.
    """
    bound = dict(_job_context.get() or {})
    if job_id is not None:
        bound["job_id"] = int(job_id)
    if video_id is not None:
        bound["video_id"] = int(video_id)
    token = _job_context.set(bound)
    try:
        yield
    finally:
        _job_context.reset(token)


def bind_job(job_id: int | None) -> contextvars.Token:
    """Bind ``job_id`` until :func:`unbind` is given the returned token (for Dramatiq hooks,
    where the start and the end of a message are two calls rather than one block)."""
    bound = {"job_id": int(job_id)} if job_id is not None else {}
    return _job_context.set(bound)


def unbind(token: contextvars.Token) -> None:
    try:
        _job_context.reset(token)
    except ValueError:  # set in another context (should not happen): clear instead
        _job_context.set(None)


def current_job_context() -> dict[str, int]:
    """The ids bound for this thread right now (a copy)."""
    return dict(_job_context.get() or {})


class JobContextFilter(logging.Filter):
    """Copies the bound ``job_id`` and ``video_id`` onto every record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in (_job_context.get() or {}).items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, job_id/video_id when bound,
    any ``extra=`` fields, and the traceback as ``exc`` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
            "thread": record.threadName,
        }
        for name, value in record.__dict__.items():
            if name not in _STANDARD_ATTRS and not name.startswith("_"):
                entry[name] = value if _is_json_scalar(value) else repr(value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``2026-01-02 10:00:00,123 INFO jobs.worker.download [job 12 video 7]: message``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(job_tag)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        parts = [
            f"{name.removesuffix('_id')} {getattr(record, name)}"
            for name in CONTEXT_FIELDS
            if getattr(record, name, None) is not None
        ]
        record.job_tag = f" [{' '.join(parts)}]" if parts else ""
        try:
            return super().format(record)
        finally:
            del record.job_tag


def _is_json_scalar(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


class JsonLines(io.TextIOBase):
    """A text stream that turns every line written to it into one JSON log line.

    With ``LOG_FORMAT=json`` every line a container prints must parse as JSON, but a
    management command writes text (``migrate``'s progress, ``ensure_admin``'s sentence,
    django-dramatiq's start-up lines) to stdout and stderr. Lines that already are JSON
    objects (our log handler's) pass through unchanged; blank lines are dropped.
    """

    def __init__(self, stream: TextIO, *, logger: str, level: int) -> None:
        super().__init__()
        self._stream = stream
        self._logger = logger
        self._level = level
        self._pending = ""
        self._lock = threading.Lock()
        self._formatter = JsonFormatter()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", "utf-8")

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._stream.fileno()

    def write(self, text: str) -> int:
        with self._lock:
            lines = (self._pending + text).split("\n")
            self._pending = lines.pop()
            out = "".join(self._as_json(line) for line in lines)
            if out:
                self._stream.write(out)
                self._stream.flush()
        return len(text)

    def flush(self) -> None:
        """Lines are written whole; a partial line waits for its end (or :meth:`close`)."""
        self._stream.flush()

    def close(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, ""
            if pending:
                self._stream.write(self._as_json(pending))
        self._stream.flush()

    def _as_json(self, line: str) -> str:
        line = line.rstrip("\r")
        if not line.strip():
            return ""
        if line.startswith("{"):
            with contextlib.suppress(ValueError):
                if isinstance(json.loads(line), dict):
                    return line + "\n"
        record = logging.LogRecord(self._logger, self._level, "", 0, line.strip(), None, None)
        return self._formatter.format(record) + "\n"


def json_lines_for_process(name: str) -> None:
    """Send this process's stdout and stderr through :class:`JsonLines` and log an uncaught
    exception as one JSON line with its traceback (``exc``) instead of many text lines."""
    out = JsonLines(sys.stdout, logger=name, level=logging.INFO)
    err = JsonLines(sys.stderr, logger=name, level=logging.ERROR)
    sys.stdout, sys.stderr = out, err
    formatter = JsonFormatter()

    def log_uncaught(kind, value, traceback) -> None:
        record = logging.LogRecord(
            name,
            logging.CRITICAL,
            "",
            0,
            f"{kind.__name__}: {value}",
            None,
            (kind, value, traceback),
        )
        err._stream.write(formatter.format(record) + "\n")
        err._stream.flush()

    sys.excepthook = log_uncaught
    atexit.register(out.close)
    atexit.register(err.close)
