"""API keys in the AI_KEYS bucket, against a real JetStream server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import nats
import pytest
from nats.js import JetStreamContext

from automatrix.shared.bus.provision import provision_buckets
from automatrix.shared.contracts.gateway import KEYS
from automatrix.shared.keys import KEY_PREFIX, KeyCache, KeyStore, generate_key, hash_key
from automatrix.shared.settings import BusSettings
from tests.support.processes import wait_until


@pytest.fixture
async def js(bus_settings: Callable[..., BusSettings]) -> AsyncIterator[JetStreamContext]:
    """JetStream on this test's server, with the keys bucket provisioned as the bus does."""
    settings = bus_settings()
    client = await nats.connect(settings.nats_url)
    context = client.jetstream()
    await provision_buckets(context, [KEYS], settings)
    yield context
    await client.close()


@pytest.fixture
async def store(js: JetStreamContext) -> KeyStore:
    return await KeyStore.open(js)


async def stored_bytes(js: JetStreamContext) -> list[bytes]:
    """Every message ever written to the bucket's stream: subjects, headers and payloads."""
    stream = f"KV_{KEYS.name}"
    info = await js.stream_info(stream)
    found = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        msg = await js.get_msg(stream, seq)
        found.append((msg.subject or "").encode() + repr(msg.headers).encode() + (msg.data or b""))
    return found


def test_generated_keys_are_prefixed_random_and_hash_to_hex() -> None:
    keys = {generate_key() for _ in range(100)}
    assert len(keys) == 100
    for key in keys:
        assert key.startswith(KEY_PREFIX)
        assert len(key) == len(KEY_PREFIX) + 40
        assert key[len(KEY_PREFIX) :].replace("-", "").replace("_", "").isalnum()
    key = keys.pop()
    assert hash_key(key) == hash_key(key)
    assert len(hash_key(key)) == 64
    assert hash_key(key) != hash_key(key + "x")


async def test_create_then_lookup_and_the_plaintext_is_never_stored(
    js: JetStreamContext, store: KeyStore
) -> None:
    key, record = await store.create(tenant="acme", name="ci", rpm=30, tpm=5000)
    assert key.startswith(KEY_PREFIX)
    assert record.key_hash == hash_key(key)
    assert key.startswith(record.prefix)
    assert len(record.prefix) < len(key)
    assert (record.tenant, record.name, record.rpm, record.tpm) == ("acme", "ci", 30, 5000)
    assert not record.admin
    assert not record.revoked

    assert await store.lookup(key) == record
    assert await store.lookup(generate_key()) is None

    written = await stored_bytes(js)
    assert written
    secret_part = key[len(record.prefix) :].encode()
    assert not any(key.encode() in data or secret_part in data for data in written)
    assert any(record.key_hash.encode() in data for data in written)


async def test_list_filters_by_tenant_and_hides_revoked_unless_asked(store: KeyStore) -> None:
    _, first = await store.create(tenant="acme", name="first")
    _, second = await store.create(tenant="acme", name="second", admin=True)
    _, other = await store.create(tenant="globex")

    assert [r.key_id for r in await store.list(tenant="acme")] == [first.key_id, second.key_id]
    assert [r.key_id for r in await store.list(tenant="globex")] == [other.key_id]
    assert {r.key_id for r in await store.list()} == {first.key_id, second.key_id, other.key_id}
    assert await store.list(tenant="nobody") == []

    await store.revoke(first.key_id)
    assert [r.key_id for r in await store.list(tenant="acme")] == [second.key_id]
    listed = await store.list(tenant="acme", include_revoked=True)
    assert [(r.key_id, r.revoked) for r in listed] == [(first.key_id, True), (second.key_id, False)]


async def test_list_of_an_empty_bucket_is_empty(store: KeyStore) -> None:
    assert await store.list() == []
    assert await store.list(include_revoked=True) == []


async def test_revoke_reaches_lookup_and_a_running_cache_without_restart(
    js: JetStreamContext, store: KeyStore
) -> None:
    key, record = await store.create(tenant="acme")
    cache = KeyCache(js)
    await cache.start()
    try:
        cached = cache.get(key)
        assert cached == record
        assert cache.get(generate_key()) is None
        assert cache.get("not-a-key") is None

        later_key, later = await store.create(tenant="acme", name="made after start")

        async def cache_has_later() -> bool:
            return cache.get(later_key) == later

        await wait_until(cache_has_later, within=5, what="the cache to see a new key")

        revoked = await store.revoke(record.key_id)
        assert revoked.revoked
        assert revoked.key_id == record.key_id
        found = await store.lookup(key)
        assert found is not None
        assert found.revoked

        async def cache_sees_revoke() -> bool:
            seen = cache.get(key)
            return seen is not None and seen.revoked

        await wait_until(cache_sees_revoke, within=5, what="the cache to see the revoke")
        live = cache.get(later_key)
        assert live is not None
        assert not live.revoked
    finally:
        await cache.stop()


async def test_revoke_is_idempotent_and_unknown_ids_raise(store: KeyStore) -> None:
    _, record = await store.create(tenant="acme")
    first = await store.revoke(record.key_id)
    again = await store.revoke(record.key_id)
    assert first.revoked_at is not None
    assert again.revoked_at == first.revoked_at
    with pytest.raises(KeyError):
        await store.revoke("key_doesnotexist")


async def test_a_cache_started_on_existing_keys_loads_them_all(
    js: JetStreamContext, store: KeyStore
) -> None:
    made = [await store.create(tenant="acme", name=str(n)) for n in range(5)]
    await store.revoke(made[0][1].key_id)
    cache = KeyCache(js)
    await cache.start()
    try:
        assert len(cache) == 5
        for key, record in made[1:]:
            assert cache.get(key) == record
        first = cache.get(made[0][0])
        assert first is not None
        assert first.revoked
    finally:
        await cache.stop()
