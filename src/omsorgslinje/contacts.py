"""The municipality's contacts: the model, the national numbers, and the texts flows use.

Pure: no files, no clock. `kommune.py` reads a profile from TOML and decides which one is in
effect; this module turns it into what a flow or template sees as `kommune`:

    {{ kommune.ring("barnevernstjenesten", "Meld bekymringen til", vakt="barnevernvakt") }}
    {{ kommune.tlf("legevakt") }}    {{ kommune.kontakt("koordinerende_enhet") }}

A number is shown only where the profile (or the list of national numbers) has it. Where it
has none, the text says where to find it; it never makes one up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any

from .errors import OmsorgslinjeError
from .fastclass import dataclass

if TYPE_CHECKING:
    import datetime as _dt

    from jinja2 import nodes


@dataclass(frozen=True)
class Contact:
    """One service: its name as it reads in a sentence, and what the routine owner filled in."""

    key: str
    name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    hours: str = ""
    website: str = ""
    note: str = ""
    national: bool = False


@dataclass(frozen=True)
class Known:
    """A contact key the flows may use without a profile: its default name, and where to look
    for the number when no profile gives it."""

    name: str
    where: str  # "kommune", "nav", "helse_bergen"
    phone: str = ""  # a national number that is always right (116 117 for the legevakt)
    danger: bool = False  # add «ved fare for liv og helse: ring 112»


# The services the two routines name. Their keys are what flows and templates use.
KNOWN: dict[str, Known] = {
    "barnevernstjenesten": Known("barnevernstjenesten", "kommune"),
    "barnevernvakt": Known("barnevernvakten", "kommune", danger=True),
    "koordinerende_enhet": Known("Koordinerende enhet", "kommune"),
    "fagavdeling_oppvekst": Known(
        "Fagavdeling for sektor Oppvekst, Utdanning og Kultur", "kommune"
    ),
    "psykisk_helse_rus": Known("tjenesteområdet psykisk helsearbeid og rusomsorg", "kommune"),
    "helsestasjon": Known("helsestasjonen", "kommune"),
    "nav": Known("NAV-kontoret", "nav"),
    "legevakt": Known("legevakten", "kommune", phone="116 117"),
    "afr_lar": Known("AFR LAR (Avdeling for rusmedisin, seksjon LAR)", "helse_bergen"),
    "vurderingsenheten": Known("vurderingsenheten i Avdeling for rusmedisin", "helse_bergen"),
}

# National numbers: the same everywhere, built in, never changed by a profile.
NATIONAL: dict[str, Contact] = {
    "politi": Contact("politi", "politiet", "112", hours="hele døgnet", national=True),
    "ambulanse": Contact(
        "ambulanse", "medisinsk nødtelefon", "113", hours="hele døgnet", national=True
    ),
    "legevakt_nasjonal": Contact(
        "legevakt_nasjonal",
        "legevakten",
        "116 117",
        hours="hele døgnet",
        note="Nummeret setter deg over til legevakten der du er.",
        national=True,
    ),
    "alarmtelefonen": Contact(
        "alarmtelefonen",
        "Alarmtelefonen for barn og unge",
        "116 111",
        hours="hele døgnet",
        national=True,
    ),
    "politi_ikke_akutt": Contact(
        "politi_ikke_akutt", "politiet", "02800", note="Når det ikke haster.", national=True
    ),
}

_WHERE = {
    "nav": "nav.no",
    "helse_bergen": "helse-bergen.no",
}

METHODS = ("ring", "tlf", "kontakt")  # the calls whose first argument is a contact key


class UnknownContact(OmsorgslinjeError):
    """A flow or template names a contact the profile and the built-in list do not have."""


def all_keys(profile: Profile | None = None) -> list[str]:
    keys = dict.fromkeys([*KNOWN, *NATIONAL])
    if profile is not None:
        keys.update(dict.fromkeys(profile.contacts))
    return list(keys)


@dataclass(frozen=True)
class Profile:
    """A municipality: its name and number, and its own contacts by key."""

    id: str
    name: str
    number: str
    contacts: Mapping[str, Contact] = field(default_factory=dict)
    website: str = ""
    checked: _dt.date | None = None
    owner: str = ""
    path: str = ""


def stale(profile: Profile, today: _dt.date) -> str | None:
    """A warning when the profile's numbers were last checked more than a year ago."""
    if profile.checked is None or (today - profile.checked).days <= 365:
        return None
    return (
        f"Kommuneprofilen for {profile.name} ble sist kontrollert {profile.checked:%d.%m.%Y}, "
        "for mer enn ett år siden: sjekk numrene før du ringer, og be den som eier profilen om "
        "å oppdatere den."
    )


def _site(url: str) -> str:
    """A web address as it reads in a sentence: without https:// and a final /."""
    for scheme in ("https://", "http://"):
        url = url.removeprefix(scheme)
    return url.rstrip("/")


class Contacts:
    """What flows and templates see as `kommune`. Every text it gives is Norwegian.

    Methods whose name starts with _ are out of reach of templates (the sandbox).
    """

    def __init__(self, profile: Profile | None = None) -> None:
        self._profile = profile

    # -- what a template may ask -----------------------------------------------------------

    @property
    def valgt(self) -> bool:
        """Whether a municipality profile is in effect."""
        return self._profile is not None

    @property
    def navn(self) -> str:
        return self._profile.name if self._profile else ""

    @property
    def nummer(self) -> str:
        return self._profile.number if self._profile else ""

    def tlf(self, key: str) -> str:
        """The phone number, or empty text when neither the profile nor the national list has
        one (test it with `{% if kommune.tlf("x") %}`)."""
        return self._contact(key).phone

    def kontakt(self, key: str) -> ContactView:
        """The contact: `{{ kommune.kontakt("nav") }}` is one line with what is known;
        `.navn`, `.telefon`, `.epost`, `.adresse`, `.apningstid`, `.nettside`, `.merknad`
        are the fields."""
        return ContactView(self._contact(key), self._where(key))

    def ring(self, key: str, verb: str = "Ring", vakt: str | None = None) -> str:
        """«Ring barnevernvakten på 12 34 56 78.» Where there is no number, the text says where
        to find it. With `vakt`, the service that answers outside office hours follows."""
        c = self._contact(key)
        if vakt is not None:
            v = self._contact(vakt)
            where = self._where(key)
            if not c.phone and not v.phone and where == self._where(vakt):
                # neither number known, both in the same place: say it once
                danger = any(k in KNOWN and KNOWN[k].danger for k in (key, vakt))
                return (
                    f"{verb} {c.name}, utenfor kontortid {v.name} (telefonnumrene står på "
                    f"{where}" + ("; er noen i fare nå, ring 112" if danger else "") + ")."
                )
            after = "åpningstiden" if c.hours else "kontortid"
            return (
                f"{verb} {c.name}{self._number(c, key)}. "
                f"Utenfor {after}: {v.name}{self._number(v, vakt)}."
            )
        return f"{verb} {c.name}{self._number(c, key)}."

    def utenfor_kontortid(self) -> str:
        """Where to turn outside office hours: the barnevernvakt and the legevakt."""
        bv = self._contact("barnevernvakt")
        lv = self._contact("legevakt")
        return (
            f"Utenfor kontortid: ring {bv.name}{self._number(bv, 'barnevernvakt', danger=False)}, "
            f"eller {lv.name}{self._number(lv, 'legevakt')}. "
            "Er noen i fare nå: ring 112."
        )

    def nasjonale(self) -> list[ContactView]:
        """The national numbers, for a list in a template."""
        return [ContactView(c, "") for c in NATIONAL.values()]

    # -- the rest is for Python --------------------------------------------------------------

    def __str__(self) -> str:
        if self._profile is None:
            return "ingen kommune valgt"
        return f"{self._profile.name} ({self._profile.number})"

    def _contact(self, key: str) -> Contact:
        if not isinstance(key, str):
            raise UnknownContact(f"En kontakt må oppgis med nøkkelen som tekst, ikke {key!r}.")
        if key in NATIONAL:
            return NATIONAL[key]
        own = self._profile.contacts.get(key) if self._profile else None
        known = KNOWN.get(key)
        if own is None and known is None:
            raise UnknownContact(
                f"Ukjent kontakt «{key}». Kjente kontakter: {', '.join(all_keys(self._profile))}."
            )
        if own is None:
            assert known is not None
            return Contact(key, known.name, known.phone)
        if known is not None and not own.phone and known.phone:
            from dataclasses import replace

            own = replace(own, phone=known.phone)
        return own

    def _where(self, key: str) -> str:
        """Where the user finds the number the profile does not give."""
        known = KNOWN.get(key)
        own = self._profile.contacts.get(key) if self._profile else None
        if own is not None and own.website:
            return _site(own.website)
        if known is not None and known.where in _WHERE:
            return _WHERE[known.where]
        if self._profile is not None and self._profile.website:
            return _site(self._profile.website)
        if self._profile is not None:
            return f"nettsiden til {self._profile.name}"
        return "kommunens nettside"

    def _number(self, c: Contact, key: str, *, danger: bool = True) -> str:
        """« på 12 34 56 78 (mandag–fredag …)», or where to find the number."""
        if c.phone:
            text = f" på {c.phone}"
            if c.hours and not c.national:
                text += f" ({c.hours})"
            return text
        text = f" (telefonnummeret står på {self._where(key)}"
        known = KNOWN.get(key)
        if danger and known is not None and known.danger:
            text += "; er noen i fare nå, ring 112"
        return text + ")"


@dataclass(frozen=True)
class ContactView:
    """One contact as a template sees it: Norwegian field names, and one line as text."""

    contact: Contact
    where: str

    @property
    def navn(self) -> str:
        return self.contact.name

    @property
    def telefon(self) -> str:
        return self.contact.phone

    @property
    def epost(self) -> str:
        return self.contact.email

    @property
    def adresse(self) -> str:
        return self.contact.address

    @property
    def apningstid(self) -> str:
        return self.contact.hours

    @property
    def nettside(self) -> str:
        return _site(self.contact.website)

    @property
    def merknad(self) -> str:
        return self.contact.note

    def __str__(self) -> str:
        c = self.contact
        parts = [f"telefon {c.phone}" if c.phone else f"telefonnummeret står på {self.where}"]
        if c.hours:
            parts.append(f"åpent {c.hours}" if not c.national else c.hours)
        if c.email:
            parts.append(f"e-post {c.email}")
        if c.address:
            parts.append(c.address)
        if c.website and (c.phone or _site(c.website) != self.where):
            parts.append(_site(c.website))
        text = f"{c.name[:1].upper()}{c.name[1:]}: {', '.join(parts)}."
        if c.note:
            text += f" {c.note}"
        return text


# ------------------------------------------------------------------------------------------
# Contact keys in flow texts and templates (for `flyt sjekk`)


def keys_used(tree: nodes.Node) -> Iterator[tuple[str, int]]:
    """Every constant contact key in `kommune.ring("x")`, `kommune.tlf("x")`,
    `kommune.kontakt("x")` and `vakt="x"` of a Jinja syntax tree, with its line."""
    from jinja2 import nodes

    for call in tree.find_all(nodes.Call):
        target = call.node
        if not (
            isinstance(target, nodes.Getattr)
            and isinstance(target.node, nodes.Name)
            and target.node.name == "kommune"
            and target.attr in METHODS
        ):
            continue
        args: list[Any] = list(call.args[:1])
        args += [kw.value for kw in call.kwargs if kw.key in ("key", "vakt")]
        for arg in args:
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
                yield arg.value, call.lineno


def unknown_keys(tree: nodes.Node, profile: Profile | None = None) -> list[tuple[str, int]]:
    """The contact keys in a syntax tree that no profile, built-in list or national number has."""
    known = set(all_keys(profile))
    return [(k, line) for k, line in keys_used(tree) if k not in known]
