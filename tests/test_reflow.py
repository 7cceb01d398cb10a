"""Panels wrap a flow's text at their own width: the TOML file's line breaks inside a
paragraph do not survive into the panel (at 100 columns they left one word on a line)."""

from omsorgslinje.ui.common import reflow


def test_lines_of_a_paragraph_are_joined() -> None:
    text = "Helsepersonell skal gi opplysninger når det er grunn\ntil å tro at en gravid kvinne"
    assert reflow(text) == (
        "Helsepersonell skal gi opplysninger når det er grunn til å tro at en gravid kvinne"
    )


def test_paragraphs_commands_and_lists_keep_their_lines() -> None:
    text = (
        "\nFørste avsnitt,\nfortsatt.\n\nHver skriver fyller sin del med\n"
        '  omsorgslinje henvisning --del "rus"\nog lagrer den.\n\n- ett\n- to\n'
    )
    assert reflow(text) == (
        "Første avsnitt, fortsatt.\n\nHver skriver fyller sin del med\n"
        '  omsorgslinje henvisning --del "rus"\nog lagrer den.\n\n- ett\n- to'
    )


def test_a_section_sign_stays_with_its_number() -> None:
    assert reflow("helsepersonelloven § 10a og §§ 10-2") == (
        "helsepersonelloven §\u00a010a og §§\u00a010-2"
    )
