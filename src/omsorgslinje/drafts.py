"""Drafts: every answer saved as it is given, so that nothing typed is lost. The store.

A draft is a small TOML file in `<user data dir>/utkast/` (mode 0600, directory 0700), written
atomically after every answer (a temporary file in the same directory, fsync, rename). It holds
the flow (id, version, file), when the interview started and last changed, the answers, where
the interview stands (cursor, trail, scope), the case date and the options needed to finish.

Drafts older than the retention period (default 14 days; `OMSORGSLINJE_UTKAST_DAGER` or
`[utkast] dager` in `config.toml`) are deleted at the next start. A draft that cannot be read is
moved aside to `utkast/skadet/`, never deleted on the spot; when a flow has changed since a
draft was made, the draft as it was is copied to `utkast/eldre/` before it is resumed.

This module is the folder of drafts (`DraftStore`) and its retention; the record and its TOML
are in `draft_file.py`, one interview's draft in `draft_session.py`. Nothing here prints; messages are returned for the shell to show, and
never hold an answer.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

from .draft_file import CorruptDraft, Draft, DraftError, from_toml, to_toml
from .errors import WriteError

DEFAULT_DAYS = 14
ENV_DAYS = "OMSORGSLINJE_UTKAST_DAGER"
CORRUPT_DIR = "skadet"
OLDER_DIR = "eldre"
TMP_MAX_AGE = 3600.0  # seconds: a temporary file left by a killed process
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


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

    ensure_private_dir(path, tighten=True)


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
        from .output import remove_stale_temporaries

        remove_stale_temporaries(self.directory)  # a killed autosave's copy holds answers
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
        """The file of a draft, by id, a unique beginning, or any unique part of one. Raises DraftError."""
        path = self.path_of(ref)
        if path.exists():
            return path
        hits = [p for p in self.paths() if p.stem.startswith(ref)] or [
            p for p in self.paths() if ref and ref in p.stem
        ]
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
        """The draft, every copy kept aside of it (`eldre/`), and its lock."""
        from .draft_lock import lock_path

        for copy in self.copies_of(draft_id):
            with contextlib.suppress(OSError):
                copy.unlink()
        with contextlib.suppress(OSError):
            lock_path(self.directory, draft_id).unlink()
        try:
            self.path_of(draft_id).unlink()
        except FileNotFoundError:
            return False
        return True

    def copies_of(self, draft_id: str) -> list[Path]:
        """Copies of a draft kept aside before it was resumed against a changed flow."""
        try:
            entries = list((self.directory / OLDER_DIR).iterdir())
        except OSError:
            return []
        return [p for p in entries if p.name.startswith(f"{draft_id}-") and p.suffix == ".toml"]

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
