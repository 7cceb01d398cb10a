"""benchmarks/bench_check.py keeps working (quick mode; no timing is asserted here)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.bench


def test_bench_check_quick(tmp_path) -> None:
    out = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench_check.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    rows = out.stdout.splitlines()[1:]
    assert [r.split()[0] for r in rows] == ["50", "100"]
    assert all(int(r.split()[-1]) > 0 for r in rows)  # the generated flows have problems to find
