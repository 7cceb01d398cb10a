"""Answer values: parse what a user typed or a file holds, check it against its step, show it.

Pure functions. Every message is Norwegian and names no answer content beyond the rule broken.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Mapping, Sequence

from .errors import InvalidValue
from .expr import format_date
from .model import Step

Value = str | bool | int | float | _dt.date | list[str]

TRUE_WORDS = {"ja", "j", "yes", "y", "true", "1", "sant"}
FALSE_WORDS = {"nei", "n", "no", "false", "0", "usant"}
NOT_ANSWERED = "Ikke besvart"


# Line separators become newlines; every other control character is refused (a NUL, an escape
# sequence that would redraw the terminal or set its clipboard, a bell).
_BREAKS = re.compile("\r\n|[\r\u2028\u2029\u0085]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Text as the user meant it: one kind of line break, no control characters."""
    text = _BREAKS.sub("\n", text)
    m = _CONTROL.search(text)
    if m:
        raise InvalidValue(
            f"Svaret inneholder et kontrolltegn (U+{ord(m.group()):04X}) som ikke kan stå i et "
            "dokument. Fjern det og prøv igjen."
        )
    return text


def _real_date(value: _dt.date) -> _dt.date:
    if value.year < 1000:
        raise InvalidValue("Året må ha fire sifre, for eksempel 22.11.2026.")
    return value


def default_of(step: Step, context: Mapping[str, object]) -> Value | None:
    """The step's default: as written, or, when it holds `{{ ... }}`, filled in from the answers
    so far (None when that gives nothing, or nothing the step allows)."""
    default = step.default
    if isinstance(default, str) and "{{" in default:
        from .expr import render_text

        try:
            default = render_text(default, context).strip()
            return check(step, coerce(step, default)) if default else None
        except Exception:  # a broken default is no default; `flyt sjekk` reports its syntax
            return None
    return coerce(step, default) if default is not None else None


def allowed_values(step: Step) -> str:
    return ", ".join(c.value for c in step.choices)


RELATIVE_DAYS = {"i dag": 0, "idag": 0, "i morgen": 1, "imorgen": 1, "i går": -1, "igår": -1}
DATE_HINT = "Skriv datoen som dd.mm.åååå (eller dd.mm), for eksempel 22.11.2026, eller «i dag»."


def typed(step: Step, raw: object, today: _dt.date | None = None) -> object:
    """What a user typed, with the words a person uses for a date («i dag», «i morgen», «i
    går») made the date they mean. Only for typed answers: a file's answer must not change
    with the day it is read."""
    if step.type == "date" and isinstance(raw, str):
        word = " ".join(raw.casefold().split())
        if word in RELATIVE_DAYS:
            return (today or _dt.date.today()) + _dt.timedelta(days=RELATIVE_DAYS[word])
        m = re.fullmatch(_DAY_MONTH, word)
        if m:  # «10.12» without a year: the nearest such date, before or after today
            return _nearest(int(m.group(1)), int(m.group(2)), today or _dt.date.today()) or raw
    return raw


_DAY_MONTH = r"(\d{1,2})[./](\d{1,2})\.?"  # compiled when a typed date needs it


def _nearest(day: int, month: int, today: _dt.date) -> _dt.date | None:
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(_dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda d: abs((d - today).days))


def parse_date(text: str) -> _dt.date:
    """dd.mm.åååå (also d.m.åå, åååå-mm-dd, dd/mm/åååå). A date in that form that does not
    exist (31.02.2026) is named as such."""
    text = text.strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return _dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}", text):
        raise InvalidValue(f"{text} finnes ikke. {DATE_HINT}")
    raise InvalidValue(DATE_HINT)


def coerce(step: Step, raw: object) -> Value | None:
    """Turn raw input (typed text or a TOML value) into the step's value type.

    Returns None for an empty answer. Raises InvalidValue when the value is not allowed.
    """
    if raw is None:
        return None
    t = step.type
    if t == "info":
        return True
    if t in ("text", "textarea"):
        if not isinstance(raw, str | int | float) or isinstance(raw, bool):
            raise InvalidValue("Svaret må være tekst.")
        text = clean_text(str(raw)).strip()
        return text or None
    if t == "confirm":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            word = raw.strip().lower()
            if not word:
                return None
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
        raise InvalidValue("Svar ja eller nei.")
    if t == "select":
        if isinstance(raw, str):
            if not raw.strip():
                return None
            if step.choice(raw.strip()):
                return raw.strip()
        raise InvalidValue(f"Ugyldig valg. Tillatte verdier: {allowed_values(step)}.")
    if t == "multiselect":
        items: Sequence[object]
        if isinstance(raw, str):
            items = [p.strip() for p in raw.split(",") if p.strip()]
        elif isinstance(raw, list | tuple):
            items = raw
        else:
            raise InvalidValue(
                f"Svaret må være en liste. Tillatte verdier: {allowed_values(step)}."
            )
        out: list[str] = []
        for item in items:
            if not isinstance(item, str) or not step.choice(item):
                raise InvalidValue(f"Ugyldig valg. Tillatte verdier: {allowed_values(step)}.")
            if item not in out:
                out.append(item)
        # keep the flow's order, so the same choices always give the same answer
        order = {c.value: i for i, c in enumerate(step.choices)}
        return sorted(out, key=order.__getitem__)
    if t == "date":
        if isinstance(raw, _dt.datetime):
            return _real_date(raw.date())
        if isinstance(raw, _dt.date):
            return _real_date(raw)
        if isinstance(raw, str):
            if not raw.strip():
                return None
            return _real_date(parse_date(raw))
        raise InvalidValue(DATE_HINT)
    if t == "number":
        if isinstance(raw, bool):
            raise InvalidValue("Svaret må være et tall.")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float):
            if not math.isfinite(raw):
                raise InvalidValue("Svaret må være et tall (ikke nan eller uendelig).")
            return raw
        if isinstance(raw, str):
            text = raw.strip().casefold()
            # «uke 14», «14. uke», «veke 14» where a week is asked for: the number
            week = re.fullmatch(r"(?:uke|veke|u)\s*(\d+)|(\d+)\.?\s*(?:uke|veke)", text)
            if week:
                text = week.group(1) or week.group(2)
            text = text.replace(" ", "").replace(",", ".")
            if not text:
                return None
            if len(text) > 30:
                raise InvalidValue("Tallet er for langt.")
            try:
                return int(text)
            except ValueError:
                try:
                    number = float(text)
                except ValueError:
                    pass
                else:
                    if math.isfinite(number):
                        return number
        raise InvalidValue("Svaret må være et tall.")
    raise InvalidValue(f"Ukjent stegtype: {t}")


def _limit_message(step: Step, default: str) -> str:
    v = step.validation
    return v.message if v and v.message else default


def check(step: Step, value: Value | None) -> Value | None:
    """Check a coerced value against `required` and the step's validation rules."""
    if value is None or value == []:
        if step.required and step.asks:
            raise InvalidValue("Dette spørsmålet må besvares.")
        return None
    if isinstance(value, list) and len(value) > 1:
        for c in step.choices:
            if c.exclusive and c.value in value:
                raise InvalidValue(f"«{c.label}» kan ikke velges sammen med andre svar.")
    v = step.validation
    if v is None:
        return value
    if isinstance(value, str) and step.type in ("text", "textarea"):
        if v.pattern and not re.fullmatch(v.pattern, value):
            raise InvalidValue(_limit_message(step, "Svaret har ikke riktig form."))
        if v.min is not None and len(value) < v.min:
            raise InvalidValue(_limit_message(step, f"Skriv minst {int(v.min)} tegn."))
        if v.max is not None and len(value) > v.max:
            raise InvalidValue(_limit_message(step, f"Skriv høyst {int(v.max)} tegn."))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if v.min is not None and value < v.min:
            raise InvalidValue(_limit_message(step, f"Tallet må være minst {v.min:g}."))
        if v.max is not None and value > v.max:
            raise InvalidValue(_limit_message(step, f"Tallet kan være høyst {v.max:g}."))
    elif isinstance(value, list):
        if v.min is not None and len(value) < v.min:
            raise InvalidValue(_limit_message(step, f"Velg minst {int(v.min)}."))
        if v.max is not None and len(value) > v.max:
            raise InvalidValue(_limit_message(step, f"Velg høyst {int(v.max)}."))
    return value


def parse(step: Step, raw: object) -> Value | None:
    """Coerce and check in one go."""
    return check(step, coerce(step, raw))


def display(step: Step, value: object) -> str:
    """An answer as a reader of the note should see it."""
    if value is None or value == []:
        return NOT_ANSWERED
    if step.type == "confirm":
        return "Ja" if value else "Nei"
    if step.type == "select" and isinstance(value, str):
        c = step.choice(value)
        return c.label if c else value
    if step.type == "multiselect" and isinstance(value, list):
        return "; ".join((c.label if (c := step.choice(v)) else v) for v in value)
    if step.type == "date":
        return format_date(value)
    if step.type == "info":
        return "Vist"
    return str(value)


def as_input(step: Step, value: object) -> str:
    """An answer as the text a prompt would pre-fill."""
    if value is None:
        return ""
    if step.type == "date":
        return format_date(value)
    if step.type == "multiselect" and isinstance(value, list):
        return ",".join(value)
    if step.type == "confirm":
        return "ja" if value else "nei"
    return str(value)


# a step meant for initials or a case reference (by its question): what must not be there
_REFERENCE_WORDS = ("initialer", "saksreferanse", "saksnummer", "referanse")
# patterns compiled when first used (re keeps them): a replay never needs them
_FULL_NAME = r"^[A-ZÆØÅ][a-zæøåéü]+(?:[- ][A-ZÆØÅ]?[a-zæøåéü]+)*\s+[A-ZÆØÅ][a-zæøåéü]+"
_BIRTH_DATE = r"\b\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})\b|\b\d{6}\b"
_IDENTITY_NUMBER = r"\b\d{6}\s?\d{5}\b"


def is_reference_step(step: Step) -> bool:
    """A text step whose question asks for initials or a case reference."""
    asked = (step.prompt + " " + step.help).casefold()
    return step.type == "text" and any(word in asked for word in _REFERENCE_WORDS)


def identity_warning(step: Step, text: object) -> str | None:
    """A gentle warning when an answer to a question meant for initials or a case reference
    looks like a full name, a date of birth or a national identity number (never quoting it)."""
    if step.type != "text" or not isinstance(text, str):
        return None
    asked = (step.prompt + " " + step.help).casefold()
    if not any(word in asked for word in _REFERENCE_WORDS):
        return None
    value = text.strip()
    if re.search(_IDENTITY_NUMBER, value):
        what = "et fødselsnummer"
    elif re.search(_BIRTH_DATE, value):
        what = "en fødselsdato"
    elif re.match(_FULL_NAME, value):
        what = "et fullt navn"
    else:
        return None
    return (
        f"Dette ser ut som {what}. Her skal det stå initialer eller en saksreferanse, slik at "
        "ingen kan kjennes igjen fra notatet. Rett det, eller send det samme en gang til for å "
        "beholde det."
    )
