"""Per-key rate limits in Redis: requests per minute and tokens per minute, one script call.

Each limit is a GCRA (generic cell rate algorithm) cell: a limit of N per window admits a
burst of N, then one unit every window/N seconds. Its state is one timestamp (the
"theoretical arrival time"), so a check costs O(1) whatever the limit, and the wait until
the next admission is exact. Both limits are checked and charged in one Lua script, using
Redis's clock so every gateway replica agrees; nothing is charged for a refused request.

When Redis cannot be reached, ``admit`` fails open: it returns ``Allowed(degraded=True)``
and the gateway keeps serving without limits, because refusing every request while Redis
is away would turn a cache outage into a full outage. After a failure Redis is left alone
for a moment, so requests meanwhile do not each wait out the client's retries. The outage
is logged, at most once every few seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Literal

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

KEY_PREFIX = "automatrix:ratelimit:"
WARN_EVERY_S = 5.0
PAUSE_AFTER_FAILURE_S = 1.0

LimitName = Literal["requests", "tokens"]

# KEYS: requests cell, tokens cell. ARGV: window_s, rpm, tpm, tokens.
# A cell is a hash {tat, interval}; interval (window / limit) is kept for ``settle``.
_ADMIT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local window = tonumber(ARGV[1])
local limits = {tonumber(ARGV[2]), tonumber(ARGV[3])}
local costs = {1, tonumber(ARGV[4])}
local tats, intervals, waits = {}, {}, {}
for i = 1, 2 do
  intervals[i] = window / limits[i]
  local tat = tonumber(redis.call('HGET', KEYS[i], 'tat')) or now
  if tat < now then tat = now end
  tats[i] = tat
  -- A cost above the limit waits for a full cell instead of forever, then runs into debt.
  waits[i] = tat + math.min(costs[i], limits[i]) * intervals[i] - window - now
end
if waits[1] > 1e-6 or waits[2] > 1e-6 then
  local which = 1
  if waits[2] > waits[1] then which = 2 end
  return {which, string.format('%.6f', waits[which])}
end
local remaining = {}
for i = 1, 2 do
  local tat = tats[i] + costs[i] * intervals[i]
  redis.call('HSET', KEYS[i], 'tat', string.format('%.6f', tat),
             'interval', string.format('%.17g', intervals[i]))
  redis.call('PEXPIRE', KEYS[i], math.ceil((tat - now + window) * 1000))
  remaining[i] = math.max(0, math.floor((window - (tat - now)) / intervals[i] + 1e-6))
end
return {0, '0', remaining[1], remaining[2]}
"""

# KEYS: tokens cell. ARGV: actual - estimated tokens, window_s.
_SETTLE = """
local interval = tonumber(redis.call('HGET', KEYS[1], 'interval'))
if not interval then return 0 end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local tat = tonumber(redis.call('HGET', KEYS[1], 'tat')) or now
if tat < now then tat = now end
tat = tat + tonumber(ARGV[1]) * interval
redis.call('HSET', KEYS[1], 'tat', string.format('%.6f', tat))
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((tat - now + tonumber(ARGV[2])) * 1000)))
return 1
"""


@dataclass(frozen=True, slots=True)
class Allowed:
    """The request may go ahead; it has been counted."""

    remaining_requests: int
    remaining_tokens: int
    degraded: bool = False
    """Redis was unreachable: nothing was counted and the request is let through anyway."""


@dataclass(frozen=True, slots=True)
class Limited:
    """The request is over a limit; nothing was counted."""

    limit: LimitName
    retry_after_s: float
    limit_value: int


class RateLimiter:
    """Requests-per-minute and tokens-per-minute limits per key, shared by every replica."""

    def __init__(
        self, redis: Redis, *, namespace: str = "", window_s: float = 60.0, timeout_s: float = 1.0
    ) -> None:
        if window_s <= 0:
            raise ValueError(f"window_s must be positive, got {window_s}")
        self._prefix = f"{namespace}{KEY_PREFIX}"
        self._window_s = window_s
        self._timeout_s = timeout_s
        self._admit = redis.register_script(_ADMIT)
        self._settle = redis.register_script(_SETTLE)
        self._warned_at = float("-inf")
        self._paused_until = float("-inf")

    def redis_keys(self, key_id: str) -> tuple[str, str]:
        """The Redis keys of one key's requests and tokens cells."""
        return f"{self._prefix}{key_id}:requests", f"{self._prefix}{key_id}:tokens"

    async def admit(self, *, key_id: str, rpm: int, tpm: int, tokens: int) -> Allowed | Limited:
        """Count one request of ``tokens`` estimated tokens if both limits allow it."""
        if rpm < 1 or tpm < 1 or tokens < 0:
            raise ValueError(f"need rpm, tpm >= 1 and tokens >= 0 (got {rpm}, {tpm}, {tokens})")
        if self._paused():
            return Allowed(remaining_requests=rpm, remaining_tokens=tpm, degraded=True)
        try:
            async with asyncio.timeout(self._timeout_s):
                reply = await self._admit(
                    keys=list(self.redis_keys(key_id)),
                    args=[repr(self._window_s), rpm, tpm, tokens],
                )
        except (RedisError, OSError, TimeoutError) as exc:
            self._failed("admitting without rate limits", exc)
            return Allowed(remaining_requests=rpm, remaining_tokens=tpm, degraded=True)
        code, detail, *remaining = reply
        if int(code) == 0:
            return Allowed(remaining_requests=int(remaining[0]), remaining_tokens=int(remaining[1]))
        if int(code) == 1:
            return Limited(limit="requests", retry_after_s=float(detail), limit_value=rpm)
        return Limited(limit="tokens", retry_after_s=float(detail), limit_value=tpm)

    async def settle(self, *, key_id: str, estimated: int, actual: int) -> None:
        """Correct the tokens charged at admission once the real usage is known."""
        if actual == estimated or self._paused():
            return
        try:
            async with asyncio.timeout(self._timeout_s):
                await self._settle(
                    keys=[self.redis_keys(key_id)[1]],
                    args=[actual - estimated, repr(self._window_s)],
                )
        except (RedisError, OSError, TimeoutError) as exc:
            self._failed("token usage not settled", exc)

    def _paused(self) -> bool:
        return time.monotonic() < self._paused_until

    def _failed(self, consequence: str, exc: BaseException) -> None:
        now = time.monotonic()
        self._paused_until = now + PAUSE_AFTER_FAILURE_S
        if now - self._warned_at >= WARN_EVERY_S:
            self._warned_at = now
            log.warning("rate limiter: Redis unreachable (%r); %s", exc, consequence)
