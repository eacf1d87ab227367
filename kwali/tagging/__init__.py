"""Code suggestions from a codebook's signals, and their evaluation against labelled texts."""

from kwali.tagging.suggest import Scored, Suggester

__all__ = ["Scored", "Suggester"]
