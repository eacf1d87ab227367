"""What a screen says when an action fails: the store's common failures in Dutch.

The store and the readers say what went wrong in one English line (the CLI prints it as is);
a coder in the UI reads the failures that can happen to anyone, on any screen, in Dutch.
Anything else is shown as the error says it, so no detail is lost.
"""

from __future__ import annotations

from kwali.errors import KwaliError, ProjectError

_DUTCH = {
    "busy": "Een andere kwali schrijft net in dit project; probeer het zo opnieuw. "
    "Er is niets opgeslagen.",
    "readonly": "Het projectbestand is alleen-lezen; er is niets veranderd.",
    "disk_full": "De schijf is vol: van deze actie is niets opgeslagen. Maak ruimte vrij en "
    "probeer het opnieuw; wat eerder is opgeslagen, is veilig.",
    "write_failed": "Het projectbestand kon niet worden geschreven; van deze actie is niets "
    "opgeslagen.",
}


def problem_text(error: KwaliError) -> str:
    """The words a notification shows for ``error``."""
    if isinstance(error, ProjectError) and error.reason in _DUTCH:
        detail = "" if error.reason != "write_failed" else f" ({error.message})"
        return _DUTCH[error.reason] + detail
    return error.one_line()
