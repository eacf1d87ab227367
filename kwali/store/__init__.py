"""The project file: a single SQLite database holding documents, codebook, codings and history."""

from kwali.store.actions import ActionRecord, Verb
from kwali.store.documents import DocumentSummary, content_hash
from kwali.store.project import SUFFIX, Project
from kwali.store.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "SUFFIX",
    "ActionRecord",
    "DocumentSummary",
    "Project",
    "Verb",
    "content_hash",
]
