"""Output files: the folder check and the atomic replace every writer uses (Qt-free)."""
from __future__ import annotations

import os
from pathlib import Path

from heatgis.errors import HeatGISError


def check_writable(path) -> Path:
    """``path``'s folder exists and can be written (HeatGISError naming it otherwise)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise HeatGISError(f"the folder {folder} does not exist", "create it or choose another output folder",
                           file=path)
    if not os.access(folder, os.W_OK):
        raise HeatGISError(f"the folder {folder} cannot be written", "choose a folder you can write to",
                           file=path)
    return path


def replace_file(tmp: Path, path: Path) -> Path:
    """Put the finished ``tmp`` in place of ``path`` in one rename."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise HeatGISError(f"the file could not be replaced ({exc.strerror})",
                           "close it in the program that has it open, or choose another name", file=path) from exc
    return path
