"""Stage lsp: the language server behind `carepath lsp`, for editors.

`analysis` and `answers` hold what the server knows, in plain Python; `server` speaks the
protocol with pygls (the `lsp` extra), imported only when the server starts.
"""
from __future__ import annotations


def serve() -> None:
    """Run the language server over stdio."""
    from .server import serve as run

    run()
