"""`omsorgslinje kommune vis`: the profile in effect, where it came from, and every contact as
the texts give it. Plain text, wrapped to the width given."""

from __future__ import annotations

from pathlib import Path

from .contacts import NATIONAL
from .kommune import (
    ENV,
    FILENAME,
    Selected,
    builtin_dir,
    builtin_profiles,
    read_profile,
    user_profile_path,
)


def describe(selected: Selected, width: int = 100) -> str:
    """What is set and where it came from, then every contact as the texts will give it."""
    import textwrap

    from .contacts import all_keys

    width = max(40, width)
    out: list[str] = []
    profile = selected.profile
    contacts = selected.contacts
    user = user_profile_path()

    def para(text: str, indent: str = "") -> None:
        out.extend(
            textwrap.wrap(
                text,
                width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )

    if profile is None:
        para(f"Ingen kommuneprofil ({selected.origin}).")
        para(
            "Tekstene har bare de nasjonale numrene, og sier hvor resten står. Velg en profil "
            f"med --kommune FIL|ID, miljøvariabelen {ENV}, eller legg {FILENAME} i "
            f"konfigurasjonsmappen: {user}"
        )
    else:
        para(f"Kommuneprofil: {profile.name} ({profile.number})")
        para(f"Kilde: {selected.origin}")
        if selected.path is not None:
            builtin = selected.path.resolve().parent == builtin_dir().resolve()
            para(f"Fil: {selected.path}" + (" (innebygd)" if builtin else ""))
        checked = f"{profile.checked:%d.%m.%Y}" if profile.checked else "ikke oppgitt"
        para(f"Sist kontrollert: {checked}" + (f" ({profile.owner})" if profile.owner else ""))
        if selected.origin != "konfigurasjonsmappen":
            state = "finnes" if user.is_file() else "finnes ikke"
            para(f"Egen profil i konfigurasjonsmappen: {user} ({state})")
    out.append("")
    out.append("Kontakter:")
    for key in all_keys(profile):
        if key in NATIONAL:
            continue
        missing = profile is not None and key not in profile.contacts
        out.append(f"  {key}" + (" (ikke i profilen)" if missing else ""))
        para(str(contacts.kontakt(key)), "      ")
    out.append("")
    out.append("Nasjonale numre:")
    for key, c in NATIONAL.items():
        para(f"{key}: {c.phone}, {c.name}." + (f" {c.note}" if c.note else ""), "  ")
    out.append("")
    names = ", ".join(
        f"{p.stem} ({prof.number})"
        for p in builtin_profiles()
        if (prof := read_profile(p)[0]) is not None
    )
    para(f"Innebygde profiler: {names}")
    return "\n".join(out) + "\n"


def profile_reference() -> str | None:
    """The municipality profile the texts took their contacts from, as --kommune would name it:
    a built-in one by its id, one of the user's own by its file."""
    from .expr import environment

    contacts = environment().globals.get("kommune")
    profile = getattr(contacts, "_profile", None)
    if profile is None:
        return None
    from .kommune import find_builtin

    builtin = find_builtin(profile.id)
    if builtin is not None and (not profile.path or Path(profile.path) == builtin):
        return str(profile.id)
    return str(profile.path or profile.id)
