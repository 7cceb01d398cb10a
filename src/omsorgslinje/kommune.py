"""The municipality profile (`kommune.toml`): reading it, checking it, and which one is in effect.

Where the profile comes from, first found wins:
1. `--kommune FIL|ID|ingen` on the command line,
2. the environment variable `OMSORGSLINJE_KOMMUNE` (same values),
3. `kommune.toml` in the user's configuration folder,
4. none: the national numbers only, and texts that say where to find the rest.

An ID is a built-in profile (`kommuner/*.toml`: `lillehammer`, `bergen`), by name or by
municipality number (`3405`). Every problem in a profile is reported with file and line, as
`flyt sjekk` does for flows; a broken profile stops the run with exit code 2.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OmsorgslinjeError, Problem
from .fastclass import dataclass

if TYPE_CHECKING:  # (loaded when a profile is read: a run without one starts sooner)
    from .contacts import Contact, Contacts, Profile

SCHEMA_PATH = Path(__file__).with_name("kommune_schema.json")
ENV = "OMSORGSLINJE_KOMMUNE"
FILENAME = "kommune.toml"
NONE = "ingen"
_PACKAGE = Path(__file__).resolve().parent
_KEY = r"^[a-z][a-z0-9_]*$"  # patterns compiled when a profile is read (re keeps them)


def _schema_keys() -> dict[str, tuple[str, ...]]:
    """The allowed keys of each table, from the JSON Schema: the format's single source."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    return {
        "top": tuple(schema["properties"]),
        "municipality": tuple(defs["municipality"]["properties"]),
        "contact": tuple(defs["contact"]["properties"]),
        "phone": (defs["phone"]["pattern"],),
        "email": (defs["email"]["pattern"],),
        "website": (defs["website"]["pattern"],),
    }


_KEYS = _schema_keys()
TOP_KEYS = _KEYS["top"]
MUNICIPALITY_KEYS = _KEYS["municipality"]
CONTACT_KEYS = _KEYS["contact"]
_PATTERNS = {k: _KEYS[k][0] for k in ("phone", "email", "website")}
_PATTERN_MESSAGES = {
    "phone": (
        "må være et telefonnummer med bare siffer og mellomrom, for eksempel «12 34 56 78» "
        "(eventuelt med +47 først)"
    ),
    "email": "må være en e-postadresse, for eksempel «post@kommune.no»",
    "website": "må være en nettadresse, for eksempel «https://www.kommune.no»",
}


class ProfileError(OmsorgslinjeError):
    """A municipality profile that cannot be used. Holds every problem found."""

    def __init__(self, problems: list[Problem], origin: str = "") -> None:
        self.problems = problems
        lines = [str(p) for p in problems]
        if origin:
            lines.append(
                f"Kommuneprofilen (valgt med {origin}) kan ikke brukes. Rett filen, eller kjør "
                "med --kommune ingen."
            )
        super().__init__("\n".join(lines))


@cache
def builtin_dir() -> Path:
    inside = _PACKAGE / "kommuner"
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / "kommuner"  # src/omsorgslinje -> repository root


def builtin_profiles() -> list[Path]:
    d = builtin_dir()
    return sorted(d.glob("*.toml")) if d.is_dir() else []


def user_profile_path() -> Path:
    from .resources import user_config_dir

    return user_config_dir() / FILENAME


# ------------------------------------------------------------------------------------------
# Reading


def _digits(phone: str) -> str:
    return re.sub(r"\s", "", phone).removeprefix("+47")


def _text(table: Mapping[str, Any], key: str, problem: Any, line: Any) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        problem(f"«{key}» må være tekst (i anførselstegn).", line(key))
        return ""
    return value.strip()


def build_profile(
    data: Mapping[str, Any], text: str, path: str, today: _dt.date | None = None
) -> tuple[Profile | None, list[Problem]]:
    """The profile and every problem in it, in file order. Warnings have `warning=True`."""
    from .contacts import KNOWN, NATIONAL, Contact, Profile
    from .toml_text import LineIndex

    idx = LineIndex.of(text)
    problems: list[Problem] = []
    span: tuple[int, int] | None = None

    def problem(message: str, line: int | None = None, *, warning: bool = False) -> None:
        problems.append(Problem(path, message, line, warning=warning))

    def line(key: str) -> int | None:
        return idx.key_line(key, span=span) if span else idx.key_line(key)

    for key in data:
        if key not in TOP_KEYS:
            problem(
                f"Ukjent tabell eller nøkkel «{key}». Tillatt: {', '.join(f'[{k}]' for k in TOP_KEYS)}.",
                idx.key_line(key),
            )

    muni = data.get("municipality")
    if not isinstance(muni, dict):
        problem(
            "Mangler tabellen [municipality] med kommunens navn og nummer."
            if muni is None
            else "«municipality» må være en tabell: [municipality].",
            idx.key_line("municipality") or 1,
        )
        muni = {}
    span = idx.table_span("municipality")
    where = "[municipality]"
    for key in muni:
        if key not in MUNICIPALITY_KEYS:
            problem(
                f"Ukjent nøkkel «{key}» i {where}. Tillatte nøkler: {', '.join(MUNICIPALITY_KEYS)}.",
                line(key),
            )
    first = span[0] + 1 if span else 1
    name = _text(muni, "name", problem, line)
    if "name" not in muni and isinstance(data.get("municipality"), dict):
        problem(f"Mangler «name» (kommunens navn) i {where}.", first)
    number = muni.get("number", "")
    if isinstance(number, int) and not isinstance(number, bool):
        number = f"{number:04d}"
    if "number" not in muni:
        if isinstance(data.get("municipality"), dict):
            problem(f"Mangler «number» (kommunenummeret, fire siffer) i {where}.", first)
        number = ""
    elif not isinstance(number, str) or not re.fullmatch(r"[0-9]{4}", number):
        problem(
            '«number» må være kommunenummeret med fire siffer, for eksempel "3405".', line("number")
        )
        number = ""
    pid = muni.get("id", Path(path).stem)
    if not isinstance(pid, str) or not re.match(_KEY, pid):
        problem("«id» må bestå av små bokstaver a–z, tall og _.", line("id"))
        pid = Path(path).stem
    website = _text(muni, "website", problem, line)
    if website and not re.match(_PATTERNS["website"], website):
        problem(f"«website» {_PATTERN_MESSAGES['website']}.", line("website"))
    checked = muni.get("checked")
    if checked is not None and (
        not isinstance(checked, _dt.date) or isinstance(checked, _dt.datetime)
    ):
        problem(
            "«checked» må være en dato uten anførselstegn: checked = 2026-12-01.", line("checked")
        )
        checked = None
    owner = _text(muni, "owner", problem, line)

    contacts: dict[str, Contact] = {}
    raw = data.get("contacts", {})
    span = None
    if not isinstance(raw, dict):
        problem("«contacts» må være tabeller: [contacts.barnevernvakt].", idx.key_line("contacts"))
        raw = {}
    for key, spec in raw.items():
        span = idx.table_span(f"contacts.{key}")
        head: int | None = span[0] + 1 if span else idx.key_line(key)
        if key in NATIONAL:
            problem(
                f"«{key}» er et nasjonalt nummer ({NATIONAL[key].phone}) og kan ikke endres i "
                "kommuneprofilen.",
                head,
            )
            continue
        if not re.match(_KEY, key):
            problem(f"Kontaktnøkkelen «{key}» må bestå av små bokstaver a–z, tall og _.", head)
            continue
        if not isinstance(spec, dict):
            problem(f"«{key}» må være en tabell: [contacts.{key}].", head)
            continue
        where = f"[contacts.{key}]"
        for k in spec:
            if k not in CONTACT_KEYS:
                problem(
                    f"Ukjent nøkkel «{k}» i {where}. Tillatte nøkler: {', '.join(CONTACT_KEYS)}.",
                    line(k),
                )
        values = {k: _text(spec, k, problem, line) for k in CONTACT_KEYS if k in spec}
        for k in ("phone", "email", "website"):
            v = values.get(k, "")
            if v and not re.match(_PATTERNS[k], v):
                problem(f"«{k}» i {where} {_PATTERN_MESSAGES[k]}.", line(k))
                values[k] = ""
        phone = values.get("phone", "")
        if phone and len(_digits(phone)) not in (3, 5, 6, 8):
            problem(
                f"«phone» i {where} har {len(_digits(phone))} siffer; et norsk nummer har 8 "
                "(eller 3, 5 eller 6 for korte nummer som 116 117).",
                line("phone"),
            )
            values["phone"] = ""
        known = KNOWN.get(key)
        if known is None and not values.get("name"):
            problem(
                f"«{key}» er ikke en av de kjente kontaktene, og må ha «name» (navnet slik det "
                f"står i en setning). Kjente: {', '.join(KNOWN)}.",
                head,
            )
            continue
        contacts[key] = Contact(
            key,
            values.get("name") or (known.name if known else key),
            values.get("phone", ""),
            values.get("email", ""),
            values.get("address", ""),
            values.get("hours", ""),
            values.get("website", ""),
            values.get("note", ""),
        )
    if today is not None and checked is None and any(c.phone for c in contacts.values()):
        problem(
            "Profilen har telefonnumre, men ikke «checked»: sett datoen numrene ble kontrollert "
            "(checked = 2026-12-01 i [municipality]).",
            idx.key_line("municipality"),
            warning=True,
        )
    if today is not None and isinstance(checked, _dt.date):
        if checked > today:
            problem("«checked» er en dato fram i tid.", idx.key_line("checked"), warning=True)
        elif (today - checked).days > 365:
            problem(
                f"Opplysningene ble sist kontrollert {checked:%d.%m.%Y}, for mer enn ett år "
                "siden. Sjekk numrene og sett ny dato i «checked».",
                idx.key_line("checked"),
                warning=True,
            )
    if any(not p.warning for p in problems):
        return None, sorted(problems, key=lambda p: p.line or 0)
    profile = Profile(
        id=pid,
        name=name,
        number=str(number),
        contacts=contacts,
        website=website,
        checked=checked if isinstance(checked, _dt.date) else None,
        owner=owner,
        path=path,
    )
    return profile, sorted(problems, key=lambda p: p.line or 0)


def read_profile(path: Path, today: _dt.date | None = None) -> tuple[Profile | None, list[Problem]]:
    from .toml_text import read_toml

    data, text, problems = read_toml(path)
    if data is None:
        return None, problems
    return build_profile(data, text, str(path), today)


def load_profile(path: Path, origin: str = "") -> Profile:
    profile, problems = read_profile(path)
    if profile is None:
        raise ProfileError([p for p in problems if not p.warning], origin)
    return profile


def check_profile(path: Path, today: _dt.date) -> list[Problem]:
    """`omsorgslinje kommune sjekk`: every problem, warnings included."""
    return read_profile(path, today)[1]


# ------------------------------------------------------------------------------------------
# Which profile is in effect


@dataclass(frozen=True)
class Selected:
    """The profile in effect (None: no municipality) and, in words, where it came from."""

    profile: Profile | None
    origin: str
    path: Path | None = None

    @property
    def contacts(self) -> Contacts:
        from .contacts import Contacts

        return Contacts(self.profile)


def find_builtin(ref: str) -> Path | None:
    """A built-in profile by id (file name, in any case: «Bergen») or municipality number."""
    for p in builtin_profiles():
        if p.stem == ref.lower():
            return p
    if re.fullmatch(r"[0-9]{4}", ref):
        for p in builtin_profiles():
            profile, _ = read_profile(p)
            if profile is not None and profile.number == ref:
                return p
    return None


def reference_path(ref: str, origin: str) -> Path | None:
    """The file a reference names: a path, or a built-in profile; None for «ingen»."""
    ref = ref.strip()
    if ref.lower() == NONE:
        return None
    if ref.endswith(".toml") or os.sep in ref or "/" in ref:
        return Path(ref).expanduser()
    path = find_builtin(ref)
    if path is None:
        names = ", ".join(f"{p.stem}" for p in builtin_profiles())
        raise ProfileError(
            [
                Problem(
                    origin,
                    f"Fant ingen kommuneprofil «{ref}». Gi en fil (.toml), «{NONE}», eller en "
                    f"innebygd profil: {names} (navn eller kommunenummer).",
                )
            ]
        )
    return path


def locate(option: str | None, environ: Mapping[str, str] | None = None) -> tuple[Path | None, str]:
    """Which profile file is in effect, and where that was decided, without reading it:
    --kommune, then OMSORGSLINJE_KOMMUNE, then the configuration folder."""
    env = os.environ if environ is None else environ
    if option:
        origin = f"--kommune {option}"
        return reference_path(option, origin), origin
    value = env.get(ENV, "").strip()
    if value:
        origin = f"miljøvariabelen {ENV}={value}"
        return reference_path(value, origin), origin
    user = user_profile_path()
    if user.is_file():
        return user, "konfigurasjonsmappen"
    return None, "ingen profil er valgt"


def select(option: str | None, environ: Mapping[str, str] | None = None) -> Selected:
    """The profile in effect for a run (`locate`), read. Raises ProfileError for a profile that
    cannot be used."""
    path, origin = locate(option, environ)
    if path is None:
        if origin.startswith(("--kommune", "miljøvariabelen")):
            origin += ": ingen kommune"
        return Selected(None, origin)
    return Selected(load_profile(path, origin), origin, path)


_activated = False  # a profile was made the one in effect, in this process


def activate(selected: Selected) -> None:
    """Make the profile the one flows and templates see as `kommune` (none: as before any)."""
    global _activated
    if selected.profile is not None or _activated:  # (else contacts.py is not even loaded)
        from .expr import install_globals

        install_globals({"kommune": selected.contacts})
        _activated = True
