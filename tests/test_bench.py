"""The benchmark runs (quick mode), so it cannot rot. It asserts that it runs, not how fast."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_runs_in_quick_mode() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    for row in (
        "omsorgslinje --help",
        "henvisning replay",
        "fra svar til neste spørsmål",
        "oppdager: første spørsmål",
        "questionary.text: første spørsmål",
        "første spørsmål ≤ 1,3 × questionary",
        "topp-RSS",
        "replay importerer ikke questionary/prompt_toolkit",
    ):
        assert row in out.stdout, row
