"""Errors that services raise when a domain rule refuses an action.

Views turn them into form errors or messages; the API turns them into 4xx JSON.
Messages are translatable and written for the person who tried the action.
"""

from django.utils.functional import Promise


class RuleViolation(Exception):
    """A domain rule refuses the action (HTTP 409/400)."""

    status_code = 400
    code = "rule_violation"

    def __init__(self, message: str | Promise, *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code


class InvalidTransition(RuleViolation):
    """A lifecycle move that the state machine does not allow."""

    status_code = 409
    code = "invalid_transition"


class NotPermitted(RuleViolation):
    """The actor may not do this (HTTP 403)."""

    status_code = 403
    code = "forbidden"
