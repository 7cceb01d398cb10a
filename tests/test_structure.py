"""The package stays readable: no module passes about 400 lines, the command line is a package."""

from __future__ import annotations

from conftest import REPO

PACKAGE = REPO / "src" / "omsorgslinje"
LIMIT = 400


def test_no_module_passes_the_limit() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in sorted(PACKAGE.rglob("*.py"))
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert long == {}, f"modules longer than {LIMIT} lines: {long}"


def test_the_command_line_is_a_package() -> None:
    assert (PACKAGE / "cli" / "__init__.py").is_file()
    assert sorted(p.name for p in PACKAGE.glob("cli*.py")) == []
