"""videos.ytdlp is the one door to yt-dlp: read from the source with ``ast``, not by convention."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
YTDLP = ROOT / "videos" / "ytdlp"
SKIPPED = {"var", "node_modules", "__pycache__"}  # and every hidden folder (.venv, .git)


def _python_files() -> list[Path]:
    found = []
    for folder, subfolders, names in os.walk(ROOT):
        subfolders[:] = [n for n in subfolders if n not in SKIPPED and not n.startswith(".")]
        found += [Path(folder) / name for name in names if name.endswith(".py")]
    return found


def _imports(path: Path) -> list[str]:
    """Every absolute import in ``path``: ``a.b`` for ``import a.b``, ``a.b.c`` for ``from a.b
    import c``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def _is(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_nothing_outside_videos_ytdlp_imports_yt_dlp():
    files = _python_files()
    assert ROOT / "manage.py" in files  # the walk found the project

    importers = {
        str(path.relative_to(ROOT))
        for path in files
        if not path.is_relative_to(YTDLP) and any(_is(name, "yt_dlp") for name in _imports(path))
    }

    assert importers == set()


@pytest.mark.parametrize("path", sorted(YTDLP.glob("*.py")), ids=lambda path: path.name)
def test_videos_ytdlp_imports_no_django_and_nothing_else_of_mvidarr(path):
    allowed = ("videos.ytdlp", "videos.netguard", "videos.quality")  # both pure, no Django
    outside = [
        name
        for name in _imports(path)
        if _is(name, "django")
        or (
            any(_is(name, app) for app in ("videos", "jobs", "mvidarr"))
            and not any(_is(name, package) for package in allowed)
        )
    ]

    assert outside == []


@pytest.mark.parametrize("path", sorted(YTDLP.glob("*.py")), ids=lambda path: path.name)
def test_videos_ytdlp_modules_import_only_each_others_public_names(path):
    private = [
        name
        for name in _imports(path)
        if _is(name, "videos") and name.rpartition(".")[2].startswith("_")
    ]

    assert private == []
