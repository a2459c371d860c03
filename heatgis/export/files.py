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
        raise HeatGISError(
            f"the folder {folder} does not exist", "create it or choose another output folder", file=path
        )
    if not writable(folder):
        raise HeatGISError(f"the folder {folder} is read-only", "choose a folder you can write to", file=path)
    return path


def check_folder(folder) -> Path:
    """``folder`` (created later if missing) can be written: itself or the first folder above it
    that exists (HeatGISError naming it otherwise)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise HeatGISError("this is a file, not a folder", "give a folder name", file=folder)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not writable(existing):
        raise HeatGISError(f"the folder {existing} is read-only", "choose a folder you can write to", file=folder)
    return folder


def writable(folder) -> bool:
    """True when files can be made in ``folder``. A folder whose mode has no write bit at all
    (chmod a-w) counts as read-only for root too, who could otherwise write there: the
    planner made it read-only on purpose."""
    folder = Path(folder)
    if not os.access(folder, os.W_OK):
        return False
    if os.name != "nt" and hasattr(os, "geteuid") and os.geteuid() == 0:
        try:
            return bool(folder.stat().st_mode & 0o222)
        except OSError:
            return False
    return True


def replace_file(tmp: Path, path: Path) -> Path:
    """Put the finished ``tmp`` in place of ``path`` in one rename."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise HeatGISError(
            f"the file could not be replaced ({exc.strerror})",
            "close it in the program that has it open, or choose another name",
            file=path,
        ) from exc
    return path
