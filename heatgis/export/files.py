"""Output files: the folder check and the atomic replace every writer uses (Qt-free)."""

from __future__ import annotations

import os
from pathlib import Path

from heatgis.errors import HeatGISError
from heatgis.text import Text

#: the fix of an output that cannot be written where it was asked
WRITABLE_FIX = Text("choose a folder you can write to", "选择一个可以写入的文件夹")


def check_writable(path) -> Path:
    """``path``'s folder exists and can be written (HeatGISError naming it otherwise)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise HeatGISError(
            Text("the folder {folder} does not exist", "文件夹 {folder} 不存在", folder=folder),
            Text("create it or choose another output folder", "新建该文件夹，或另选输出文件夹"),
            file=path,
        )
    if not writable(folder):
        raise HeatGISError(
            Text("the folder {folder} is read-only", "文件夹 {folder} 是只读的", folder=folder), WRITABLE_FIX, file=path
        )
    return path


def check_folder(folder) -> Path:
    """``folder`` (created later if missing) can be written: itself or the first folder above it
    that exists (HeatGISError naming it otherwise)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise HeatGISError(
            Text("this is a file, not a folder", "这是一个文件，不是文件夹"),
            Text("give a folder name", "请给出文件夹名称"),
            file=folder,
        )
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not writable(existing):
        raise HeatGISError(
            Text("the folder {folder} is read-only", "文件夹 {folder} 是只读的", folder=existing),
            WRITABLE_FIX,
            file=folder,
        )
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
            Text("the file could not be replaced ({err})", "文件无法替换（{err}）", err=exc.strerror),
            Text(
                "close it in the program that has it open, or choose another name",
                "在打开它的程序中关闭该文件，或另取一个文件名",
            ),
            file=path,
        ) from exc
    return path
