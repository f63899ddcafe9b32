"""State changes. Each function checks, changes, audits and flushes; the caller commits."""


class ServiceError(Exception):
    """An action refused for a reason the person can understand.

    ``message`` is already localised; ``status`` is the HTTP status a view answers;
    ``field``, when given, names the form field the refusal concerns.
    """

    def __init__(self, message: str, status: int = 409, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field
