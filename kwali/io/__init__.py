"""Readers: foreign files in, model objects out. No project store, no NLP here."""

from kwali.io.transcripts import SUPPORTED_SUFFIXES, read_transcript

__all__ = ["SUPPORTED_SUFFIXES", "read_transcript"]
