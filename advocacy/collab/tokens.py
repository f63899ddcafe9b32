"""The token an editor shows to join a position's room: signed by the app with
its secret key, bound to one person and one position, valid for minutes."""

from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "porte-voix.collab.room"


@dataclass(frozen=True)
class RoomPass:
    """What a valid token says: who joins which position's room."""

    person_id: int
    position_id: int


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def make_token(secret_key: str, *, person_id: int, position_id: int) -> str:
    """A token for this person to join this position's room."""
    return _serializer(secret_key).dumps({"u": person_id, "p": position_id})


def read_token(secret_key: str, token: str, *, max_age: int) -> RoomPass | None:
    """Who the token lets in, or None if it is forged, expired or malformed."""
    try:
        data = _serializer(secret_key).loads(token, max_age=max_age)
    except BadData:
        return None
    if not isinstance(data, dict):
        return None
    person, position = data.get("u"), data.get("p")
    if type(person) is not int or type(position) is not int:
        return None
    return RoomPass(person, position)
