"""The cache of compiled code: it cannot be used to run planted code, the core never touches the
disk for it, and no output depends on whether it is on.

The attack (issue 14): under `umask 000` the cache folders became 0777, another local user put a
pickle or compiled code in them, and the victim's next run executed it. One user cannot own a
file as another, so the tests plant through the modes that would let another user in: a folder
0777, a group-writable file, and files of the shapes the old code loaded.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import PROVE_FLOW, CliResult, mode, real_flow, write_flow

from omsorgslinje import cache as code_cache

Run = Callable[..., CliResult]
WARNING = "Hurtigbufferen"


def replay(run_cli: Run, flow: Path, answers: Path, *extra: str, **kw: object) -> CliResult:
    r = run_cli(["start", flow, "--svar", answers, *extra], **kw)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return r


def without_cache(run_cli: Run, flow: Path, answers: Path) -> str:
    return replay(run_cli, flow, answers, env={"OMSORGSLINJE_INGEN_BUFFER": "1"}).stdout


NOTE = "prove-notat.md.j2"


def entry_file(home: Path, flow_file: Path, name: str = NOTE) -> tuple[Path, str, str]:
    """Where the cache keeps template `name` of the flow, its source and its file name (as
    Jinja's loader gives them)."""
    from jinja2 import FileSystemLoader
    from jinja2.bccache import BytecodeCache

    from omsorgslinje.expr import environment

    folder = str(flow_file.resolve().parent / "templates")
    source, filename, _ = FileSystemLoader([folder]).get_source(environment(), name)
    key = BytecodeCache().get_cache_key(name, filename)
    target = home / "cache" / f"{code_cache.TEMPLATE}-{key}-{code_cache.code_tag()}.jinja"
    return target, source, filename


def plant(home: Path, flow_file: Path, marker: Path, file_mode: int = 0o600) -> Path:
    """A cache entry for the flow's note, in the form this version writes: the template's own
    compiled code, plus a line that leaves `marker` behind when the code is loaded."""
    from jinja2.bccache import BytecodeCache

    from omsorgslinje.expr import environment

    target, source, filename = entry_file(home, flow_file)
    python = environment().compile(source, NOTE, filename, raw=True)
    code = compile(f"open({str(marker)!r}, 'w').write('kjørt')\n{python}", filename, "exec")
    checksum = BytecodeCache().get_source_checksum(source)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(code_cache.template_entry(code_cache.code_tag(), checksum, code))
    target.chmod(file_mode)
    return target


# --- planted code never runs -----------------------------------------------------------------


def test_a_planted_entry_runs_when_the_cache_is_trusted(
    run_cli: Run, flow_file: Path, answers_file: Path, home: Path, tmp_path: Path
) -> None:
    """The control for the tests below: this planted entry is what a private cache holds, so
    the code in it runs. A cache is compiled code, trusted like a .pyc file: only when no one
    else could have written it."""
    replay(run_cli, flow_file, answers_file)
    marker = tmp_path / "kjørt"
    plant(home, flow_file, marker)
    r = replay(run_cli, flow_file, answers_file)
    assert marker.exists()
    assert r.stdout == without_cache(run_cli, flow_file, answers_file)


def test_a_cache_folder_others_can_write_is_not_used(
    run_cli: Run, flow_file: Path, answers_file: Path, home: Path, tmp_path: Path
) -> None:
    """A shared or pre-created OMSORGSLINJE_HJEM whose cache folder others can write."""
    marker = tmp_path / "kjørt"
    planted = plant(home, flow_file, marker)
    (home / "cache").chmod(0o777)
    r = replay(run_cli, flow_file, answers_file)
    assert not marker.exists()
    assert r.stderr.count(WARNING) == 1, r.stderr
    assert "kan endres av andre" in r.stderr
    assert r.stdout == without_cache(run_cli, flow_file, answers_file)
    assert (
        mode(home / "cache", follow_symlinks=False) == 0o777
    )  # not ours to change; nothing written into it
    assert [p.name for p in (home / "cache").iterdir()] == [planted.name]


def test_a_group_writable_cache_folder_is_not_used(
    run_cli: Run, flow_file: Path, answers_file: Path, home: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "kjørt"
    plant(home, flow_file, marker)
    (home / "cache").chmod(0o770)
    r = replay(run_cli, flow_file, answers_file)
    assert not marker.exists()
    assert r.stderr.count(WARNING) == 1, r.stderr


@pytest.mark.parametrize("file_mode", [0o666, 0o620], ids=["alle", "gruppen"])
def test_a_cache_file_others_can_write_is_not_loaded(
    run_cli: Run, flow_file: Path, answers_file: Path, home: Path, tmp_path: Path, file_mode: int
) -> None:
    replay(run_cli, flow_file, answers_file)  # the folder, made by the tool: 0700
    assert mode(home / "cache", follow_symlinks=False) == 0o700
    marker = tmp_path / "kjørt"
    plant(home, flow_file, marker, file_mode)
    r = replay(run_cli, flow_file, answers_file)
    assert not marker.exists()
    assert r.stderr.count(WARNING) == 1, r.stderr
    assert r.stdout == without_cache(run_cli, flow_file, answers_file)


def test_a_link_in_the_cache_is_not_followed(
    run_cli: Run, flow_file: Path, answers_file: Path, home: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "kjørt"
    elsewhere = tmp_path / "andre"
    replay(run_cli, flow_file, answers_file)
    target = entry_file(home, flow_file)[0]
    planted = plant(elsewhere, flow_file, marker)
    target.unlink()
    target.symlink_to(planted)
    r = replay(run_cli, flow_file, answers_file)
    assert not marker.exists()
    assert r.stderr.count(WARNING) == 1, r.stderr


class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.write_text, (self.marker, "kjørt"))


def test_a_planted_pickle_is_never_loaded(
    run_cli: Run, flow_file: Path, answers_file: Path, home: Path, tmp_path: Path
) -> None:
    """Where earlier versions kept checked flows as pickles, with the name they gave them."""
    from jinja2 import __version__ as jinja_version

    from omsorgslinje import __version__

    marker = tmp_path / "kjørt"
    key = zlib.crc32(str(flow_file.resolve()).encode("utf-8"))
    py = f"py{sys.version_info[0]}{sys.version_info[1]}"
    tag = f"{__version__}-c2-jinja{jinja_version}-{py}"
    target = home / "cache" / "flyter" / f"{flow_file.stem}-{key:08x}-{tag}.pickle"
    target.parent.mkdir(parents=True, mode=0o700)
    (home / "cache").chmod(0o700)
    target.write_bytes(pickle.dumps((flow_file.read_bytes(), _Planted(marker)), protocol=5))
    target.chmod(0o600)
    replay(run_cli, flow_file, answers_file)
    assert not marker.exists()
    assert not target.parent.exists()  # what an earlier version left is removed


def test_jinjas_own_format_with_a_pickle_is_never_loaded(
    run_cli: Run, flow_file: Path, answers_file: Path, home: Path, tmp_path: Path
) -> None:
    """Jinja's bytecode files begin with a pickle, which runs when it is read. Planted, in a
    private cache, both where this version keeps the note and where earlier versions kept it
    (Jinja's own files in `maler/`): neither is unpickled."""
    from jinja2 import __version__ as jinja_version
    from jinja2.bccache import bc_magic

    from omsorgslinje import __version__

    marker = tmp_path / "kjørt"
    target = entry_file(home, flow_file)[0]
    evil = bc_magic + pickle.dumps(_Planted(marker), protocol=2)
    py = f"py{sys.version_info[0]}{sys.version_info[1]}"
    key = target.name.split("-")[1]
    old = home / "cache" / "maler" / f"{key}-{__version__}-c2-jinja{jinja_version}-{py}.cache"
    old.parent.mkdir(parents=True, mode=0o700)
    (home / "cache").chmod(0o700)
    for path in (target, old):
        path.write_bytes(evil)
        path.chmod(0o600)
    r = replay(run_cli, flow_file, answers_file)
    assert not marker.exists()
    assert r.stderr == ""


def test_folders_are_made_0700_under_umask_000(
    script: str, cli_env: dict[str, str], flow_file: Path, answers_file: Path, tmp_path: Path
) -> None:
    """Every folder the tool makes, parents included, whatever the umask."""
    base = tmp_path / "ny"
    env = {k: v for k, v in cli_env.items() if k != "OMSORGSLINJE_HJEM"}
    env |= {
        "XDG_CACHE_HOME": str(base / "cache" / "xdg"),
        "XDG_DATA_HOME": str(base / "data" / "xdg"),
        "XDG_CONFIG_HOME": str(base / "config" / "xdg"),
    }
    base.mkdir(mode=0o700)
    out = base / "dokumenter"  # --ut-mappe makes the folder, not the ones above it
    args = [script, "start", str(flow_file), "--svar", str(answers_file), "--ut-mappe", str(out)]
    r = subprocess.run(args, env=env, capture_output=True, text=True, umask=0, check=False)
    assert r.returncode == 0, r.stderr
    made = [Path(here) for here, _, _ in os.walk(base)]
    assert base / "cache" / "xdg" / "omsorgslinje" in made
    assert out in made
    assert {str(p): oct(mode(p, follow_symlinks=False)) for p in made} == {
        str(p): oct(0o700) for p in made
    }
    assert all(mode(f, follow_symlinks=False) == 0o600 for f in out.iterdir())
    cached = list((base / "cache" / "xdg" / "omsorgslinje").iterdir())
    assert cached and all(
        mode(f, follow_symlinks=False) == 0o600 for f in cached
    )  # no one else can plant code


# --- a cache entry of the wrong shape, other versions -----------------------------------------


@pytest.mark.parametrize(
    "shape",
    ["ikke-marshal", "annen-versjon", "annen-kilde", "ikke-kode", "annen-kode", "jinjas-format"],
)
def test_an_entry_of_the_wrong_shape_is_ignored_and_rebuilt(
    run_cli: Run, flow_file: Path, answers_file: Path, home: Path, shape: str
) -> None:
    from jinja2.bccache import BytecodeCache, bc_magic

    expected = without_cache(run_cli, flow_file, answers_file)
    replay(run_cli, flow_file, answers_file)
    target, source, filename = entry_file(home, flow_file)
    tag = code_cache.code_tag()
    checksum = BytecodeCache().get_source_checksum(source)
    other = compile("root = 1", "annen.j2", "exec")  # code, but not this template's
    content = {
        "ikke-marshal": b"ikke marshal",
        "annen-versjon": code_cache.template_entry("0.0.1-f0", checksum, other),
        "annen-kilde": code_cache.template_entry(tag, "0" * 40, other),
        "ikke-kode": code_cache.HEADER + f"{tag}\n{checksum}\n".encode() + marshal.dumps(1),
        "annen-kode": code_cache.template_entry(tag, checksum, other),
        "jinjas-format": bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(other),
    }[shape]
    target.write_bytes(content)
    r = replay(run_cli, flow_file, answers_file)
    assert r.stdout == expected
    assert r.stderr == ""  # nothing blamed on the flow or its templates
    code = code_cache.template_code(target.read_bytes(), tag, checksum, filename)
    assert code is not None and code.co_filename == filename  # written anew


def test_entries_of_other_versions_are_removed(
    run_cli: Run, flow_file: Path, answers_file: Path, home: Path
) -> None:
    folder = home / "cache"
    folder.mkdir(mode=0o700)
    old = [
        "mal-abc-0.0.1-f3-0000000000000000-jinja3.0.0-cpython-310.jinja",
        "betingelser-0.1.0-f3-2c66bba3a4ee17ba-jinja3.1.6-cpython-311.marshal",
        "uttrykk-0.0.9-c2-jinja3.1.6-py311.marshal",
        "flyt-abc-0.0.1-f3-0000000000000000-jinja3.0.0-cpython-310.json",
    ]
    for name in old:
        (folder / name).write_bytes(b"gammel")
    (folder / "flyter").mkdir()
    (folder / "flyter" / "prove-0-gammel.pickle").write_bytes(b"gammel")
    (folder / "maler").mkdir()
    (folder / "annet.txt").write_bytes(b"ikke var")
    replay(run_cli, flow_file, answers_file)
    left = sorted(p.name for p in folder.iterdir())
    tag = code_cache.code_tag()
    ours = [name for name in left if name.endswith((f"-{tag}.jinja", f"-{tag}.json"))]
    assert entry_file(home, flow_file)[0].name in ours
    assert sorted([*ours, "annet.txt"]) == left


def test_the_key_names_the_code_that_made_the_entries() -> None:
    """Package version, the modules that compile (hashed: an edit in a checkout counts), Jinja
    and Python."""
    from jinja2 import __version__ as jinja_version

    from omsorgslinje import __version__

    package = Path(code_cache.__file__).resolve().parent
    # what compiles templates, and what reads and checks the flows flow_cache.py keeps
    compiles = {"expr.py", "sandbox.py", "render.py", "cache.py", "flow_cache.py"}
    checks = {"loader.py", "loader_fields.py", "loader_names.py", "loader_schema.py"}
    assert compiles | checks | {"model.py", "flow_schema.json"} <= set(code_cache.SOURCES)
    digest = hashlib.sha256()
    for name in code_cache.SOURCES:
        digest.update(name.encode() + (package / name).read_bytes())
    tag = code_cache.code_tag()
    assert tag.startswith(f"{__version__}-")
    assert digest.hexdigest()[:16] in tag
    assert f"jinja{jinja_version}" in tag
    assert tag.endswith(sys.implementation.cache_tag)


# --- the core does no I/O ----------------------------------------------------------------------

CORE_ONLY = """
import sys
from pathlib import Path
from omsorgslinje.engine import resolve
from omsorgslinje.loader import load_flow
from omsorgslinje.render import Case, render
import datetime
flow = load_flow(Path(sys.argv[1]))
answers = {"initialer": "AB", "rolle": "annen", "annen_rolle": "X", "samtykke": False,
           "gjelder_hvem": ["gravid"]}
resolve(flow, answers)
print(render(Case(flow, answers, datetime.date(2026, 11, 1)), flow.primary_document, "md"))
print("omsorgslinje.cache" in sys.modules)
"""


def test_the_core_never_touches_the_cache(
    flow_file: Path, cli_env: dict[str, str], home: Path
) -> None:
    """Loading, resolving and rendering without the shell: no cache folder, not even at exit."""
    r = subprocess.run(
        [sys.executable, "-c", CORE_ONLY, str(flow_file)],
        env=cli_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().endswith("False")
    assert list(home.iterdir()) == []
    assert not (home / "xdg-cache").exists()


CORE_IMPORTS = """
import sys
from pathlib import Path
from omsorgslinje import engine, expr, loader, model, values
flow = loader.load_flow(Path(sys.argv[1]))
engine.resolve(flow, {"rolle": "annen", "samtykke": True, "gjelder_hvem": ["barn"]})
expr.evaluate("rolle == 'annen'", {"rolle": "annen"})
print(" ".join(sorted(m for m in sys.modules if m.startswith("omsorgslinje."))))
"""

SHELL = ("cache", "output", "resources", "drafts", "draft_", "run", "cli", "ui", "render")


def test_the_core_imports_nothing_of_the_shell(flow_file: Path, cli_env: dict[str, str]) -> None:
    """Model, loader, expressions, values and engine, used as a library: not one module that
    writes files, finds the user's folders or holds a cache."""
    r = subprocess.run(
        [sys.executable, "-c", CORE_IMPORTS, str(flow_file)],
        env=cli_env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    loaded = [m.removeprefix("omsorgslinje.") for m in r.stdout.split()]
    assert "engine" in loaded and "loader" in loaded
    assert [m for m in loaded if m.startswith(SHELL)] == []


# --- output never depends on the cache --------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_output_is_the_same_with_and_without_the_cache(
    run_cli: Run, flow_file: Path, answers_file: Path, fmt: str
) -> None:
    off = {"OMSORGSLINJE_INGEN_BUFFER": "1"}
    runs = [
        replay(run_cli, flow_file, answers_file, "-f", fmt, env=env).stdout
        for env in (off, {}, {}, off)  # without, cold, warm, without
    ]
    assert runs[0] and len(set(runs)) == 1


@pytest.mark.parametrize("name", ["oppdager", "henvisning"])
def test_builtin_flows_replay_the_same_with_and_without_the_cache(
    run_cli: Run, name: str, tmp_path: Path
) -> None:
    if real_flow(name) is None:
        pytest.skip(f"flows/{name}.toml finnes ikke")
    example = {"oppdager": "oppdager-akutt.toml", "henvisning": "henvisning-full.toml"}[name]
    answers = Path(__file__).resolve().parent.parent / "examples" / example
    outs = []
    for env in ({}, {}, {"OMSORGSLINJE_INGEN_BUFFER": "1"}):
        r = run_cli([name, "--svar", answers, "--ikke-interaktiv"], env=env)
        assert r.returncode == 0, r.stderr
        outs.append(r.stdout)
    assert outs[0] and outs[0] == outs[1] == outs[2]


def test_a_run_from_another_folder_renders_the_flows_own_template(
    run_cli: Run, answers_file: Path, tmp_path: Path
) -> None:
    """The same flow by a relative path from its folder, then by its full path from a folder
    that has a template of the same name: each run renders the flow's own template."""
    mine = tmp_path / "min"
    write_flow(mine, templates={"prove-notat.md.j2": "MIN MAL\n", "prove-soknad.md.j2": "S\n"})
    other = tmp_path / "annen"
    write_flow(other, PROVE_FLOW, {"prove-notat.md.j2": "ANNEN MAL\n", "prove-soknad.md.j2": "S"})
    first = replay(run_cli, Path("prove.toml"), answers_file, cwd=mine)
    assert first.stdout == "MIN MAL\n"
    second = replay(run_cli, mine / "prove.toml", answers_file, cwd=other)
    assert second.stdout == "MIN MAL\n"
    third = replay(run_cli, Path("prove.toml"), answers_file, cwd=other)
    assert third.stdout == "ANNEN MAL\n"


def test_a_draft_records_the_full_flow_path_and_resumes_from_another_folder(
    script: str, cli_env: dict[str, str], answers_file: Path, home: Path, tmp_path: Path
) -> None:
    """A replay by a relative path in the flow's folder, then an interactive run of the same
    file from another folder, interrupted: the draft names the flow's real file, and
    `utkast fortsett` from a third folder goes on with it."""
    import tomllib

    from ptyhelp import Session

    mine = tmp_path / "min"
    write_flow(mine)
    other = tmp_path / "annen"
    write_flow(other, PROVE_FLOW.replace("Hvilken rolle har du?", "Hvilken ANNEN rolle?"))
    third = tmp_path / "tredje"
    third.mkdir()
    first = subprocess.run(
        [script, "start", "prove.toml", "--svar", str(answers_file)],
        env=cli_env,
        cwd=mine,
        capture_output=True,
        text=True,
        check=False,
    )
    assert first.returncode == 0, first.stderr

    def spawn(cwd: Path, *args: str) -> Session:
        return Session([script, *args], cli_env, cwd, timeout=20, delaybeforesend=None)

    run = spawn(other, "start", str(mine / "prove.toml"), "--enkel")
    run.expect("Husk å skrive initialer")  # the info step
    run.child.sendline("")
    run.expect("Initialer")
    run.child.sendline("AB")
    run.expect("Hvilken rolle har du")
    run.child.sendintr()
    code, output = run.end()
    assert code == 130, output
    drafts = sorted((home / "data" / "utkast").glob("*.toml"))
    assert len(drafts) == 1
    meta = tomllib.loads(drafts[0].read_text(encoding="utf-8"))["utkast"]
    assert meta["flytfil"] == str((mine / "prove.toml").resolve())
    resumed = spawn(third, "utkast", "fortsett", "--enkel")
    resumed.expect("Hvilken rolle har du")
    resumed.child.sendintr()
    code, output = resumed.end()
    assert code == 130, output
