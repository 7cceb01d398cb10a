"""Drafts: every answer saved as it is given, so that nothing typed is lost.

A draft is a small TOML file in `<user data dir>/utkast/` (mode 0600, directory 0700), written
atomically after every answer (a temporary file in the same directory, fsync, rename). It holds
the flow (id, version, file), when the interview started and last changed, the answers, where
the interview stands (cursor, trail, scope), the case date and the options needed to finish.

Drafts older than the retention period (default 14 days; `OMSORGSLINJE_UTKAST_DAGER` or
`[utkast] dager` in `config.toml`) are deleted at the next start. A draft that cannot be read is
moved aside to `utkast/skadet/`, never deleted on the spot; when a flow has changed since a
draft was made, the draft as it was is copied to `utkast/eldre/` before it is resumed.

Nothing here prints; messages are returned for the shell to show, and never hold an answer.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InvalidValue, OmsorgslinjeError, WriteError

if TYPE_CHECKING:
    from .engine import Interview
    from .model import Flow
    from .values import Value

FORMAT = 1
DEFAULT_DAYS = 14
ENV_DAYS = "OMSORGSLINJE_UTKAST_DAGER"
CORRUPT_DIR = "skadet"
OLDER_DIR = "eldre"
TMP_MAX_AGE = 3600.0  # seconds: a temporary file left by a killed process
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

# where the current interview's draft is, for the internal-error message in __main__
ACTIVE: Path | None = None


class DraftError(OmsorgslinjeError):
    """A draft that cannot be found or used."""


class CorruptDraft(Exception):
    """A draft file that cannot be read. Carries the reason (never the content)."""

    def __init__(self, path: Path, why: str) -> None:
        super().__init__(why)
        self.path = path
        self.why = why


@dataclass
class Draft:
    id: str
    flow_id: str
    flow_version: str
    flow_path: str
    started: _dt.datetime
    changed: _dt.datetime
    date: _dt.date
    answers: dict[str, Value | None] = field(default_factory=dict)
    cursor: str | None = None
    trail: tuple[str, ...] = ()
    editing: bool = False
    scope: frozenset[str] | None = None
    answered: int = 0
    total: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None


def now() -> _dt.datetime:
    return _dt.datetime.now().astimezone().replace(microsecond=0)


def new_id(flow_id: str, when: _dt.datetime | None = None) -> str:
    """A short, readable id: `oppdager-20261122-1103-ab12`."""
    when = when or now()
    base = re.sub(r"[^a-z0-9_-]+", "-", flow_id.lower()).strip("-") or "utkast"
    return f"{base}-{when:%Y%m%d-%H%M}-{secrets.token_hex(2)}"


# -- (de)serialising ---------------------------------------------------------------------------


def to_toml(draft: Draft) -> str:
    import tomli_w

    meta: dict[str, Any] = {
        "format": FORMAT,
        "id": draft.id,
        "flyt": draft.flow_id,
        "flytversjon": draft.flow_version,
        "flytfil": draft.flow_path,
        "startet": draft.started,
        "endret": draft.changed,
        "dato": draft.date,
        "spor": list(draft.trail),
        "redigerer": draft.editing,
        "besvart": draft.answered,
        "antall": draft.total,
        # TOML has no null: a step asked and left empty is listed here, with no value in [svar]
        "hoppet_over": [sid for sid, v in draft.answers.items() if v is None],
    }
    if draft.cursor is not None:
        meta["steg"] = draft.cursor
    if draft.scope is not None:
        meta["omfang"] = sorted(draft.scope)
    doc: dict[str, Any] = {
        "utkast": meta,
        "valg": {k: v for k, v in draft.options.items() if v is not None},
        "svar": {sid: v for sid, v in draft.answers.items() if v is not None},
    }
    return tomli_w.dumps(doc)


def _get(
    table: Mapping[str, Any], key: str, kind: type | tuple[type, ...], default: Any = ...
) -> Any:
    if key not in table:
        if default is ...:
            raise ValueError(f"mangler «{key}»")
        return default
    value = table[key]
    if not isinstance(value, kind):
        raise ValueError(f"«{key}» har feil type")
    return value


def from_toml(text: str, path: Path | None = None) -> Draft:
    """Parse a draft. Raises ValueError with a reason that holds no answer content."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        raise ValueError("filen er ikke gyldig TOML") from None
    meta = _get(data, "utkast", dict)
    if _get(meta, "format", int) > FORMAT:
        raise ValueError("utkastet er laget av en nyere versjon av omsorgslinje")
    answers_table = _get(data, "svar", dict, {})
    answers: dict[str, Value | None] = dict(answers_table)
    for sid in _get(meta, "hoppet_over", list, []):
        if isinstance(sid, str):
            answers.setdefault(sid, None)
    started = _get(meta, "startet", _dt.datetime)
    changed = _get(meta, "endret", _dt.datetime)
    raw_date = _get(meta, "dato", _dt.date)
    date = raw_date.date() if isinstance(raw_date, _dt.datetime) else raw_date
    scope = _get(meta, "omfang", list, None)
    trail = _get(meta, "spor", list, [])
    if not all(isinstance(s, str) for s in [*trail, *(scope or [])]):
        raise ValueError("«spor» eller «omfang» har feil type")
    return Draft(
        id=_get(meta, "id", str),
        flow_id=_get(meta, "flyt", str),
        flow_version=_get(meta, "flytversjon", str, ""),
        flow_path=_get(meta, "flytfil", str, ""),
        started=started,
        changed=changed,
        date=date,
        answers=answers,
        cursor=_get(meta, "steg", str, None),
        trail=tuple(trail),
        editing=_get(meta, "redigerer", bool, False),
        scope=frozenset(scope) if scope is not None else None,
        answered=_get(meta, "besvart", int, 0),
        total=_get(meta, "antall", int, 0),
        options=_get(data, "valg", dict, {}),
        path=path,
    )


def progress_of(iv: Interview) -> tuple[int, int]:
    """How far: questions answered among the questions that apply, and their count."""
    asking = [sid for sid in iv.path if iv.flow.step(sid).asks]
    counted = iv.counted
    return sum(1 for sid in asking if sid in counted), len(asking)


def capture(draft: Draft, iv: Interview) -> Draft:
    """The draft updated to where the interview stands."""
    answered, total = progress_of(iv)
    return replace(
        draft,
        answers=dict(iv.answers),
        cursor=iv.cursor,
        trail=tuple(iv.trail),
        editing=iv.editing,
        scope=iv.scope,
        answered=answered,
        total=total,
        changed=now(),
    )


# -- resuming ----------------------------------------------------------------------------------


@dataclass
class Restored:
    iv: Interview
    gone: list[str]  # steps answered in the draft that the flow no longer has
    unfit: list[str]  # steps whose saved answer the flow no longer accepts
    version_changed: bool

    @property
    def lost(self) -> list[str]:
        return [*self.gone, *self.unfit]


def restore(draft: Draft, flow: Flow) -> Restored:
    """The interview a draft holds, against the flow as it is now.

    With the same flow version and every answer still fitting, the interview stands exactly
    where it stopped (also mid-way through changing an answer). Otherwise it resumes at the
    first step that applies and has no answer; answers to steps that are gone, or that no
    longer fit their step, are reported by step id.
    """
    from .engine import Interview
    from .values import coerce

    answers: dict[str, Value | None] = {}
    gone: list[str] = []
    unfit: list[str] = []
    for sid, value in draft.answers.items():
        if not flow.has_step(sid):
            gone.append(sid)
            continue
        step = flow.step(sid)
        if value is None:
            answers[sid] = None
            continue
        try:
            answers[sid] = coerce(step, value)
        except InvalidValue:
            unfit.append(sid)
    scope = draft.scope
    if scope is not None:
        scope = frozenset(s for s in scope if flow.has_step(s))
    version_changed = draft.flow_version != flow.version
    fresh = Interview.start(flow, answers, scope)
    trail = tuple(s for s in draft.trail if flow.has_step(s) and s in answers)
    if version_changed or gone or unfit:
        iv = replace(fresh, trail=trail)
    else:
        cursor = draft.cursor
        if cursor is not None and cursor not in fresh.path:
            cursor = fresh.pending()
        iv = replace(
            fresh, cursor=cursor, trail=trail, editing=draft.editing and cursor is not None
        )
    return Restored(iv, gone, unfit, version_changed)


# -- settings ----------------------------------------------------------------------------------


def retention_days() -> tuple[int, str | None]:
    """Days a draft is kept, and a warning when a setting is not understood.

    `OMSORGSLINJE_UTKAST_DAGER` wins over `[utkast] dager` in `config.toml`.
    """
    raw = os.environ.get(ENV_DAYS)
    if raw is not None and raw.strip():
        try:
            days = int(raw.strip())
        except ValueError:
            days = 0
        if days >= 1:
            return days, None
        return DEFAULT_DAYS, (
            f"{ENV_DAYS} må være et helt antall dager (1 eller mer); bruker {DEFAULT_DAYS}."
        )
    from .resources import user_config_dir

    config = user_config_dir() / "config.toml"
    try:
        text = config.read_text(encoding="utf-8")
    except OSError:
        return DEFAULT_DAYS, None
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return (
            DEFAULT_DAYS,
            f"{config} er ikke gyldig TOML; bruker {DEFAULT_DAYS} dager for utkast.",
        )
    table = data.get("utkast", {})
    setting = table.get("dager") if isinstance(table, dict) else None
    if setting is None:
        return DEFAULT_DAYS, None
    if isinstance(setting, int) and not isinstance(setting, bool) and setting >= 1:
        return setting, None
    return DEFAULT_DAYS, (
        f"{config}: [utkast] dager må være et helt antall dager (1 eller mer); "
        f"bruker {DEFAULT_DAYS}."
    )


# -- the store ---------------------------------------------------------------------------------


def _private_dir(path: Path) -> None:
    from .output import ensure_private_dir

    ensure_private_dir(path)


class DraftStore:
    """The drafts in one directory (by default `<user data dir>/utkast`)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.own_parent = directory is None  # the user data directory is ours too: 0700
        if directory is None:
            from .resources import user_data_dir

            directory = user_data_dir() / "utkast"
        self.directory = directory

    def path_of(self, draft_id: str) -> Path:
        if not ID_PATTERN.match(draft_id):
            raise DraftError(f"«{draft_id}» er ikke en gyldig utkast-id.")
        return self.directory / f"{draft_id}.toml"

    def save(self, draft: Draft) -> Path:
        """Write the draft atomically (0600, directory 0700). Raises WriteError."""
        from .output import write_private

        path = self.path_of(draft.id)
        try:
            if self.own_parent:
                _private_dir(self.directory.parent)
            _private_dir(self.directory)
        except OSError as exc:
            from .output import reason

            raise WriteError(f"Kunne ikke lage mappen {self.directory}: {reason(exc)}.") from None
        write_private(path, to_toml(draft), overwrite=True)
        draft.path = path
        return path

    def paths(self) -> list[Path]:
        try:
            entries = list(self.directory.iterdir())
        except OSError:
            return []
        return sorted(p for p in entries if p.suffix == ".toml" and not p.name.startswith("."))

    def read(self, path: Path) -> Draft:
        """Read one draft file. Raises CorruptDraft."""
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CorruptDraft(path, "filen er ikke gyldig UTF-8") from None
        except OSError as exc:
            from .output import reason

            raise CorruptDraft(path, f"filen kunne ikke leses: {reason(exc)}") from None
        try:
            draft = from_toml(text, path)
        except ValueError as exc:
            raise CorruptDraft(path, str(exc)) from None
        if draft.id != path.stem:
            draft.id = path.stem
        return draft

    def scan(self) -> tuple[list[Draft], list[str]]:
        """Every draft, newest change first; corrupt ones are moved aside (with a message)."""
        drafts: list[Draft] = []
        messages: list[str] = []
        for path in self.paths():
            try:
                drafts.append(self.read(path))
            except CorruptDraft as bad:
                messages.append(self.corrupt_message(bad))
        drafts.sort(key=lambda d: d.changed, reverse=True)
        return drafts, messages

    def corrupt_message(self, bad: CorruptDraft) -> str:
        try:
            aside = self.move_aside(bad.path, CORRUPT_DIR)
        except OSError:
            return f"Utkastet {bad.path} kan ikke leses ({bad.why}), og kunne ikke flyttes."
        return (
            f"Utkastet {bad.path.stem} kan ikke leses ({bad.why}). "
            f"Det er flyttet til {aside}, ikke slettet."
        )

    def find(self, ref: str) -> Path:
        """The file of a draft, by id or a unique beginning of one. Raises DraftError."""
        path = self.path_of(ref)
        if path.exists():
            return path
        hits = [p for p in self.paths() if p.stem.startswith(ref)]
        if len(hits) != 1:
            what = "passer med flere utkast" if hits else "finnes ikke"
            raise DraftError(f"Utkastet «{ref}» {what}. Se `omsorgslinje utkast liste`.")
        return hits[0]

    def load(self, ref: str) -> Draft:
        """A draft by id or a unique beginning of one. Raises DraftError."""
        path = self.find(ref)
        try:
            return self.read(path)
        except CorruptDraft as bad:
            raise DraftError(self.corrupt_message(bad)) from None

    def latest_for(self, flow_id: str) -> tuple[Draft | None, list[str]]:
        drafts, messages = self.scan()
        mine = [d for d in drafts if d.flow_id == flow_id]
        return (mine[0] if mine else None), messages

    def delete(self, draft_id: str) -> bool:
        try:
            self.path_of(draft_id).unlink()
        except FileNotFoundError:
            return False
        return True

    def delete_all(self) -> int:
        """Every draft, also those moved aside. Returns how many."""
        count = 0
        for sub in (self.directory / CORRUPT_DIR, self.directory / OLDER_DIR, self.directory):
            try:
                entries = list(sub.iterdir())
            except OSError:
                continue
            for p in entries:
                if p.is_file():
                    with contextlib.suppress(OSError):
                        p.unlink()
                        if not p.name.startswith("."):
                            count += 1
        return count

    def move_aside(self, path: Path, where: str) -> Path:
        """Move a draft into a subdirectory (0700), keeping it; restarts its retention clock."""
        target_dir = self.directory / where
        _private_dir(target_dir)
        target = target_dir / path.name
        n = 1
        while target.exists():
            target = target_dir / f"{path.stem}-{n}{path.suffix}"
            n += 1
        os.replace(path, target)
        with contextlib.suppress(OSError):
            target.chmod(0o600)
            os.utime(target)
        return target

    def copy_aside(self, draft: Draft, where: str = OLDER_DIR) -> Path:
        """Keep a copy of a draft as it is (before resuming it against a changed flow)."""
        from .output import write_private

        target_dir = self.directory / where
        _private_dir(target_dir)
        target = target_dir / f"{draft.id}-{draft.flow_version or 'ukjent'}.toml"
        write_private(target, to_toml(draft), overwrite=True)
        return target

    def expire(self, days: int, at: float | None = None) -> list[str]:
        """Delete drafts (and copies moved aside) not changed for `days` days.

        Returns the ids deleted. Age is the file's modification time: every save rewrites it.
        Temporary files left by a killed process go too, after an hour.
        """
        at = time.time() if at is None else at
        limit = at - days * 86400
        gone: list[str] = []
        for sub in (self.directory, self.directory / CORRUPT_DIR, self.directory / OLDER_DIR):
            try:
                entries = list(sub.iterdir())
            except OSError:
                continue
            for p in entries:
                try:
                    if not p.is_file():
                        continue
                    mtime = p.stat().st_mtime
                    tmp = p.name.startswith(".") and p.name.endswith(".tmp")
                    if tmp and mtime < at - TMP_MAX_AGE:
                        p.unlink()
                    elif not tmp and p.suffix == ".toml" and mtime < limit:
                        p.unlink()
                        gone.append(p.stem if sub == self.directory else f"{sub.name}/{p.stem}")
                except OSError:
                    continue
        return sorted(gone)


def expire_message(gone: Iterable[str], days: int) -> str | None:
    gone = list(gone)
    if not gone:
        return None
    word = "utkast" if len(gone) == 1 else f"{len(gone)} utkast"
    return f"Slettet {word} eldre enn {days} dager: {', '.join(gone)}."


def clean_up_old(store: DraftStore) -> list[str]:
    """Apply retention at start: messages to show (the deletions and any settings warning)."""
    days, warning = retention_days()
    messages = [warning] if warning else []
    msg = expire_message(store.expire(days), days)
    if msg:
        messages.append(msg)
    return messages


# -- one interview's draft ---------------------------------------------------------------------


class DraftSession:
    """The draft of the interview under way: `save` is the interview loop's `on_change`.

    A failing save never stops the interview: the first failure is reported once (through
    `warn`) and saving is tried again at the next answer.
    """

    def __init__(self, store: DraftStore, draft: Draft, warn: Any = None) -> None:
        self.store = store
        self.draft = draft
        self.warn = warn
        self.failed = False
        self.saved = False

    @property
    def id(self) -> str:
        return self.draft.id

    @property
    def path(self) -> Path:
        return self.store.path_of(self.draft.id)

    def save(self, iv: Interview) -> None:
        global ACTIVE
        self.draft = capture(self.draft, iv)
        try:
            self.store.save(self.draft)
        except WriteError as exc:
            if not self.failed and self.warn is not None:
                self.warn(f"Advarsel: utkastet ble ikke lagret. {exc.message}")
            self.failed = True
            return
        if self.failed and self.warn is not None:
            self.warn("Utkastet er lagret igjen.")
        self.failed = False
        self.saved = True
        ACTIVE = self.path

    def delete(self) -> None:
        global ACTIVE
        self.store.delete(self.draft.id)
        ACTIVE = None

    def how_to_go_on(self) -> str:
        if not self.saved:
            return "Utkastet kunne ikke lagres."
        return (
            f"Svarene er lagret som utkast {self.id}; fortsett med "
            f"`omsorgslinje utkast fortsett {self.id}`."
        )


def describe_lost(restored: Restored, draft: Draft, copy: Path | None) -> list[str]:
    """Messages for a draft resumed against a changed flow. Step ids only, never answers."""
    lines: list[str] = []
    if restored.version_changed:
        lines.append(
            f"Flyten «{draft.flow_id}» er endret siden utkastet ble laget "
            f"(versjon {draft.flow_version or 'ukjent'} → {restored.iv.flow.version}). "
            "Du fortsetter der svarene fortsatt passer."
        )
    if restored.gone:
        lines.append(
            "Disse stegene finnes ikke lenger, og svarene på dem er ikke med videre: "
            + ", ".join(restored.gone)
            + "."
        )
    if restored.unfit:
        lines.append(
            "Disse svarene passer ikke lenger til steget og må gis på nytt: "
            + ", ".join(restored.unfit)
            + "."
        )
    if copy is not None and restored.lost:
        lines.append(f"Utkastet slik det var, er tatt vare på i {copy}.")
    return lines


def stamp(when: _dt.datetime) -> str:
    return when.astimezone().strftime("%d.%m.%Y %H:%M")


__all__ = [
    "CorruptDraft",
    "Draft",
    "DraftError",
    "DraftSession",
    "DraftStore",
    "Restored",
    "capture",
    "clean_up_old",
    "describe_lost",
    "from_toml",
    "new_id",
    "restore",
    "retention_days",
    "to_toml",
]
