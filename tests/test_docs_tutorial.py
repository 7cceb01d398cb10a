"""docs/flows.md's tutorial, followed literally: its files are written where their first line
says (`# fil: ...`), its `sh` blocks run in order through the installed console script, and
the output of a block followed by a `text` block must be that text."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

DOC = REPO / "docs" / "flows.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.S | re.M)
MARKER = re.compile(r"^(?:# fil: (\S+)|\{# fil: (\S+) #\})$")


def tutorial() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("## Veiledning")
    return text[start : text.index("\n## ", start + 1)]


def blocks(text: str) -> list[tuple[str, str, int, int]]:
    return [(m.group(1), m.group(2), m.start(), m.end()) for m in FENCE.finditer(text)]


def test_tutorial_runs_as_written(tmp_path: Path, cli_env: dict[str, str]) -> None:
    text = tutorial()
    found = blocks(text)
    env = dict(cli_env, PATH=f"{Path(sys.executable).parent}{os.pathsep}{cli_env['PATH']}")
    work = tmp_path / "arbeid"
    work.mkdir()
    files = commands = compared = 0
    for i, (lang, body, _, end) in enumerate(found):
        first = body.splitlines()[0] if body else ""
        marker = MARKER.match(first)
        if lang in ("toml", "jinja") and marker:
            target = work / (marker.group(1) or marker.group(2))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
            files += 1
        elif lang == "sh":
            proc = subprocess.run(
                ["bash", "-e", "-c", body],
                cwd=work,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                timeout=60,
            )
            commands += 1
            following = found[i + 1] if i + 1 < len(found) else None
            if following and following[0] == "text" and not text[end : following[2]].strip():
                assert proc.stdout == following[1], body
                compared += 1
            assert proc.returncode == 0, (body, proc.stdout)
    assert (files, commands, compared) == (3, 5, 3)
    note = (work / "notat.md").read_text(encoding="utf-8")
    assert note.startswith("# Hjemmebesøk etter fødsel\n")
    assert "Ta opp bekymringen med fastlegen" in note


def test_tutorial_flow_matches_the_schema(tmp_path: Path) -> None:
    import json
    import tomllib

    import jsonschema

    from omsorgslinje.loader_fields import SCHEMA_PATH

    flow = next(b for lang, b, _, _ in blocks(tutorial()) if lang == "toml" and "[flow]" in b)
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(tomllib.loads(flow), schema)


def test_schema_directive_is_on_top_of_the_flow() -> None:
    flow = next(b for lang, b, _, _ in blocks(tutorial()) if lang == "toml" and "[flow]" in b)
    head = flow.split("[flow]")[0]
    assert "#:schema ./flyt-skjema.json" in head
