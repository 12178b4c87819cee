"""Who hears about an aspiration event and what they are told (owned by the notifications work)."""


def notify_event(event_id: int) -> int:
    """Queue the messages for one event; returns how many were queued."""
    return 0
