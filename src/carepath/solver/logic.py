"""Stage 4, the solver encoding: z3's Boolean connectives, straight through its C API.

The Python wrappers (`z3.And`, `z3.Not`, `==`, `Solver.add`) check and coerce every argument, which
was most of the cost of encoding a 1,000-decision pathway; these take Booleans of one context.
"""
from __future__ import annotations

import z3


def And(*args) -> z3.BoolRef:
    """z3.And, for Booleans of one context (a list, or several arguments, optionally then the context)."""
    return _connect(z3.Z3_mk_and, True, args)


def Or(*args) -> z3.BoolRef:
    """z3.Or, for Booleans of one context (a list, or several arguments, optionally then the context)."""
    return _connect(z3.Z3_mk_or, False, args)


def Not(item: z3.BoolRef) -> z3.BoolRef:
    """z3.Not of a Boolean."""
    return z3.BoolRef(z3.Z3_mk_not(item.ctx.ref(), item.as_ast()), item.ctx)


def Same(left: z3.ExprRef, right: z3.ExprRef) -> z3.BoolRef:
    """`left == right` for two terms of one sort (z3's `==` without its coercions)."""
    return z3.BoolRef(z3.Z3_mk_eq(left.ctx.ref(), left.as_ast(), right.as_ast()), left.ctx)


def _connect(make, empty: bool, args: tuple) -> z3.BoolRef:
    """One n-ary connective over the arguments; `empty` is its value over none."""
    ctx = None
    if args and isinstance(args[-1], z3.Context):
        ctx, args = args[-1], args[:-1]
    items = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    if not items:
        return z3.BoolVal(empty, ctx)
    if len(items) == 1:
        return items[0]
    context = items[0].ctx
    array = (z3.Ast * len(items))()
    for index, item in enumerate(items):
        array[index] = item.as_ast()
    return z3.BoolRef(make(context.ref(), len(items), array), context)
