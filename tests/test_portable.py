"""Windows, on paper (issue 13): no machine here runs Windows, so its absences are simulated.

The POSIX-only names (SIGHUP, SIGALRM and its timer, owners, O_NOFOLLOW, ...) are removed
before anything of ours is imported; every module must import and a flow must run to the end
with plain fallbacks. What Windows does differently with a pipe and with signal 0 is tested
with the switch `output.POSIX`.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from omsorgslinje import output

WITHOUT_POSIX = """
import os, signal, sys
for module, names in (
    (signal, ["SIGHUP", "SIGALRM", "SIGPIPE", "SIGTSTP", "SIGQUIT", "SIGUSR1", "setitimer",
              "getitimer", "ITIMER_REAL", "pthread_kill", "siginterrupt"]),
    (os, ["getuid", "geteuid", "getgid", "getegid", "O_NOFOLLOW", "O_DIRECTORY", "O_CLOEXEC",
          "killpg", "getpgid", "setsid", "fchmod", "fchown", "chown"]),
):
    for name in names:
        if hasattr(module, name):
            delattr(module, name)
import importlib, pkgutil, omsorgslinje
for info in pkgutil.walk_packages(omsorgslinje.__path__, "omsorgslinje."):
    importlib.import_module(info.name)
from omsorgslinje import output
output.POSIX = False
from omsorgslinje.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def _run(args: list[object], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_POSIX, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def test_every_module_imports_and_a_flow_runs_without_posix(
    cli_env: dict[str, str], flow_file: Path, answers_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ut"
    r = _run(
        ["start", flow_file, "--svar", answers_file, "--ikke-interaktiv", "--ut-mappe", out],
        cli_env,
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "Intern feil" not in r.stderr
    assert (out / "prove-notat.md").read_text(encoding="utf-8").startswith("# ")
    checked = _run(["flyt", "sjekk", flow_file], cli_env, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_document_piped_on_windows_is_utf8(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="cp1252"))
    monkeypatch.setattr(output, "POSIX", False)
    output.write_stdout("Neste steg → ring barnevernstjenesten (æøå)\n")
    assert raw.getvalue().decode("utf-8") == "Neste steg → ring barnevernstjenesten (æøå)\n"


def test_no_signal_0_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_kill(*args: Any) -> None:
        raise AssertionError("os.kill on Windows with 0 sends Ctrl-C")

    monkeypatch.setattr(output, "POSIX", False)
    monkeypatch.setattr(os, "kill", no_kill)
    assert output._alive(os.getpid() + 1)  # unknown: the temporary file is left alone


def test_readme_says_how_on_windows_and_that_it_is_untested() -> None:
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Windows") :]
    section = section[: section.index("\n## ", 5)]
    for needed in ("ikke prøvd", "py -m venv .venv", ".venv\\Scripts\\omsorgslinje", "| clip"):
        assert needed in section, needed
