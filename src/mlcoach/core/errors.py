"""The errors a user can cause or meet, by kind. Each interface maps a kind once: the web app to an
HTTP status (`web/app.py`), the CLI to a message and an exit code (`cli/app.py`)."""

from __future__ import annotations


class MlcoachError(Exception):
    """Something the user can fix or must know; the message says what, in their words."""

    kind = "invalid"


class Invalid(MlcoachError):
    """A value the user gave is not acceptable (a form field, an option, a file)."""

    kind = "invalid"


class NotFound(MlcoachError, LookupError):
    """The thing asked for does not exist (or is not the user's)."""

    kind = "not_found"


class Conflict(MlcoachError):
    """The request does not fit the current state (a finished round, an answer already given)."""

    kind = "conflict"


class Unavailable(MlcoachError):
    """A resource the app needs cannot be used right now (the database, the model, the PDF engine)."""

    kind = "unavailable"


HTTP_STATUS = {"invalid": 400, "not_found": 404, "conflict": 409, "unavailable": 503}
EXIT_CODE = {"invalid": 2, "not_found": 1, "conflict": 1, "unavailable": 1}
