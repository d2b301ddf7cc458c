"""Writing outputs whole or not at all: a temporary file beside the target, then a rename."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from .errors import UsageError, error


def write_output(target: str | None, data: str | bytes) -> None:
    """Write to a file atomically, or to stdout when target is None or `-`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if target in (None, "-"):
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    write_atomic(Path(target), payload)


def write_atomic(path: Path, payload: bytes) -> None:
    """Replace `path` with `payload` so that readers see the old file or the new, never half."""
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(error(f"{path}: the folder {folder} does not exist"))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UsageError(error(f"{path}: cannot write: {exc.strerror or exc}")) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as exc:
        raise UsageError(error(f"{path}: cannot write: {exc.strerror or exc}")) from None
    finally:
        Path(temporary).unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    """The permissions the output should have: the replaced file's, else what the umask allows."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
