"""Shared fixtures: the installed console script, a small test flow with templates in tmp_path,
and an environment that never touches the real home directory.

The test flow `prove` has every step type, `when` conditions, sections, help and sources, an
action, and two documents (one of them conditional). Reuse it through `flow_file`/`flow_dir`,
and run the installed script through `run_cli`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent

# The slow tiers (`pytest -m "not slow"` leaves them out; CI runs everything). A test gets its
# tier's marker from its file (`pytestmark`), from a fixture it uses, or, for hypothesis, by
# itself; every tier's marker brings `slow` with it (pytest_collection_modifyitems below).
SLOW_TIERS = ("pty", "interrupt", "fuzz", "cli", "bench")
# a test that uses one of these runs the installed script in a subprocess: the `cli` tier
CLI_FIXTURES = frozenset({"script", "cli_env", "run_cli", "spawn"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if CLI_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.cli)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.fuzz)
        if any(item.get_closest_marker(tier) for tier in SLOW_TIERS):
            item.add_marker(pytest.mark.slow)


def mode(path: Path, follow_symlinks: bool = True) -> int:
    """A file's or folder's permission bits (0o600, 0o700, ...); of a link itself with
    `follow_symlinks=False`."""
    return stat.S_IMODE(path.stat(follow_symlinks=follow_symlinks).st_mode)


# the smallest flow: one text step and a document (tests add steps to it)
TINY_FLOW = """
[flow]
id = "t"
title = "T"
version = "1"
source = "Test"
[flow.documents.notat]
template = "t.md.j2"

[[steps]]
id = "navn"
type = "text"
prompt = "Initialer?"
source = "Test"
"""

PROVE_FLOW = """\
[flow]
id = "prove"
title = "Prøveflyt for tester"
version = "1.0"
source = "Prøverutinen (testkommune, 2026)"
description = "En liten flyt med alle stegtyper."
intro = "Dette er en prøveflyt."

[flow.documents.notat]
template = "prove-notat.md.j2"
title = "Journalnotat"
primary = true
filename = "prove-notat"

[flow.documents.soknad]
template = "prove-soknad.md.j2"
title = "Søknad"
when = "samtykke"
filename = "prove-soknad"

[[steps]]
id = "velkommen"
type = "info"
section = "Innledning"
prompt = "Husk å skrive initialer, ikke navn."
source = "Prøverutinen punkt 1"

[[steps]]
id = "initialer"
type = "text"
section = "Innledning"
prompt = "Initialer eller saksreferanse?"
help = "Bruk initialer, aldri fullt navn."
source = "Prøverutinen punkt 2"
validation = { max = 20 }

[[steps]]
id = "rolle"
type = "select"
section = "Innledning"
prompt = "Hvilken rolle har du?"
help = "Velg rollen som passer best."
source = "Prøverutinen punkt 3"
choices = [
  { value = "helsesykepleier", label = "Helsesykepleier", help = "På helsestasjonen." },
  { value = "fastlege", label = "Fastlege" },
  { value = "annen", label = "Annen rolle" },
]

[[steps]]
id = "annen_rolle"
type = "text"
section = "Innledning"
prompt = "Hvilken annen rolle har du?"
when = "rolle == 'annen'"
source = "Prøverutinen punkt 3b"

[[steps]]
id = "samtykke"
type = "confirm"
section = "Samtykke"
prompt = "Har familien gitt samtykke?"
help = "Samtykket skal være skriftlig."
source = "Prøverutinen punkt 4"

  [[steps.actions]]
  what = "Send søknad for {{ initialer }}"
  who = "Oppdager"
  when = "straks"
  if = "samtykke"

[[steps]]
id = "samtykke_dato"
type = "date"
section = "Samtykke"
prompt = "Når ble samtykket gitt?"
when = "samtykke"
source = "Prøverutinen punkt 5"

[[steps]]
id = "gjelder_hvem"
type = "multiselect"
section = "Vurdering"
prompt = "Hva gjelder bekymringen?"
help = "Velg alt som passer."
source = "Prøverutinen punkt 6"
validation = { min = 1 }
choices = [
  { value = "gravid", label = "Gravid" },
  { value = "barn", label = "Barn 0–3 år" },
  { value = "rus", label = "Rus i familien" },
]

[[steps]]
id = "antall_barn"
type = "number"
section = "Vurdering"
prompt = "Hvor mange barn under 3 år?"
when = "'barn' in gjelder_hvem"
source = "Prøverutinen punkt 7"
validation = { min = 1, max = 12 }

[[steps]]
id = "beskrivelse"
type = "textarea"
section = "Vurdering"
prompt = "Beskriv bekymringen kort."
required = false
source = "Prøverutinen punkt 8"
"""

PROVE_NOTAT = """\
# Journalnotat: {{ flyt.tittel }}

Dato: {{ dato | dato }}

{% for del in seksjoner %}
## {{ del.navn }}

| Spørsmål | Svar |
|---|---|
{% for s in del.steg %}
| {{ s.spørsmål }} | {{ s.svar }} |
{% endfor %}

{% endfor %}
Annen rolle: {{ vis("annen_rolle") }}
Samtykkedato: {{ vis("samtykke_dato") }}
Antall barn: {{ vis("antall_barn") }}

{% if neste_steg %}
## Neste steg

{% for n in neste_steg %}
- **{{ n.hva }}** ({{ n.hvem }}, {{ n.når }})
{% endfor %}
{% endif %}

Kilde: {{ flyt.kilde }}, versjon {{ flyt.versjon }}.
"""

PROVE_SOKNAD = """\
# Søknad

Gjelder: {{ initialer }}
Samtykke gitt: {{ vis("samtykke_dato") }}
"""

# Answers that complete the flow without prompting (the `annen` branch and consent).
PROVE_ANSWERS = """\
[svar]
initialer = "AB"
rolle = "annen"
annen_rolle = "Jordmor"
samtykke = true
samtykke_dato = 2026-11-01
gjelder_hvem = ["gravid", "barn"]
antall_barn = 2
beskrivelse = "Kort beskrivelse."
"""


# --- the real home is never touched -----------------------------------------------------------
# Every test runs with HOME, the XDG folders and OMSORGSLINJE_HJEM in a folder of its own (the
# autouse fixture below), and the run fails if the real cache, config, data or state folder of
# omsorgslinje changed while the suite ran (pytest_sessionfinish).

ISOLATED = {
    "HOME": "home",
    "XDG_CACHE_HOME": "xdg-cache",
    "XDG_CONFIG_HOME": "xdg-config",
    "XDG_DATA_HOME": "xdg-data",
    "XDG_STATE_HOME": "xdg-state",
    "OMSORGSLINJE_HJEM": "omsorgslinje-hjem",
}


def real_folders() -> list[Path]:
    """omsorgslinje's folders in the real home, from the environment pytest started with."""
    from platformdirs import user_cache_path, user_config_path, user_data_path, user_state_path

    found = [f("omsorgslinje", appauthor=False) for f in (user_cache_path, user_config_path)]
    found += [f("omsorgslinje", appauthor=False) for f in (user_data_path, user_state_path)]
    home = os.environ.get("OMSORGSLINJE_HJEM")
    if home:
        found.append(Path(home))
    return found


def snapshot(folders: Sequence[Path]) -> dict[str, tuple[int, int]]:
    """Every file and folder below `folders`: its size and modification time."""
    seen: dict[str, tuple[int, int]] = {}
    for top in folders:
        if not top.exists():
            continue
        for here, dirs, files in os.walk(top):
            for name in [*dirs, *files, "."]:
                path = Path(here) / name
                try:
                    st = path.lstat()
                except OSError:
                    continue
                seen[str(path)] = (st.st_size, st.st_mtime_ns)
    return seen


REAL_FOLDERS = real_folders()  # at import, before any fixture has changed the environment


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_REAL_BEFORE] = snapshot(REAL_FOLDERS)
    _ctrl_c_as_at_a_terminal()


def _ctrl_c_as_at_a_terminal() -> None:
    """The programs the tests start get Ctrl-C as a program started at a terminal does.

    A shell without job control starts a background job (`pytest &` in a script) with SIGINT
    ignored, and every child would inherit that: the tests of Ctrl-C would hang. A handler is
    not inherited (exec resets it to the default), so catching it here is enough for every
    child, in a pseudo-terminal or not. Each xdist worker runs this too.
    """
    import signal

    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_REAL_BEFORE, None)
    if before is None:
        return
    after = snapshot(REAL_FOLDERS)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        shown = "\n  ".join(changed[:20])
        sys.stderr.write(
            f"\nDen virkelige hjemmemappen ble endret mens testene kjørte ({len(changed)} "
            f"filer; av testene, eller av et annet program på maskinen):\n  {shown}\n"
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_REAL_BEFORE = pytest.StashKey[dict[str, tuple[int, int]]]()


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """HOME, the XDG folders (platformdirs reads them) and OMSORGSLINJE_HJEM in a folder of
    the test's own, for the test and every process it starts."""
    base = tmp_path_factory.mktemp("isolert")
    for var, sub in ISOLATED.items():
        monkeypatch.setenv(var, str(base / sub))
    (base / "home").mkdir()
    yield base
    opened = getattr(sys.modules.get("omsorgslinje.cache"), "_OPEN", None)
    if opened is not None:
        opened.clear()  # a cache opened in-process belongs to this test's home


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def write_flow(
    directory: Path,
    flow: str = PROVE_FLOW,
    templates: dict[str, str] | None = None,
    name: str = "prove.toml",
) -> Path:
    """Write a flow file and its templates (into `templates/` beside it); return the flow path."""
    directory.mkdir(parents=True, exist_ok=True)
    tdir = directory / "templates"
    tdir.mkdir(exist_ok=True)
    if templates is None:
        templates = {"prove-notat.md.j2": PROVE_NOTAT, "prove-soknad.md.j2": PROVE_SOKNAD}
    for tname, text in templates.items():
        (tdir / tname).write_text(text, encoding="utf-8")
    path = directory / name
    path.write_text(flow, encoding="utf-8")
    return path


@pytest.fixture
def script() -> str:
    """The installed console script `omsorgslinje` (the one next to this Python first)."""
    here = Path(sys.executable).parent / "omsorgslinje"
    if here.exists():
        return str(here)
    found = shutil.which("omsorgslinje")
    if found is None:
        pytest.fail("Fant ikke konsollskriptet omsorgslinje: er pakken installert?")
    return found


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A home for OMSORGSLINJE_HJEM: drafts, settings and own flows land here."""
    h = tmp_path / "hjem"
    h.mkdir()
    return h


@pytest.fixture
def cli_env(home: Path) -> dict[str, str]:
    """Environment for running the script: no real home, no colour surprises, fast prompts."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OMSORGSLINJE_", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES"))
    }
    env.update(
        {
            "PROMPT_TOOLKIT_NO_CPR": "1",
            "TERM": "xterm",
            "OMSORGSLINJE_HJEM": str(home),
            "HOME": str(home),
            "XDG_CACHE_HOME": str(home / "xdg-cache"),
            "XDG_CONFIG_HOME": str(home / "xdg-config"),
            "XDG_DATA_HOME": str(home / "xdg-data"),
            "XDG_STATE_HOME": str(home / "xdg-state"),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONIOENCODING": "utf-8",
        }
    )
    return env


@pytest.fixture
def spawn(script: str, cli_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """The installed script in a pseudo-terminal: `spawn(args, redirect=None, env=None,
    kind=Session, **options)` starts it (stdout into `redirect` when given; `options` go to
    the session: timeout, dimensions, ...) and returns the session. All are closed after."""
    from ptyhelp import Session

    sessions: list[Any] = []

    def start(
        args: Sequence[object],
        redirect: Path | None = None,
        env: dict[str, str] | None = None,
        kind: type[Any] = Session,
        **options: Any,
    ) -> Any:
        argv = [script, *map(str, args)]
        command: str | list[str] = argv
        if redirect is not None:
            command = f"exec {shlex.join(argv)} > {shlex.quote(str(redirect))}"
        s = kind(command, {**cli_env, **(env or {})}, tmp_path, **options)
        sessions.append(s)
        return s

    yield start
    for s in sessions:
        s.close()


@pytest.fixture
def flow_dir(tmp_path: Path) -> Path:
    """A directory holding the test flow `prove.toml` and its templates."""
    d = tmp_path / "flyt"
    write_flow(d)
    return d


@pytest.fixture
def flow_file(flow_dir: Path) -> Path:
    return flow_dir / "prove.toml"


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    """A complete answers file for the test flow."""
    p = tmp_path / "svar.toml"
    p.write_text(PROVE_ANSWERS, encoding="utf-8")
    return p


@pytest.fixture
def run_cli(script: str, cli_env: dict[str, str], tmp_path: Path) -> Callable[..., CliResult]:
    """Run the installed script with stdin from /dev/null (or `input`), in tmp_path."""

    def run(
        args: Sequence[str | os.PathLike[str]],
        input: str | None = None,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        timeout: float = 30,
    ) -> CliResult:
        kwargs: dict[str, Any] = {}
        if input is None:
            kwargs["stdin"] = subprocess.DEVNULL
        else:
            kwargs["input"] = input
        proc = subprocess.run(
            [script, *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**cli_env, **(env or {})},
            cwd=cwd or tmp_path,
            timeout=timeout,
            **kwargs,
        )
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    return run


def real_flow(name: str) -> Path | None:
    """The built-in flow file `flows/NAME.toml` when it exists and its templates too."""
    path = REPO / "flows" / f"{name}.toml"
    return path if path.is_file() else None
