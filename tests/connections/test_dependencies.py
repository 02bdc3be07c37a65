"""``connections`` never imports ``jobs`` below its faces: jobs deliver to the connections,
not the reverse."""

from __future__ import annotations

from pathlib import Path

import connections
from tests.videos.test_dependencies import imported_modules

ROOT = Path(connections.__file__).parent
FACES = {"api.py", "views.py", "urls.py", "admin.py", "forms.py"}


def test_no_module_of_connections_below_its_faces_imports_jobs():
    walked = sorted(path for path in ROOT.rglob("*.py") if path.name not in FACES)
    assert {"models.py", "services.py", "delivery.py"} <= {path.name for path in walked}
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name == "jobs" or name.startswith("jobs.")
        )
        for path in walked
    }
    assert {path: names for path, names in offenders.items() if names} == {}
