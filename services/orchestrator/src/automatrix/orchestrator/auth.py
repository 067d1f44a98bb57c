"""Who is calling: an API key, the master key, or a JWT, turned into a ``Principal``.

A credential comes as ``Authorization: Bearer <x>`` or ``x-api-key: <x>``. One that starts
with ``am-`` is an API key; anything else is a JWT when a verification key is configured.
Every ``AuthError`` message is safe to return to the caller.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import jwt

from automatrix.shared.contracts.base import DEFAULT_TENANT, TENANT_PATTERN
from automatrix.shared.keys import KEY_PREFIX, KeyCache

Via = Literal["key", "master", "jwt"]

MASTER_KEY_ID = "master"
JWT_KEY_ID_PREFIX = "jwt:"
_MAX_SUBJECT_LENGTH = 256
_TENANT = re.compile(TENANT_PATTERN)
_BEARER = re.compile(r"^\s*bearer\s+(\S+)\s*$", re.IGNORECASE)
_HOW_TO_SEND = "send 'Authorization: Bearer <key>' or 'x-api-key: <key>'"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: its tenant, its limits and how it proved who it is."""

    tenant: str
    key_id: str
    admin: bool
    via: Via
    rpm: int | None = None
    tpm: int | None = None
    semantic_threshold: float | None = None


class AuthError(Exception):
    """Authentication failed (401) or was not enough (403); the message is safe to show."""

    def __init__(self, status: Literal[401, 403], code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def require_admin(principal: Principal) -> None:
    """Raise 403 unless the caller may manage keys and the platform."""
    if not principal.admin:
        raise AuthError(403, "admin_required", "this operation needs an admin key")


class Authenticator:
    """Checks credentials against the key cache, the master key and a JWT verification key."""

    def __init__(
        self,
        *,
        keys: KeyCache | None,
        master_key: str | None,
        jwt_secret: str | None = None,
        jwt_public_key: str | None = None,
        jwt_algorithms: Sequence[str] = ("HS256",),
        jwt_audience: str | None = None,
        tenant_claim: str = "tenant",
        default_tenant: str = DEFAULT_TENANT,
    ) -> None:
        if jwt_secret and jwt_public_key:
            raise ValueError("configure a JWT secret or a JWT public key, not both")
        if master_key is not None and not master_key.startswith(KEY_PREFIX):
            raise ValueError(f"the master key must start with {KEY_PREFIX!r}")
        if not _TENANT.match(default_tenant):
            raise ValueError(f"default tenant {default_tenant!r} is not a valid tenant")
        self._keys = keys
        self._master = master_key.encode() if master_key else None
        self._jwt_key = jwt_public_key or jwt_secret or None
        self._jwt_algorithms = list(jwt_algorithms)
        self._jwt_audience = jwt_audience
        self._tenant_claim = tenant_claim
        self._default_tenant = default_tenant

    def authenticate(self, *, authorization: str | None, api_key_header: str | None) -> Principal:
        """The caller behind these headers, or an ``AuthError``."""
        credential = _credential(authorization, api_key_header)
        if credential.startswith(KEY_PREFIX):
            return self._api_key(credential)
        if self._jwt_key is not None:
            return self._token(credential)
        raise AuthError(401, "invalid_api_key", f"invalid API key: keys start with {KEY_PREFIX!r}")

    def _api_key(self, key: str) -> Principal:
        if self._master is not None and hmac.compare_digest(key.encode(), self._master):
            return Principal(
                tenant=self._default_tenant, key_id=MASTER_KEY_ID, admin=True, via="master"
            )
        record = self._keys.get(key) if self._keys is not None else None
        if record is None:
            raise AuthError(401, "invalid_api_key", "invalid API key")
        if record.revoked:
            raise AuthError(401, "invalid_api_key", "this API key has been revoked")
        return Principal(
            tenant=record.tenant,
            key_id=record.key_id,
            admin=record.admin,
            via="key",
            rpm=record.rpm,
            tpm=record.tpm,
            semantic_threshold=record.semantic_threshold,
        )

    def _token(self, token: str) -> Principal:
        assert self._jwt_key is not None
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._jwt_key,
                algorithms=self._jwt_algorithms,
                audience=self._jwt_audience,
                options={"require": ["exp", "sub"], "verify_aud": self._jwt_audience is not None},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError(401, "expired_token", "the token has expired") from None
        except jwt.PyJWTError as exc:
            raise AuthError(401, "invalid_token", _token_problem(exc)) from None
        subject = claims["sub"]
        if not isinstance(subject, str) or not 0 < len(subject) <= _MAX_SUBJECT_LENGTH:
            raise AuthError(401, "invalid_token", "the token's sub claim is not a usable subject")
        tenant = claims.get(self._tenant_claim, self._default_tenant)
        if not isinstance(tenant, str) or not _TENANT.match(tenant):
            raise AuthError(
                401,
                "invalid_token",
                f"the token's {self._tenant_claim} claim is not a valid tenant",
            )
        return Principal(
            tenant=tenant,
            key_id=JWT_KEY_ID_PREFIX + subject,
            admin=claims.get("admin") is True,
            via="jwt",
            rpm=_limit_claim(claims, "rpm"),
            tpm=_limit_claim(claims, "tpm"),
        )


def _credential(authorization: str | None, api_key_header: str | None) -> str:
    """The key or token sent, from the Authorization header first, else x-api-key."""
    if authorization and authorization.strip():
        bearer = _BEARER.match(authorization)
        if bearer is None:
            raise AuthError(
                401,
                "invalid_api_key",
                f"the Authorization header is not a bearer credential: {_HOW_TO_SEND}",
            )
        return bearer[1]
    if api_key_header and api_key_header.strip():
        return api_key_header.strip()
    raise AuthError(401, "missing_api_key", f"no API key: {_HOW_TO_SEND}")


def _limit_claim(claims: Mapping[str, Any], name: str) -> int | None:
    """An optional positive integer claim (rpm, tpm)."""
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise AuthError(401, "invalid_token", f"the token's {name} claim is not a positive integer")
    return value


def _token_problem(exc: jwt.PyJWTError) -> str:
    """What is wrong with a token, in words that reveal nothing about the key."""
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return f"the token lacks the {exc.claim} claim"
    if isinstance(exc, jwt.InvalidSignatureError):
        return "the token's signature does not verify"
    if isinstance(exc, jwt.InvalidAudienceError):
        return "the token is not meant for this service (aud)"
    if isinstance(exc, jwt.ImmatureSignatureError):
        return "the token is not valid yet (nbf/iat)"
    if isinstance(exc, jwt.InvalidAlgorithmError | jwt.InvalidKeyError):
        return "the token is signed with an algorithm this service does not accept"
    if isinstance(exc, jwt.DecodeError):
        return "the credential is neither an API key nor a well-formed token"
    return "the token is not valid"
