"""Loading and checking a flow stay linear in the number of steps.

    python benchmarks/bench_check.py           # 1 000 to 5 000 steps, median of 5 runs each
    python benchmarks/bench_check.py --quick   # small flows, one run (keeps this from rotting)

A generated flow has sections, select/confirm/text steps, `when` conditions on earlier steps
(some of them constant false or over values that are no choice, so the checks have work to
do), actions with `if`, and a template that uses every tenth step. Timed in-process, without
the flow cache: `read_flow` (what every run does) and `check_file` (`flyt sjekk`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def generate(n: int) -> tuple[str, str]:
    """A flow of n steps and its template."""
    parts = [
        "[flow]",
        'id = "stor"',
        'title = "Generert flyt"',
        'version = "1"',
        'source = "Benchmark"',
        "",
        "[flow.documents.notat]",
        'template = "stor-notat.md.j2"',
        "",
    ]
    for i in range(n):
        kind = ("select", "confirm", "text", "multiselect")[i % 4]
        parts += [
            "[[steps]]",
            f'id = "s{i}"',
            f'type = "{kind}"',
            f'section = "Del {i // 50}"',
            f'prompt = "Spørsmål {i}?"',
            f'source = "Rutinen punkt {i}"',
        ]
        if kind in ("select", "multiselect"):
            parts.append('choices = [{ value = "a" }, { value = "b" }, { value = "c" }]')
        if i >= 4:
            prev_select = i - (i % 4) - 4
            prev_confirm = prev_select + 1
            if i % 7 == 0:
                parts.append(f"when = \"s{prev_select} == 'a' and s{prev_confirm}\"")
            elif i % 11 == 0:
                parts.append(f"when = \"'b' in s{prev_select + 3}\"")
            elif i % 13 == 0:
                parts.append(f"when = \"s{prev_select} == 'x'\"")  # no such choice
        if i % 5 == 0:
            parts += [
                "  [[steps.actions]]",
                f'  what = "Gjør noe med {{{{ s{i} }}}}"',
                '  who = "Noen"',
                f'  if = "s{i} is not none"',
            ]
        parts.append("")
    template = "# Notat\n\n" + "".join(f"{{{{ vis('s{i}') }}}}\n" for i in range(0, n, 10))
    return "\n".join(parts), template


def median_seconds(fn: object, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    sizes = [50, 100] if args.quick else [1000, 2000, 5000]
    rounds = 1 if args.quick else 5

    os.environ["OMSORGSLINJE_INGEN_BUFFER"] = "1"
    from omsorgslinje.check import check_file
    from omsorgslinje.loader import read_flow

    print(f"{'steg':>6}  {'lese (s)':>9}  {'sjekke (s)':>10}  {'µs per steg':>11}  problemer")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["OMSORGSLINJE_HJEM"] = str(Path(tmp) / "hjem")
        for n in sizes:
            flow_text, template = generate(n)
            d = Path(tmp) / f"n{n}"
            (d / "templates").mkdir(parents=True)
            path = d / "stor.toml"
            path.write_text(flow_text, encoding="utf-8")
            (d / "templates" / "stor-notat.md.j2").write_text(template, encoding="utf-8")
            check_file(path)  # warm-up: imports, compiled conditions
            flow, problems = read_flow(path)
            if flow is None:
                print("\n".join(str(p) for p in problems[:5]), file=sys.stderr)
                return 1
            load = median_seconds(lambda p=path: read_flow(p), rounds)
            check = median_seconds(lambda p=path: check_file(p), rounds)
            found = len(check_file(path))
            per_step = (load + check) / n * 1e6
            print(f"{n:>6}  {load:>9.3f}  {check:>10.3f}  {per_step:>11.0f}  {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
