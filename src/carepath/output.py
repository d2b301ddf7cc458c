"""Writing outputs whole or not at all: a temporary file beside the target, then a rename."""
from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import UsageError, error


def write_output(target: str | None, data: str | bytes) -> None:
    """Write to a file atomically, or to stdout when target is None or `-`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with output_stream(target) as stream:
        stream.write(payload)


@contextmanager
def output_stream(target: str | Path | None) -> Iterator[BinaryIO]:
    """A binary stream to stdout (target None or `-`), or to a file that appears only when the
    block ends without an exception, so a long streamed output is never seen half-written."""
    if target in (None, "-"):
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    with output_path(target) as temporary, os.fdopen(os.open(temporary, os.O_WRONLY | os.O_TRUNC), "wb") as stream:
        yield stream


@contextmanager
def output_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside `target` for a writer that wants a file name (DuckDB, Arrow); it
    becomes `target` only when the block ends without an exception."""
    path = Path(target)
    if not path.parent.is_dir():
        raise UsageError(error(f"{path}: the folder {path.parent} does not exist"))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
    except OSError as exc:
        raise UsageError(error(f"{path}: cannot write: {exc.strerror or exc}")) from None
    try:
        yield Path(temporary)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as exc:
        raise UsageError(error(f"{path}: cannot write: {exc.strerror or exc}")) from None
    finally:
        Path(temporary).unlink(missing_ok=True)


def make_folder(folder: str | Path) -> Path:
    """Create a folder for outputs (and its parents) if missing; failing is a usage error."""
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(error(f"{path}: cannot create the folder: {exc.strerror or exc}")) from None
    return path


def _mode_for(path: Path) -> int:
    """The permissions the output should have: the replaced file's, else what the umask allows."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask
