"""Code colours: the codebook's own colour when it has one, else a calm fixed palette."""

from __future__ import annotations

from rich.color import Color, ColorParseError

from kwali.model import Codebook

# Tableau 10: distinguishable, and readable on both dark and light backgrounds.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#8cd17d",
)


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
