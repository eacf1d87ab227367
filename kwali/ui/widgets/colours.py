"""Code colours: the codebook's own colour when it has one, else a calm fixed palette."""

from __future__ import annotations

from rich.color import Color, ColorParseError

from kwali.model import CODE_PALETTE, Codebook

PALETTE = CODE_PALETTE


def code_colours(codebook: Codebook) -> dict[str, str]:
    """``{code key: colour}`` for every code, stable as long as the codebook order is."""
    colours: dict[str, str] = {}
    for index, code in enumerate(codebook.codes):
        colour = code.colour.strip()
        try:
            if colour:
                Color.parse(colour)
        except ColorParseError:
            colour = ""
        colours[code.key] = colour or PALETTE[index % len(PALETTE)]
    return colours
