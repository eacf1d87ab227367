"""Readers: foreign files in, model objects out. No project store, no NLP here."""

from kwali.io.codebook import dump_codebook, load_codebook, parse_codebook, save_codebook
from kwali.io.transcripts import SUPPORTED_SUFFIXES, read_transcript

__all__ = [
    "SUPPORTED_SUFFIXES",
    "dump_codebook",
    "load_codebook",
    "parse_codebook",
    "read_transcript",
    "save_codebook",
]
