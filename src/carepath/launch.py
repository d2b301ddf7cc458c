"""The `carepath` command's entry point.

`carepath --version` is answered here, before the command line (click and the stages) is imported,
so that it costs about what Python's own start-up does. Text that stdout does not take (help or
version onto a full disk, a closed stdout) is an error message with exit 2, never a traceback.
"""
import errno
import os
import sys

def main() -> None:
    """Run the command line; `carepath --version` alone needs none of it."""
    try:
        if sys.argv[1:] == ["--version"]:
            _print_version()
        else:
            from .cli import main as command_line

            command_line()
    except OSError as exc:  # commands report their own errors; this is click writing help, usage or version
        from .cli import EXIT_CLOSED_PIPE, EXIT_USAGE
        from .output import discard_stdout

        discard_stdout()  # what is still buffered must not fail again at exit
        if isinstance(exc, BrokenPipeError):  # the reader went away (`| head`), as for a command
            sys.exit(EXIT_CLOSED_PIPE)
        where = f"cannot use {exc.filename}" if exc.filename else "cannot write to stdout"
        sys.stderr.write(f"error: {where}: {exc.strerror or exc}\n")
        sys.exit(EXIT_USAGE)


def _print_version() -> None:
    """The line click's version option prints, written and flushed here so that a failure is seen."""
    from . import __version__

    if sys.stdout is None:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))
    sys.stdout.write(f"carepath, version {__version__}\n")
    sys.stdout.flush()
