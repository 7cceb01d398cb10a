"""The suite never touches the real home: conftest isolates every path each test sees, and the
run fails when omsorgslinje's real cache, config, data or state folder changed meanwhile.

Checked here by running pytest on a small test file with this conftest, in a "real" home of
its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent

SEES = """
import os
from pathlib import Path

import conftest


def test_every_path_is_isolated(isolated_home):
    real = Path(os.environ["REAL_HOME"])
    for var in conftest.ISOLATED:
        assert not os.environ[var].startswith(str(real)), var
        assert os.environ[var].startswith(str(isolated_home)), var
    from platformdirs import user_cache_path, user_config_path, user_data_path

    for where in (user_cache_path, user_config_path, user_data_path):
        assert str(isolated_home) in str(where("omsorgslinje"))
"""

WRITES = """
import conftest


def test_writes_into_the_real_cache():
    real = conftest.REAL_FOLDERS[0]
    real.mkdir(parents=True, exist_ok=True)
    (real / "spor").write_text("x")
"""


def run_pytest(tmp_path: Path, test: str) -> subprocess.CompletedProcess[str]:
    where = tmp_path / "suite"
    where.mkdir()
    shutil.copy(HERE / "conftest.py", where / "conftest.py")
    (where / "test_liten.py").write_text(test, encoding="utf-8")
    real = tmp_path / "virkelig-hjem"
    real.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "OMSORGSLINJE_"))}
    env |= {"HOME": str(real), "REAL_HOME": str(real)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(where)],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_path_a_test_sees_is_its_own(tmp_path: Path) -> None:
    r = run_pytest(tmp_path, SEES)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_change_to_the_real_cache_fails_the_run(tmp_path: Path) -> None:
    r = run_pytest(tmp_path, WRITES)
    assert r.returncode == pytest.ExitCode.TESTS_FAILED, r.stdout + r.stderr
    assert "1 passed" in r.stdout  # the test itself passed: the check failed the run
    assert "Den virkelige hjemmemappen ble endret" in r.stderr
    assert "omsorgslinje/spor" in r.stderr
