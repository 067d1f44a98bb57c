"""A small OpenAI-compatible HTTP server: a deterministic upstream for tests and benchmarks.

Serves ``POST /v1/chat/completions`` (plain and ``stream: true`` SSE, with a final usage
chunk when ``stream_options.include_usage``), ``POST /v1/embeddings`` (float or base64) and
``GET /v1/models``. The reply is ``echo:`` and the last user message's words, cut to
``max_tokens``; tokens are whitespace-separated words. Embeddings are unit vectors seeded by
each text.

Faults are chosen by the request: a model named ``fault-<name>``, or a last user message (or
first embedding input) starting with ``[fault:<name>]``. Names: ``429`` (with Retry-After),
``401``, ``403``, ``404``, ``400``, ``context_length``, ``500``, ``503``, and ``hang`` (no
answer until the server stops). Each answers with OpenAI's status and error body. A prompt
longer than ``--context-tokens`` gets the real ``context_length_exceeded`` error.

    .venv/bin/python bench/upstream.py --port 8900 [--delay-ms 0] [--chunk-delay-ms 0]
"""

from __future__ import annotations

import argparse
import array
import asyncio
import base64
import contextlib
import hashlib
import json
import math
import random
import socket
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, fields
from typing import Any, Self

from aiohttp import web

MAX_REPLY_WORDS = 256
_INVALID = "invalid_request_error"
ERRORS: dict[str, tuple[int, str, str | None]] = {
    "429": (429, "requests", "rate_limit_exceeded"),
    "401": (401, _INVALID, "invalid_api_key"),
    "403": (403, _INVALID, None),
    "404": (404, _INVALID, "model_not_found"),
    "400": (400, _INVALID, "invalid_value"),
    "context_length": (400, _INVALID, "context_length_exceeded"),
    "500": (500, "server_error", None),
    "503": (503, "server_error", None),
    "body": (400, _INVALID, None),
}
MESSAGES = {
    "429": "Rate limit reached for {model} on requests per min (RPM): Limit 3, Used 3, "
    "Requested 1. Please try again in {retry_after}s.",
    "401": "Incorrect API key provided. You can find your API key at "
    "https://platform.openai.com/account/api-keys.",
    "403": "You are not allowed to use the model `{model}`.",
    "404": "The model `{model}` does not exist or you do not have access to it.",
    "400": "Invalid value for 'temperature'.",
    "context_length": "This model's maximum context length is {limit} tokens. However, your "
    "messages resulted in {tokens} tokens. Please reduce the length of the messages.",
    "500": "The server had an error while processing your request. Sorry about that!",
    "503": "The engine is currently overloaded, please try again later.",
    "body": "We could not parse the JSON body of your request: {detail}",
}
FAULTS = (*(name for name in ERRORS if name != "body"), "hang")


class UpstreamError(Exception):
    """Answer with one of ``ERRORS``; ``values`` fill in its message."""

    def __init__(self, name: str, **values: object) -> None:
        super().__init__(name)
        self.name = name
        self.values = values


@dataclass
class UpstreamConfig:
    """Behaviour of the server: delays, embedding size, context window, auth."""

    delay_ms: float = 0.0
    chunk_delay_ms: float = 0.0
    dimensions: int = 384
    context_tokens: int = 32_768
    retry_after_s: float = 1.0
    hang_s: float = 3600.0
    api_key: str | None = None
    stream_usage: bool = True
    models: tuple[str, ...] = ("echo-1", "embed-1")


@dataclass
class Upstream:
    """The server; ``async with Upstream() as up:`` serves on ``up.base_url`` until exit."""

    config: UpstreamConfig = field(default_factory=UpstreamConfig)
    host: str = "127.0.0.1"
    port: int = 0
    requests: Counter[str] = field(default_factory=Counter)
    _runner: web.AppRunner | None = field(default=None, init=False, repr=False)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event, init=False, repr=False)

    @property
    def base_url(self) -> str:
        """The ``api_base`` clients use, ending in ``/v1``."""
        return f"http://{self.host}:{self.port}/v1"

    def app(self) -> web.Application:
        """The aiohttp application with the three OpenAI routes."""
        app = web.Application(client_max_size=64 * 1024 * 1024, middlewares=[self._errors])
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_post("/v1/embeddings", self._embeddings)
        app.router.add_get("/v1/models", self._models)
        return app

    async def start(self) -> None:
        """Bind and serve; with ``port=0`` the port chosen is written to ``self.port``."""
        self._stopping.clear()
        sock = socket.create_server((self.host, self.port), backlog=1024)
        self.port = sock.getsockname()[1]
        self._runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        """Release hanging requests and close the server."""
        self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @web.middleware
    async def _errors(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        try:
            return await handler(request)
        except UpstreamError as error:
            status, kind, code = ERRORS[error.name]
            self.requests[f"error:{error.name}"] += 1
            text = MESSAGES[error.name].format(**error.values)
            body = {"error": {"message": text, "type": kind, "param": None, "code": code}}
            headers = {"retry-after": str(error.values["retry_after"])} if status == 429 else {}
            return web.json_response(body, status=status, headers=headers)

    async def _body(self, request: web.Request) -> dict[str, Any]:
        if self.config.delay_ms:
            await asyncio.sleep(self.config.delay_ms / 1000)
        key = self.config.api_key
        if key is not None and request.headers.get("Authorization") != f"Bearer {key}":
            raise UpstreamError("401")
        try:
            body = await request.json()
        except ValueError as exc:
            raise UpstreamError("body", detail=exc) from None
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            raise UpstreamError("body", detail="expected an object with a string 'model'")
        return body

    async def _inject(self, model: str, text: str) -> None:
        name = model.removeprefix("fault-") if model.startswith("fault-") else None
        if name is None and text.startswith("[fault:") and "]" in text:
            name = text[len("[fault:") : text.index("]")]
        if name == "hang":
            self.requests["hang"] += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.config.hang_s)
            raise UpstreamError("503", model=model)
        if name is not None:
            limit = self.config.context_tokens
            raise UpstreamError(
                name if name in ERRORS else "500",
                model=model,
                retry_after=f"{self.config.retry_after_s:g}",
                limit=limit,
                tokens=limit + 1,
            )

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await self._body(request)
        model, messages = body["model"], body.get("messages")
        if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
            raise UpstreamError("body", detail="'messages' must be an array of objects")
        texts = [_text(m.get("content")) for m in messages]
        users = [_text(m.get("content")) for m in messages if m.get("role") == "user"]
        await self._inject(model, users[-1] if users else "")
        prompt_tokens = sum(len(text.split()) for text in texts)
        if prompt_tokens > self.config.context_tokens:
            raise UpstreamError(
                "context_length", limit=self.config.context_tokens, tokens=prompt_tokens
            )
        words = ["echo:", *(users[-1].split() if users else [])][:MAX_REPLY_WORDS]
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        finish = "stop"
        if isinstance(limit, int) and 0 < limit < len(words):
            words, finish = words[:limit], "length"
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(words),
            "total_tokens": prompt_tokens + len(words),
        }
        self.requests["chat"] += 1
        head = {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "created": int(time.time()),
            "model": model,
            "system_fingerprint": "fp_upstream",
        }
        if not body.get("stream"):
            message = {"role": "assistant", "content": " ".join(words)}
            choice = {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}
            return web.json_response(
                {**head, "object": "chat.completion", "choices": [choice], "usage": usage}
            )
        options = body.get("stream_options")
        include_usage = isinstance(options, dict) and bool(options.get("include_usage"))
        include_usage = include_usage and self.config.stream_usage
        return await self._stream(request, head, words, finish, usage if include_usage else None)

    async def _stream(
        self,
        request: web.Request,
        head: dict[str, Any],
        words: list[str],
        finish: str,
        usage: dict[str, int] | None,
    ) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        head = {**head, "object": "chat.completion.chunk"}
        if usage is not None:
            head["usage"] = None
        pieces = [word if i == 0 else f" {word}" for i, word in enumerate(words)]
        deltas = [{"role": "assistant", "content": ""}, *({"content": p} for p in pieces), {}]
        for i, delta in enumerate(deltas):
            reason = finish if i == len(deltas) - 1 else None
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": reason}
            await _send(response, {**head, "choices": [choice]})
            if self.config.chunk_delay_ms:
                await asyncio.sleep(self.config.chunk_delay_ms / 1000)
        if usage is not None:
            await _send(response, {**head, "choices": [], "usage": usage})
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response

    async def _embeddings(self, request: web.Request) -> web.StreamResponse:
        body = await self._body(request)
        model, raw = body["model"], body.get("input")
        inputs = [raw] if isinstance(raw, str) else raw
        if (
            not isinstance(inputs, list)
            or not inputs
            or not all(isinstance(x, str) for x in inputs)
        ):
            raise UpstreamError("body", detail="'input' must be a string or an array of strings")
        await self._inject(model, inputs[0])
        dimensions = body.get("dimensions") or self.config.dimensions
        if not isinstance(dimensions, int) or not 0 < dimensions <= 16_384:
            raise UpstreamError("body", detail="'dimensions' must be an integer from 1 to 16384")
        data = []
        for index, text in enumerate(inputs):
            vector: Any = _vector(text, dimensions)
            if body.get("encoding_format") == "base64":
                vector = base64.b64encode(array.array("f", vector).tobytes()).decode()
            data.append({"object": "embedding", "index": index, "embedding": vector})
        tokens = sum(len(text.split()) for text in inputs)
        self.requests["embeddings"] += 1
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        return web.json_response({"object": "list", "data": data, "model": model, "usage": usage})

    async def _models(self, request: web.Request) -> web.Response:
        self.requests["models"] += 1
        data = [
            {"id": name, "object": "model", "created": 0, "owned_by": "automatrix-bench"}
            for name in self.config.models
        ]
        return web.json_response({"object": "list", "data": data})


def _text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return ""


def _vector(text: str, dimensions: int) -> list[float]:
    rng = random.Random(hashlib.sha256(text.encode()).digest())
    values = [rng.uniform(-1.0, 1.0) for _ in range(dimensions)]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


async def _send(response: web.StreamResponse, event: dict[str, Any]) -> None:
    await response.write(f"data: {json.dumps(event)}\n\n".encode())


async def serve(upstream: Upstream) -> None:
    """Serve until cancelled."""
    async with upstream:
        print(f"upstream serving on {upstream.base_url}", flush=True)
        await asyncio.Event().wait()


def main(argv: list[str] | None = None) -> None:
    """Run the server from the command line; every ``UpstreamConfig`` field is a flag."""
    parser = argparse.ArgumentParser(description="OpenAI-compatible test upstream.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    for option in fields(UpstreamConfig):
        flag = f"--{option.name.replace('_', '-')}"
        if option.type == "bool":
            parser.add_argument(flag, action=argparse.BooleanOptionalAction)
        elif option.name != "models":
            kind = str if option.name == "api_key" else type(option.default)
            parser.add_argument(flag, type=kind)
    args = vars(parser.parse_args(argv))
    host, port = args.pop("host"), args.pop("port")
    config = UpstreamConfig(**{name: value for name, value in args.items() if value is not None})
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(Upstream(config=config, host=host, port=port)))


if __name__ == "__main__":
    main()
