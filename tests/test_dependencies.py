"""Current dependencies, pinned tools (issue 13): what the workarounds retired relied on."""

from __future__ import annotations

import importlib.metadata as md
import re
import subprocess
import sys
import tomllib

from conftest import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", md.version(name))[:3])


def test_typer_and_click_are_current_enough() -> None:
    hint = "an older venv: run `.venv/bin/pip install -q -e '.[test]'` again"
    assert _version("click") >= (8, 5), hint  # keeps the help options in order: no patch needed
    assert _version("typer") >= (0, 25), hint


def test_typer_no_longer_pulls_in_rich() -> None:
    # typer 0.12 imported rich (75 ms) unless __main__ hid it; 0.25 does not
    code = "import sys, typer, typer.main; print('rich' in sys.modules, 'pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_help_options_keep_their_order() -> None:
    from omsorgslinje._help import render_live

    assert "-h, --hjelp, --help" in render_live()


def test_development_tools_are_pinned_exactly() -> None:
    test = PYPROJECT["project"]["optional-dependencies"]["test"]
    pins = {re.split(r"[=<>!~ ;\[]", r, maxsplit=1)[0].lower(): r for r in test}
    for tool in ("ruff", "mypy", "pytest", "hypothesis", "pytest-xdist"):
        assert re.fullmatch(rf"{tool}==[\d.]+", pins[tool]), pins[tool]
        assert md.version(tool) == pins[tool].split("==")[1]


def test_prompt_toolkit_is_bounded_and_typer_pin_says_why() -> None:
    deps = PYPROJECT["project"]["dependencies"]
    assert any(re.fullmatch(r"prompt_toolkit>=[\d.]+,<[\d.]+", d) for d in deps), deps
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    pin = text.index('"typer>=')
    assert "ms" in text[text.rfind("\n\n", 0, pin) : pin]  # the measured cost beside the pin


def test_the_package_is_typed_and_ignores_are_checked() -> None:
    assert (REPO / "src" / "omsorgslinje" / "py.typed").is_file()
    assert PYPROJECT["tool"]["mypy"]["warn_unused_ignores"] is True
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "mypy --config-file tests/mypy.ini tests" in ci
