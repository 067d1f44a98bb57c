"""Authentication: API keys from a live KeyCache, the master key, and JWT bearer tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import jwt
import nats
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from automatrix.orchestrator.auth import Authenticator, AuthError, Principal, require_admin
from automatrix.shared.bus.provision import provision_buckets
from automatrix.shared.contracts.gateway import KEYS
from automatrix.shared.keys import KeyCache, KeyStore, generate_key
from automatrix.shared.settings import BusSettings
from tests.support.processes import wait_until

MASTER = generate_key()
SECRET = "a-test-secret-long-enough-for-every-hmac-algorithm-pyjwt-knows-0123456789"


class Keys:
    """A key store and a running cache over the same bucket."""

    def __init__(self, store: KeyStore, cache: KeyCache) -> None:
        self.store = store
        self.cache = cache


@pytest.fixture
async def keys(bus_settings: Callable[..., BusSettings]) -> AsyncIterator[Keys]:
    settings = bus_settings()
    client = await nats.connect(settings.nats_url)
    js = client.jetstream()
    await provision_buckets(js, [KEYS], settings)
    cache = KeyCache(js)
    await cache.start()
    yield Keys(await KeyStore.open(js), cache)
    await cache.stop()
    await client.close()


def token(claims: dict[str, Any], *, key: str = SECRET, algorithm: str = "HS256") -> str:
    base: dict[str, Any] = {"sub": "user-1", "exp": int(time.time()) + 300}
    return jwt.encode({**base, **claims}, key, algorithm=algorithm)


def hs256_by_hand(claims: dict[str, Any], secret: bytes) -> str:
    """An HS256 token signed with any bytes (PyJWT refuses to sign with a PEM key)."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = part(b'{"alg":"HS256","typ":"JWT"}') + "." + part(json.dumps(claims).encode())
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{part(signature)}"


def with_jwt(**options: Any) -> Authenticator:
    return Authenticator(keys=None, master_key=MASTER, jwt_secret=SECRET, **options)


def refused(auth: Authenticator, **headers: str | None) -> AuthError:
    with pytest.raises(AuthError) as caught:
        auth.authenticate(
            authorization=headers.get("authorization"),
            api_key_header=headers.get("api_key_header"),
        )
    return caught.value


async def test_an_api_key_authenticates_as_its_tenant_with_its_limits(keys: Keys) -> None:
    key, record = await keys.store.create(
        tenant="acme", name="ci", rpm=60, tpm=9000, semantic_threshold=0.9
    )

    async def cached() -> bool:
        return keys.cache.get(key) is not None

    await wait_until(cached, within=5, what="the key in the cache")
    auth = Authenticator(keys=keys.cache, master_key=MASTER)
    expected = Principal(
        tenant="acme",
        key_id=record.key_id,
        admin=False,
        via="key",
        rpm=60,
        tpm=9000,
        semantic_threshold=0.9,
    )
    assert auth.authenticate(authorization=f"Bearer {key}", api_key_header=None) == expected
    assert auth.authenticate(authorization=None, api_key_header=key) == expected
    assert auth.authenticate(authorization=f"bearer  {key} ", api_key_header=None) == expected
    with pytest.raises(AuthError) as caught:
        require_admin(expected)
    assert (caught.value.status, caught.value.code) == (403, "admin_required")


async def test_master_key_is_admin_of_the_default_tenant() -> None:
    auth = Authenticator(keys=None, master_key=MASTER, default_tenant="main")
    principal = auth.authenticate(authorization=f"Bearer {MASTER}", api_key_header=None)
    assert principal == Principal(tenant="main", key_id="master", admin=True, via="master")
    require_admin(principal)


async def test_wrong_and_missing_keys_are_refused(keys: Keys) -> None:
    auth = Authenticator(keys=keys.cache, master_key=MASTER)
    wrong = refused(auth, authorization=f"Bearer {generate_key()}")
    assert (wrong.status, wrong.code) == (401, "invalid_api_key")
    near_master = refused(auth, api_key_header=MASTER[:-1] + ("x" if MASTER[-1] != "x" else "y"))
    assert near_master.code == "invalid_api_key"
    not_a_key = refused(auth, api_key_header="sk-something-else")
    assert (not_a_key.status, not_a_key.code) == (401, "invalid_api_key")
    basic = refused(auth, authorization="Basic dXNlcjpwYXNz")
    assert (basic.status, basic.code) == (401, "invalid_api_key")
    assert "Bearer" in basic.message

    for headers in ({}, {"authorization": ""}, {"api_key_header": "  "}):
        missing = refused(auth, **headers)
        assert (missing.status, missing.code) == (401, "missing_api_key")

    no_master = Authenticator(keys=keys.cache, master_key=None)
    assert refused(no_master, authorization=f"Bearer {MASTER}").code == "invalid_api_key"


async def test_a_revoked_key_is_refused_at_once(keys: Keys) -> None:
    key, record = await keys.store.create(tenant="acme")
    auth = Authenticator(keys=keys.cache, master_key=None)

    async def accepted() -> bool:
        try:
            auth.authenticate(authorization=None, api_key_header=key)
        except AuthError:
            return False
        return True

    await wait_until(accepted, within=5, what="the new key to be accepted")
    await keys.store.revoke(record.key_id)

    async def refused_now() -> bool:
        return not await accepted()

    await wait_until(refused_now, within=5, what="the revoked key to be refused")
    error = refused(auth, api_key_header=key)
    assert (error.status, error.code) == (401, "invalid_api_key")
    assert "revoked" in error.message
    assert key not in error.message


def test_a_valid_jwt_authenticates_with_its_claims() -> None:
    auth = with_jwt()
    claims = {"sub": "alice", "tenant": "acme", "admin": True, "rpm": 30, "tpm": 4000}
    principal = auth.authenticate(authorization=f"Bearer {token(claims)}", api_key_header=None)
    assert principal == Principal(
        tenant="acme", key_id="jwt:alice", admin=True, via="jwt", rpm=30, tpm=4000
    )

    plain = auth.authenticate(authorization=None, api_key_header=token({"admin": "yes"}))
    assert (plain.tenant, plain.admin, plain.rpm, plain.tpm) == ("default", False, None, None)

    custom = with_jwt(tenant_claim="org")
    assert custom.authenticate(
        authorization=f"Bearer {token({'org': 'globex'})}", api_key_header=None
    ).tenant == ("globex")


def test_an_expired_jwt_is_refused_as_expired() -> None:
    stale = token({"exp": int(time.time()) - 60})
    error = refused(with_jwt(), authorization=f"Bearer {stale}")
    assert (error.status, error.code) == (401, "expired_token")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: token({}, key="another-secret-that-is-also-long-enough"), "signature"),
        (lambda: token({"tenant": "Not A Tenant!"}), "tenant"),
        (lambda: token({"tenant": 42}), "tenant"),
        (lambda: token({"rpm": 0}), "rpm"),
        (lambda: token({"tpm": "many"}), "tpm"),
        (lambda: jwt.encode({"sub": "x"}, SECRET, algorithm="HS256"), "exp"),
        (lambda: jwt.encode({"exp": int(time.time()) + 60}, SECRET, algorithm="HS256"), "sub"),
        (lambda: token({}, algorithm="HS512"), "algorithm"),
        (lambda: "not.a.token", "token"),
    ],
    ids=[
        "bad-signature",
        "bad-tenant",
        "non-string-tenant",
        "zero-rpm",
        "text-tpm",
        "no-exp",
        "no-sub",
        "unaccepted-algorithm",
        "garbage",
    ],
)
def test_a_bad_jwt_is_refused_with_a_safe_reason(make: Callable[[], str], words: str) -> None:
    error = refused(with_jwt(), authorization=f"Bearer {make()}")
    assert (error.status, error.code) == (401, "invalid_token")
    assert words in error.message
    assert SECRET not in error.message


def test_audience_is_checked_when_configured() -> None:
    auth = with_jwt(jwt_audience="automatrix")
    good = token({"aud": "automatrix"})
    assert auth.authenticate(authorization=f"Bearer {good}", api_key_header=None).via == "jwt"
    for claims in ({"aud": "someone-else"}, {}):
        error = refused(auth, authorization=f"Bearer {token(claims)}")
        assert error.code == "invalid_token"


def test_tokens_are_not_accepted_without_a_jwt_key() -> None:
    error = refused(
        Authenticator(keys=None, master_key=MASTER), authorization=f"Bearer {token({})}"
    )
    assert (error.status, error.code) == (401, "invalid_api_key")


def test_misconfiguration_is_refused_at_construction() -> None:
    with pytest.raises(ValueError, match="not both"):
        Authenticator(keys=None, master_key=None, jwt_secret="s", jwt_public_key="p")
    with pytest.raises(ValueError, match="am-"):
        Authenticator(keys=None, master_key="sk-123")


def test_a_public_key_verifies_asymmetric_tokens() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    auth = Authenticator(
        keys=None, master_key=None, jwt_public_key=public_pem, jwt_algorithms=("RS256", "ES256")
    )
    signed = jwt.encode(
        {"sub": "svc", "tenant": "acme", "exp": int(time.time()) + 60}, private, algorithm="ES256"
    )
    principal = auth.authenticate(authorization=f"Bearer {signed}", api_key_header=None)
    assert (principal.tenant, principal.key_id) == ("acme", "jwt:svc")

    # A token of an accepted algorithm that does not fit the key is refused, not a crash.
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    mismatched = jwt.encode({"sub": "svc", "exp": int(time.time()) + 60}, other, algorithm="RS256")
    error = refused(auth, authorization=f"Bearer {mismatched}")
    assert (error.status, error.code) == (401, "invalid_token")

    # The public key must not double as an HMAC secret (algorithm confusion).
    confused = Authenticator(
        keys=None, master_key=None, jwt_public_key=public_pem, jwt_algorithms=("HS256", "ES256")
    )
    claims = {"sub": "svc", "exp": int(time.time()) + 60}
    honest = hs256_by_hand(claims, SECRET.encode())
    assert with_jwt().authenticate(authorization=f"Bearer {honest}", api_key_header=None)
    forged = hs256_by_hand(claims, public_pem.encode())
    assert refused(confused, authorization=f"Bearer {forged}").code == "invalid_token"
