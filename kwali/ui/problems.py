"""What a screen says when an action fails: the store's common failures, in the user's language.

The store and the readers say what went wrong in one line naming the file (the CLI prints it as
is); a coder in the UI reads the failures that can happen to anyone, on any screen, in the words
below, chosen by the error's ``reason`` (never by its wording, which has a language). This is
the one place those reasons are worded for a screen. Anything else is shown as the error says
it, so no detail is lost.
"""

from __future__ import annotations

from kwali.errors import KwaliError, ProjectError
from kwali.i18n import _


def _reason_texts() -> dict[str, str]:
    """The words for each reason, in the language in use (made at each call, not at import)."""
    return {
        "busy": _(
            "Een andere kwali schrijft net in dit project; probeer het zo opnieuw. "
            "Er is niets opgeslagen."
        ),
        "readonly": _("Het projectbestand is alleen-lezen; er is niets veranderd."),
        "disk_full": _(
            "De schijf is vol: van deze actie is niets opgeslagen. Maak ruimte vrij en "
            "probeer het opnieuw; wat eerder is opgeslagen, is veilig."
        ),
        "write_failed": _(
            "Het projectbestand kon niet worden geschreven; van deze actie is niets opgeslagen."
        ),
    }


def problem_text(error: KwaliError) -> str:
    """The words a notification shows for ``error``."""
    texts = _reason_texts()
    if isinstance(error, ProjectError) and error.reason in texts:
        detail = "" if error.reason != "write_failed" else f" ({error.message})"
        return texts[error.reason] + detail
    return error.one_line()
