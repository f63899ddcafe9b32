"""Writing to the audit log."""

import logging
from typing import Any

from advocacy.extensions import db
from advocacy.models import AuditEvent, User

logger = logging.getLogger("advocacy.audit")


#: Called with each new event, in its transaction (notifications listen here).
LISTENERS: list = []


def record_event(
    action: str,
    *,
    by: User | None,
    object_type: str,
    object_id: int | None,
    **payload: Any,
) -> AuditEvent:
    """Record that ``by`` did ``action`` on an object, in the current transaction."""
    event = AuditEvent(
        actor_id=by.id if by is not None else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        payload=_jsonable(payload),
    )
    db.session.add(event)
    for listener in LISTENERS:
        listener(event)
    logger.info(
        "%s %s:%s by %s", action, object_type, object_id, by.id if by else "system"
    )
    return event


def changes(obj: Any, data: dict[str, Any]) -> dict[str, list[Any]]:
    """Apply ``data`` to ``obj`` and return ``{field: [before, after]}`` for what changed."""
    diff = {}
    for key, value in data.items():
        before = getattr(obj, key)
        if before != value:
            diff[key] = [before, value]
            setattr(obj, key, value)
    return diff


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if hasattr(value, "value") and hasattr(value, "name"):  # an Enum
        return value.value
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
