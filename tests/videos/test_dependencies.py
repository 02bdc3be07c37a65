"""``videos`` never imports ``jobs`` below its faces: jobs use the library, not the reverse."""

from __future__ import annotations

import ast
from pathlib import Path

import videos

VIDEOS = Path(videos.__file__).parent
# The web-facing modules may call jobs services (adding a video starts its probe): the API,
# the admin, the URLs, and the pages' views and forms (views.py, artist_views.py, …).
FACES = {"api", "admin.py", "urls.py"}
FACE_SUFFIXES = ("views.py", "forms.py")


def is_face(path: Path) -> bool:
    top = path.relative_to(VIDEOS).parts[0]
    return top in FACES or top.endswith(FACE_SUFFIXES)


def non_face_modules() -> list[Path]:
    return sorted(path for path in VIDEOS.rglob("*.py") if not is_face(path))


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_walk_covers_the_models_services_and_selectors():
    walked = {str(path.relative_to(VIDEOS)) for path in non_face_modules()}
    assert {"models.py", "services.py", "selectors.py"} <= walked
    assert not any(name.startswith("api") or name.endswith("views.py") for name in walked)


def test_no_module_of_the_library_below_its_faces_imports_jobs():
    offenders = {
        str(path.relative_to(VIDEOS)): sorted(
            name for name in imported_modules(path) if name == "jobs" or name.startswith("jobs.")
        )
        for path in non_face_modules()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_check_sees_an_import_of_jobs(tmp_path):
    module = tmp_path / "sneaky.py"
    module.write_text("from jobs.services import cancel_job\nimport jobs.models\n")
    assert {"jobs.services", "jobs.models"} <= imported_modules(module)
