"""Synthetic pathways for the benchmarks: realistic mixes, deep chains and wide decisions, by seed.

    python benchmarks/generate.py 10000 --shape mixed --seed 1 > big.dsl

Every pathway loads cleanly (names bound, types right, literals inside declared ranges, the
graph acyclic: a node only leads to later nodes). Same arguments, same text.
"""
from __future__ import annotations

import argparse
import random

SHAPES = ("mixed", "chain", "wide")


def generate(nodes: int, shape: str = "mixed", seed: int = 0) -> str:
    """Pathway text with about `nodes` steps and decisions."""
    return _Pathway(nodes, shape, random.Random(seed)).text()


class _Pathway:
    """One synthetic pathway being written."""

    def __init__(self, nodes: int, shape: str, rng: random.Random):
        if shape not in SHAPES:
            raise ValueError(f"shape must be one of {', '.join(SHAPES)}")
        self.size, self.shape, self.rng = max(nodes, 4), shape, rng
        count = max(12, min(400, nodes // 10))
        self.facts = [self._fact(i) for i in range(count)]
        self.lines: list[str] = []

    def _fact(self, index: int) -> tuple[str, str, object]:
        """(name, kind, detail): booleans, ranged integers and numbers, enumerations."""
        kind = ("boolean", "boolean", "integer", "number", "enum")[index % 5]
        name = f"f{index}_{kind[:3]}"
        if kind == "enum":
            return name, kind, [f"v{index}_{k}" for k in range(self.rng.randint(3, 6))]
        if kind in ("integer", "number"):
            low = self.rng.choice((0, 0, 16, -10))
            return name, kind, (low, low + self.rng.choice((10, 100, 520)))
        return name, kind, None

    def text(self) -> str:
        """The whole file."""
        self.header()
        getattr(self, f"nodes_{self.shape}")()
        return "\n".join(self.lines) + "\n"

    def header(self) -> None:
        """Header, sources, facts, a require and two derived values."""
        add = self.lines.append
        add(f"# Synthetic pathway ({self.shape}, about {self.size} nodes) for the carepath benchmarks.")
        add(f'pathway synthetic_{self.shape} "Synthetic {self.shape} pathway"')
        add('  version "1.0.0"\n  released 2026-01-01\n  authors "benchmark"')
        for k in range(5):
            add(f'source s{k} "{k:03d}_synthetic.txt" "Synthetic source {k}"')
        for index, (name, kind, detail) in enumerate(self.facts):
            optional = "optional " if index % 11 == 7 else ""
            add(f'fact {name}: {optional}{self.type_text(kind, detail)} "synthetic fact {index}"')
        ints = [f for f in self.facts if f[1] == "integer"]
        add(f"require {ints[0][0]} >= {ints[0][2][0]}")
        add(f"derive total_score: integer = {ints[0][0]} + {ints[1][0]}")
        add("derive band: low | middle | high   first match")
        add(f"  when {ints[0][0]} is missing -> middle")
        add(f"  when {ints[0][0]} <= {ints[0][2][0] + 3} -> low")
        add("  otherwise -> high")
        add("start n0")

    @staticmethod
    def type_text(kind: str, detail) -> str:
        """A fact's type in DSL syntax."""
        if kind == "enum":
            return " | ".join(detail)
        if kind in ("integer", "number"):
            return f"{kind} {detail[0]}..{detail[1]}"
        return "boolean"

    # --- guards -----------------------------------------------------------------------------
    def guard(self, depth: int = 0) -> str:
        """A random, well-typed condition: comparisons, enum tests, presence, and/or/not."""
        roll = self.rng.random()
        if depth < 2 and roll < 0.25:
            word = self.rng.choice(("and", "or"))
            return f" {word} ".join(self.atom() for _ in range(self.rng.randint(2, 3)))
        if depth < 2 and roll < 0.3:
            return f"not ({self.guard(depth + 1)})"
        return self.atom()

    def atom(self) -> str:
        """One test of one fact, now and then of a derived value."""
        if self.rng.random() < 0.05:
            return self.rng.choice((f"band is {self.rng.choice(('low', 'middle', 'high'))}",
                                    f"total_score > {self.rng.randint(0, 50)}"))
        name, kind, detail = self.rng.choice(self.facts)
        if kind == "boolean":
            return name
        if kind == "enum":
            if self.rng.random() < 0.5:
                return f"{name} is {self.rng.choice(detail)}"
            return f"{name} in {{{', '.join(self.rng.sample(detail, 2))}}}"
        low, high = detail
        op = self.rng.choice(("<", "<=", ">", ">=", "=="))
        return f"{name} {op} {self.rng.randint(low, high)}"

    # --- nodes ------------------------------------------------------------------------------
    def decision(self, index: int, targets: list[int], first_match: bool = False) -> None:
        """A decision with a guard per target but the last, which is `otherwise`."""
        mode = "   first match" if first_match else ""
        self.lines.append(f'decide n{index} "Question {index}"{mode}')
        for target in targets[:-1]:
            self.lines.append(f"  when {self.guard()} -> n{target}")
        self.lines.append(f"  otherwise -> n{targets[-1]}")

    def step(self, index: int, target: int | None) -> None:
        """A step with one to three recommendations, some guarded, some with cautions."""
        urgency = self.rng.choice(("", "", "", "", " urgent", " emergency"))
        self.lines.append(f'step n{index} "Step {index}"{urgency}')
        for k in range(self.rng.randint(1, 3)):
            cite = ", ".join(f"s{s}" for s in sorted(self.rng.sample(range(5), self.rng.randint(1, 2))))
            self.lines.append(f'  recommend r{index}_{k} "Recommendation {k} of step {index}"  cite {cite}')
            if self.rng.random() < 0.3:
                self.lines.append(f"    when {self.guard()}")
            if self.rng.random() < 0.15:
                source = self.rng.randrange(5)
                self.lines.append(f'    caution "Check contraindications for {index}.{k}" cite s{source}')
        self.lines.append(f"  -> n{target}" if target is not None else "  stop")

    def nodes_mixed(self) -> None:
        """Decisions and steps, half each, leading to nearby later nodes, in sections."""
        last = self.size - 1
        for index in range(self.size):
            if index % 50 == 0:
                self.lines.append(f'\nsection "Part {index // 50 + 1}"')
            ahead = [t for t in range(index + 1, min(index + 12, last + 1))]
            if not ahead:
                self.step(index, None)
            elif index % 2 == 0 and len(ahead) >= 2:
                width = min(len(ahead), self.rng.randint(2, 4))
                self.decision(index, [index + 1] + sorted(self.rng.sample(ahead[1:], width - 1)),
                              first_match=self.rng.random() < 0.3)
            else:
                self.step(index, index + 1)

    def nodes_chain(self) -> None:
        """A deep chain of diamonds: each decision splits to two steps that meet again."""
        index = 0
        while index + 3 < self.size:
            self.decision(index, [index + 1, index + 2])
            self.step(index + 1, index + 3)
            self.step(index + 2, index + 3)
            index += 3
        self.step(index, None)

    def nodes_wide(self) -> None:
        """Few, very wide decisions: one branch per value range of an integer fact."""
        ints = [f for f in self.facts if f[1] == "integer" and f[2][1] - f[2][0] >= 100]
        index = 0
        while index < self.size - 1:
            width = min(self.size - index - 2, 100)
            if width < 2:
                break
            name, _, (low, _) = self.rng.choice(ints)
            join = index + width + 1
            self.lines.append(f'decide n{index} "Wide question {index}"   first match')
            for k in range(1, width):
                self.lines.append(f"  when {name} < {low + k} -> n{index + k}")
            self.lines.append(f"  otherwise -> n{index + width}")
            for k in range(1, width + 1):
                self.step(index + k, join)
            index = join
        self.step(index, None)


def main() -> None:
    """Print a synthetic pathway."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nodes", type=int)
    parser.add_argument("--shape", choices=SHAPES, default="mixed")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(generate(args.nodes, args.shape, args.seed), end="")


if __name__ == "__main__":
    main()
