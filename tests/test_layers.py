"""Layering: headless modules never load the UI, and the store never loads spaCy."""

from __future__ import annotations

import subprocess
import sys

import pytest


def loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return {name.split(".")[0] for name in out.split()}


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("kwali.store", {"textual", "spacy", "click", "docx"}),
        ("kwali.io", {"textual", "spacy", "click"}),
        ("kwali.nlp", {"textual"}),  # spaCy itself brings click along
        ("kwali.model", {"textual", "spacy", "click", "sqlite3"}),
        ("kwali.cli", {"textual", "spacy", "pandas"}),  # `kwali status` starts fast
        # the UI opens fast; the NLP layer loads only when `l` asks for learning
        ("kwali.ui.screens.coding", {"spacy", "nltk", "sklearn"}),
        ("kwali.ui.screens.documents", {"spacy", "nltk", "sklearn"}),
    ],
)
def test_module_does_not_load(module, forbidden):
    assert not (loaded_after_import(module) & forbidden)
