"""Answer values: parsing typed text and TOML values, checking, showing, pre-filling."""

from __future__ import annotations

import datetime as _dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from omsorgslinje.errors import InvalidValue
from omsorgslinje.model import Choice, Step, Validation
from omsorgslinje.values import as_input, check, coerce, display, parse, parse_date

SELECT = Step(
    "rolle",
    "select",
    "Rolle?",
    choices=(Choice("lege", "Fastlege"), Choice("jordmor", "Jordmor")),
)
MULTI = Step(
    "gjelder",
    "multiselect",
    "Gjelder?",
    choices=(Choice("gravid", "Gravid"), Choice("barn", "Barn"), Choice("rus", "Rus")),
)


def step(t: str, **kw: object) -> Step:
    return Step("s", t, "Spørsmål?", **kw)


@pytest.mark.parametrize(
    "text", ["22.11.2026", "2026-11-22", "22.11.26", "22/11/2026", " 22.11.2026 "]
)
def test_dates_in_every_accepted_form(text: str) -> None:
    assert parse_date(text) == _dt.date(2026, 11, 22)


@pytest.mark.parametrize("text", ["31.02.2026", "i morgen", "2026/11/22", ""])
def test_bad_dates_are_refused_in_norwegian(text: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        parse_date(text)
    assert "dd.mm.åååå" in exc.value.message


def test_date_from_toml_values() -> None:
    s = step("date")
    assert coerce(s, _dt.date(2026, 1, 2)) == _dt.date(2026, 1, 2)
    assert coerce(s, _dt.datetime(2026, 1, 2, 10, 30)) == _dt.date(2026, 1, 2)
    assert coerce(s, "") is None
    with pytest.raises(InvalidValue):
        coerce(s, 20260102)


@pytest.mark.parametrize("word", ["ja", "Ja", "J", "yes", "true", "1", "sant", " JA "])
def test_confirm_yes(word: str) -> None:
    assert coerce(step("confirm"), word) is True


@pytest.mark.parametrize("word", ["nei", "N", "no", "false", "0", "usant"])
def test_confirm_no(word: str) -> None:
    assert coerce(step("confirm"), word) is False


def test_confirm_refuses_other_words() -> None:
    with pytest.raises(InvalidValue) as exc:
        coerce(step("confirm"), "kanskje")
    assert exc.value.message == "Svar ja eller nei."
    with pytest.raises(InvalidValue):
        coerce(step("confirm"), 1)
    assert coerce(step("confirm"), True) is True
    assert coerce(step("confirm"), "  ") is None


def test_select_names_the_allowed_values() -> None:
    assert coerce(SELECT, " lege ") == "lege"
    with pytest.raises(InvalidValue) as exc:
        coerce(SELECT, "Fastlege")  # the label is not the value
    assert "lege, jordmor" in exc.value.message
    with pytest.raises(InvalidValue):
        coerce(SELECT, 3)


def test_multiselect_keeps_the_flows_order_and_drops_duplicates() -> None:
    assert coerce(MULTI, ["rus", "gravid", "rus"]) == ["gravid", "rus"]
    assert coerce(MULTI, "barn, gravid") == ["gravid", "barn"]
    assert coerce(MULTI, "") == []
    with pytest.raises(InvalidValue) as exc:
        coerce(MULTI, ["gravid", "annet"])
    assert "gravid, barn, rus" in exc.value.message
    with pytest.raises(InvalidValue):
        coerce(MULTI, 5)


@given(st.lists(st.sampled_from(["gravid", "barn", "rus"])))
def test_multiselect_order_never_depends_on_the_order_chosen(items: list[str]) -> None:
    once = coerce(MULTI, items)
    assert once == coerce(MULTI, list(reversed(items)))
    assert coerce(MULTI, once) == once  # idempotent: a replayed answer is the same answer


@pytest.mark.parametrize(
    ("text", "value"),
    [("3", 3), ("3,5", 3.5), ("1 000", 1000), ("-2", -2), (" 4.25 ", 4.25), (7, 7), (2.5, 2.5)],
)
def test_numbers(text: object, value: float) -> None:
    assert coerce(step("number"), text) == value


@pytest.mark.parametrize("raw", ["tre", True, [1]])
def test_not_a_number(raw: object) -> None:
    with pytest.raises(InvalidValue) as exc:
        coerce(step("number"), raw)
    assert "tall" in exc.value.message


def test_text_is_stripped_and_empty_is_none() -> None:
    assert coerce(step("text"), "  hei  ") == "hei"
    assert coerce(step("textarea"), "linje 1\nlinje 2\n") == "linje 1\nlinje 2"
    assert coerce(step("text"), "   ") is None
    assert coerce(step("text"), 42) == "42"
    with pytest.raises(InvalidValue):
        coerce(step("text"), ["a"])
    with pytest.raises(InvalidValue):
        coerce(step("text"), True)


def test_info_is_always_shown() -> None:
    assert coerce(step("info"), "hva som helst") is True
    assert parse(step("info", required=False), True) is True


def test_required_and_optional() -> None:
    with pytest.raises(InvalidValue) as exc:
        parse(step("text"), "")
    assert exc.value.message == "Dette spørsmålet må besvares."
    assert parse(step("text", required=False), "") is None
    with pytest.raises(InvalidValue):
        parse(MULTI, [])


def test_validation_of_text() -> None:
    s = step("text", validation=Validation(pattern=r"[A-Z]{2}", min=2, max=2))
    assert parse(s, "AB") == "AB"
    with pytest.raises(InvalidValue) as exc:
        parse(s, "ab")
    assert exc.value.message == "Svaret har ikke riktig form."
    s = step("text", validation=Validation(min=3, max=5))
    with pytest.raises(InvalidValue, match="minst 3 tegn"):
        parse(s, "ab")
    with pytest.raises(InvalidValue, match="høyst 5 tegn"):
        parse(s, "abcdef")


def test_validation_message_of_the_flow_wins() -> None:
    s = step("text", validation=Validation(min=2, message="Skriv rollen din med 2–80 tegn."))
    with pytest.raises(InvalidValue) as exc:
        parse(s, "a")
    assert exc.value.message == "Skriv rollen din med 2–80 tegn."


def test_validation_of_numbers_and_choices() -> None:
    s = step("number", validation=Validation(min=1, max=12))
    assert parse(s, "12") == 12
    with pytest.raises(InvalidValue, match="minst 1"):
        parse(s, "0")
    with pytest.raises(InvalidValue, match="høyst 12"):
        parse(s, "13")
    m = Step("m", "multiselect", "?", choices=MULTI.choices, validation=Validation(max=2))
    with pytest.raises(InvalidValue, match="Velg høyst 2"):
        parse(m, ["gravid", "barn", "rus"])


def test_check_leaves_unvalidated_values_alone() -> None:
    assert check(step("text"), "x") == "x"


def test_display() -> None:
    assert display(SELECT, "lege") == "Fastlege"
    assert display(MULTI, ["gravid", "rus"]) == "Gravid; Rus"
    assert display(step("confirm"), True) == "Ja"
    assert display(step("confirm"), False) == "Nei"
    assert display(step("date"), _dt.date(2026, 11, 2)) == "02.11.2026"
    assert display(step("text"), None) == "Ikke besvart"
    assert display(MULTI, []) == "Ikke besvart"
    assert display(step("info"), True) == "Vist"
    assert display(step("number"), 2.5) == "2.5"


def test_as_input_round_trips_through_coerce() -> None:
    cases: list[tuple[Step, object]] = [
        (step("date"), _dt.date(2026, 11, 2)),
        (MULTI, ["gravid", "rus"]),
        (step("confirm"), True),
        (step("confirm"), False),
        (SELECT, "jordmor"),
        (step("number"), 3),
        (step("text"), "hei"),
    ]
    for s, value in cases:
        assert coerce(s, as_input(s, value)) == value
    assert as_input(step("text"), None) == ""


def test_a_typed_day_and_month_is_the_nearest_such_date() -> None:
    import datetime as dt

    from omsorgslinje.model import Step
    from omsorgslinje.values import typed

    step = Step(id="d", type="date", prompt="Når?")
    today = dt.date(2026, 12, 3)
    assert typed(step, "10.12", today) == dt.date(2026, 12, 10)
    assert typed(step, "10.1", today) == dt.date(2027, 1, 10)  # next month, not eleven ago
    assert typed(step, "20.11.", today) == dt.date(2026, 11, 20)
    assert typed(step, "31.02", today) == "31.02"  # no such date: the usual message follows
