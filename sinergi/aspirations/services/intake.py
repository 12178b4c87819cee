"""Intake: one service for every channel (web, API, Open311, reses, assisted entry).

CONTRACT (implemented by the intake author; other parts of the product call exactly this):

    aspiration_submit(
        *,
        submission: AspirationSubmission,       # dataclass below: validated plain values
        actor: User | None,                     # the logged-in reporter, the counter officer, the DPRD member, or None
        idempotency_key: str | None = None,     # same key again → the same Aspiration back, nothing new written
    ) -> SubmitResult                           # (aspiration, created: bool, tracking_code)

Raises `sinergi.core.errors.RuleViolation` (message in Bahasa Indonesia, `code` machine-readable:
"outside_city", "invalid_nik", "invalid_phone", "invalid_photo", "text_required", ...) and writes nothing
then. On success, in one transaction: Aspiration + ReporterIdentity (sealed NIK/phone/e-mail) + Photos +
the first AspirationEvent + one public-log entry `aspiration.submitted`; after commit, notification tasks.
"""
