"""A folder nothing can be written in, for the tests of what a write refused does.

Tests run as root in the container, and root writes through a ``chmod 555`` folder, so for
root the folder is made immutable (``chattr +i``: no file may be created, removed or renamed
in it, whoever asks); for anyone else ``chmod 555`` is enough. The test is skipped, saying
why, where neither can make the folder read-only (a filesystem without the attribute).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[Path]:
    """``folder`` read-only for the block, writable again afterwards."""
    folder = Path(folder)
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"chattr +i is refused here: {made.stderr.decode().strip()}")
        undo = ["chattr", "-i", str(folder)]
    else:
        mode = folder.stat().st_mode
        folder.chmod(0o555)
        undo = None
    try:
        probe = folder / ".probe"
        try:
            probe.write_bytes(b"")
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip(f"{folder} stays writable here")
        yield folder
    finally:
        if undo is not None:
            subprocess.run(undo, check=True)
        else:
            folder.chmod(mode)
