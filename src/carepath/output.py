"""Writing outputs whole or not at all, never over an input, and text made safe for a terminal.

A regular file is written to a temporary file beside it, then renamed over it; a device or a
FIFO is written through (a rename would replace the node); a symlink is followed to the file it
names. An output that is one of the command's inputs, a read-only file or a folder is refused."""
from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import UsageError, error

# Every input file the running command has read, as (device, inode): an output that is one of
# them is refused. None outside a command (see inputs_guarded).
_inputs: set[tuple[int, int]] | None = None

# C0 and C1 controls (tab and newline kept), DEL, bidirectional overrides and isolates, other
# invisible format characters that reorder or hide text (zero-width, tag characters), and lone
# surrogates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069"
                     "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]")


def terminal_text(text: str) -> str:
    """Text safe to show on a terminal: each control, bidi or invisible character (and each lone
    surrogate) as a visible escape such as `\\x1b` or `\\u202e`. The one place this is done; JSON
    outputs are not passed through it and keep the exact text."""
    return visible_escapes(_UNSAFE, text)


def visible_escapes(unsafe: re.Pattern, text: str) -> str:
    """Each character `unsafe` matches in text, written as Python writes it: `\\xNN`, `\\uNNNN`
    or `\\UNNNNNNNN`."""
    return unsafe.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


@contextmanager
def inputs_guarded() -> Iterator[None]:
    """Within the block (one command), no output may replace a file that was read as an input."""
    global _inputs
    outer, _inputs = _inputs, set()
    try:
        yield
    finally:
        _inputs = outer


def note_input(stream: BinaryIO) -> None:
    """Remember an open input so that no output may replace it (a stream without a file, as in
    tests, is not one)."""
    if _inputs is None:
        return
    try:
        _remember(os.fstat(stream.fileno()))
    except (OSError, ValueError):
        return


def note_input_path(path: str) -> None:
    """Remember an input named by its path, for a reader (DuckDB, Spark) that opens it itself."""
    if _inputs is None:
        return
    try:
        _remember(os.stat(path))
    except OSError:
        return


def _remember(info: os.stat_result) -> None:
    """Add a regular file to the inputs no output may replace."""
    if stat.S_ISREG(info.st_mode):
        _inputs.add((info.st_dev, info.st_ino))


def write_output(target: str | None, data: str | bytes) -> None:
    """Write to a file atomically, or to stdout when target is None or `-`.

    A lone surrogate in text (from an escape in a case or scenario file) is written as its JSON
    escape `\\udXXX`, so JSON text reads back as the same string and nothing crashes."""
    payload = memoryview(data.encode("utf-8", "backslashreplace") if isinstance(data, str) else data)
    with output_stream(target) as stream:
        while payload:  # a large write can return short (a reader that went away) instead of raising
            payload = payload[stream.write(payload):]


@contextmanager
def output_stream(target: str | Path | None) -> Iterator[BinaryIO]:
    """A binary stream to stdout (target None or `-`), or to a file that appears only when the
    block ends without an exception, so a long streamed output is never seen half-written."""
    if target in (None, "-"):
        yield from _stdout()
        return
    path, regular = _writable_target(str(target))
    if not regular:
        yield from _write_through(path)
        return
    with _replacing(path) as temporary, os.fdopen(os.open(temporary, os.O_WRONLY | os.O_TRUNC), "wb") as stream:
        yield stream


@contextmanager
def output_path(target: str | Path) -> Iterator[Path]:
    """A temporary path beside `target` for a writer that wants a file name (DuckDB, Arrow); it
    becomes `target` only when the block ends without an exception. The target is checked as every
    output is (never an input, never read-only) and must be a regular file or a new one."""
    path, regular = _writable_target(str(target))
    if not regular:
        raise UsageError(error(f"{target}: is not a regular file; this output is written whole to a file"))
    with _replacing(path) as temporary:
        yield temporary


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` that replaces it when the block ends without an exception,
    and is removed on every other exit (an error, or a signal turned into an exception)."""
    temporary = None
    try:
        with _signals_held():  # a signal between creating the file and knowing its name would leak it
            handle, temporary = tempfile.mkstemp(prefix=".carepath-", suffix=".tmp", dir=path.parent)
            os.close(handle)
        yield Path(temporary)
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except OSError as exc:
        raise UsageError(error(f"{path}: cannot write: {exc.strerror or exc}")) from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back during the block; one that came is raised after it."""
    stopping = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, stopping)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stdout() -> Iterator[BinaryIO]:
    """Stdout as a binary stream; a closed stdout or a failing write (a full disk) is a usage
    error, not a traceback. A closed pipe (BrokenPipeError) is left to the CLI: exit 141."""
    if sys.stdout is None:
        raise UsageError(error("stdout is closed; give -o FILE or open stdout"))
    try:
        yield sys.stdout.buffer
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        discard_stdout()
        raise UsageError(error(f"cannot write to stdout: {exc.strerror or exc}")) from None


def discard_stdout() -> None:
    """Point stdout at /dev/null, so that what is still buffered cannot fail again at exit."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _writable_target(target: str) -> tuple[Path, bool]:
    """The file an output goes to and whether it is (or will be) a regular file; refused when it
    cannot or must not be written. A symlink to a regular file is followed to that file (the link
    stays); a device, FIFO or socket (also through a link, as /dev/stdout) is kept as named."""
    if not target:
        raise UsageError(error("the output file name is empty; give -o FILE, or -o - for stdout"))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        path = Path(os.path.realpath(target))  # a new file, or the one a dangling link names
        if not path.parent.is_dir():
            folder = path.parent if os.path.islink(target) else Path(target).parent
            raise UsageError(error(f"{target}: the folder {folder} does not exist")) from None
        return path, True
    except OSError as exc:
        raise UsageError(error(f"{target}: cannot write: {exc.strerror or exc}")) from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(error(f"{target}: is a folder; give a file name to write to"))
    if _inputs and (info.st_dev, info.st_ino) in _inputs:
        raise UsageError(error(f"{target}: is one of this command's inputs; refusing to write over it",
                               hint="write the output to another file"))
    if not stat.S_ISREG(info.st_mode):
        return Path(target), False
    if not os.access(target, os.W_OK) or not info.st_mode & 0o222:
        raise UsageError(error(f"{target}: is read-only; refusing to replace it",
                               hint="make it writable (chmod u+w) or write to another file"))
    return Path(os.path.realpath(target)), True


def _write_through(path: Path) -> Iterator[BinaryIO]:
    """Write straight into a device, FIFO or socket path: renaming over it would replace the node."""
    try:
        with open(path, "wb") as stream:
            yield stream
    except OSError as exc:
        raise UsageError(error(f"{path}: cannot write: {exc.strerror or exc}")) from None


def write_text(target: str | None, text: str) -> None:
    """Write a human-readable report (never JSON), made safe for a terminal by terminal_text."""
    write_output(target, terminal_text(text))


@contextmanager
def generated_folder(folder: str | Path, force: bool = False) -> Iterator[Path]:
    """A folder of generated files, appearing whole or not at all.

    The files are written into a fresh hidden folder beside the target, which is renamed into
    place when the block ends without an exception: no stale file of an earlier run survives
    and nothing appears half-written. An existing folder that is not empty is refused unless
    `force`, which replaces it wholesale (the old folder is removed only after the new one is
    in place)."""
    target = Path(folder)
    if not str(folder):
        raise UsageError(error("the output folder name is empty"))
    if target.exists() and not target.is_dir():
        raise UsageError(error(f"{target}: is not a folder"))
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UsageError(error(f"{target}: the folder is not empty; refusing to mix generated files with "
                               "what is there", hint="give a new or empty folder, or --force to replace it"))
    if not target.parent.is_dir():
        raise UsageError(error(f"{target}: the folder {target.parent} does not exist"))
    fresh = old = None
    try:
        with _signals_held():
            fresh = Path(tempfile.mkdtemp(prefix=".carepath-", suffix=".tmp", dir=target.parent))
        yield fresh
        os.chmod(fresh, 0o777 & ~_umask())
        with _signals_held():  # the old folder is set aside and the new one put in place, or neither
            if target.is_dir():
                old = Path(tempfile.mkdtemp(prefix=".carepath-", suffix=".old", dir=target.parent))
                os.replace(target, old / "replaced")
                try:
                    os.replace(fresh, target)
                except OSError:
                    os.replace(old / "replaced", target)
                    raise
            else:
                os.replace(fresh, target)
    except OSError as exc:
        raise UsageError(error(f"{target}: cannot write the folder: {exc.strerror or exc}")) from None
    finally:
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _mode_for(path: Path) -> int:
    """The permissions the output should have: the replaced file's, else what the umask allows."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
