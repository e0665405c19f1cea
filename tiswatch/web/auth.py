"""Users, passwords (argon2), signed session cookies and CSRF tokens of the review desk.

The session is a cookie signed with a secret kept in the database (`desk_settings`), so sessions survive
a restart and several server processes over one database agree. It holds the username and that
session's CSRF token; every state-changing request must send the token back (form field `csrf_token`
or header `X-CSRF-Token`). Nothing here is middleware: only the desk's routes read these cookies, so the
check API's requests (X-API-Key) never meet them.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from pipelines.store.types import utcnow
from tiswatch.web.models import ROLE_RANK, ROLES, DeskSetting, DeskUser

SESSION_COOKIE = "tiswatch_session"
LOGIN_CSRF_COOKIE = "tiswatch_login_csrf"
SESSION_MAX_AGE_S = 12 * 3600
SECRET_SETTING = "session_secret"
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so a wrong name costs the same time as a wrong
    password. Not made at import: an argon2 hash is half a second of CPU (see `prepare_dummy_hash`)."""
    return _hasher.hash(secrets.token_urlsafe(16))


def prepare_dummy_hash() -> None:
    """Makes the dummy hash in a background thread (argon2 releases the GIL: it runs beside the
    server's start instead of in it), so it is ready before the first login."""
    threading.Thread(target=_dummy_hash, name="desk-dummy-hash", daemon=True).start()


class UserError(ValueError):
    """A user cannot be added or changed (one line saying why)."""


@dataclass(frozen=True)
class SessionUser:
    username: str
    role: str
    csrf_token: str

    def may(self, role: str) -> bool:
        """True when this user's role includes `role`'s rights (admin ⊇ officer ⊇ investigator)."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def add_user(session: Session, username: str, role: str, password: str) -> DeskUser:
    username = username.strip()
    if not username or len(username) > 100 or any(ch.isspace() for ch in username):
        raise UserError(f"user name {username!r}: 1-100 characters, no spaces")
    if role not in ROLES:
        raise UserError(f"role {role!r}: use one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise UserError("password: at least 8 characters")
    if session.execute(select(DeskUser).where(DeskUser.username == username)).scalar_one_or_none():
        raise UserError(f"user {username!r} exists already")
    user = DeskUser(
        username=username, password_hash=_hasher.hash(password), role=role, created_at=utcnow(), active=True
    )
    session.add(user)
    return user


def authenticate(session: Session, username: str, password: str) -> DeskUser | None:
    user = session.execute(
        select(DeskUser).where(DeskUser.username == username.strip(), DeskUser.active.is_(True))
    ).scalar_one_or_none()
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return user


def session_secret(session: Session) -> str:
    """The cookie-signing secret: made once per database, kept in `desk_settings`."""
    found = session.get(DeskSetting, SECRET_SETTING)
    if found is None:
        found = DeskSetting(name=SECRET_SETTING, value=secrets.token_urlsafe(48))
        session.add(found)
        session.commit()
    return found.value


class SessionCodec:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="tiswatch-desk-session")

    def issue(self, username: str) -> tuple[str, str]:
        """A new session cookie value and its CSRF token."""
        csrf_token = secrets.token_urlsafe(32)
        return self._serializer.dumps({"u": username, "c": csrf_token}), csrf_token

    def read(self, cookie: str | None) -> tuple[str, str] | None:
        """`(username, csrf_token)` of a valid, unexpired cookie; None otherwise."""
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=SESSION_MAX_AGE_S)
        except BadSignature:
            return None
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("u"), str)
            or not isinstance(data.get("c"), str)
        ):
            return None
        return data["u"], data["c"]


def tokens_match(expected: str, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given or "")
