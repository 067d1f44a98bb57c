"""Wiring of the orchestrator: the gateway's HTTP app, its bus listeners and its stores."""

from __future__ import annotations

import asyncio
import logging
import uuid

from fastapi import FastAPI
from pydantic import TypeAdapter
from starlette.middleware.cors import CORSMiddleware

from automatrix.orchestrator.adapters.embedder import QueryEmbedder
from automatrix.orchestrator.adapters.exact_cache import ExactCache
from automatrix.orchestrator.adapters.ratelimit import RateLimiter
from automatrix.orchestrator.adapters.replies import Replies
from automatrix.orchestrator.adapters.router_model import RouterModel
from automatrix.orchestrator.adapters.semantic_cache import SemanticCache
from automatrix.orchestrator.api import errors, native, openai_api
from automatrix.orchestrator.api.deps import Context
from automatrix.orchestrator.api.limits import BodyLimit
from automatrix.orchestrator.api.tracing import RequestSpans
from automatrix.orchestrator.auth import Authenticator
from automatrix.orchestrator.cache import ResponseCache
from automatrix.orchestrator.classification import Classifier
from automatrix.orchestrator.ecosystem import wiring as ecosystem
from automatrix.orchestrator.gateway import Gateway
from automatrix.orchestrator.jobs import JOB_RESULTS, JobStore
from automatrix.orchestrator.settings import Settings
from automatrix.orchestrator.shedding import LoadShedder
from automatrix.shared.contracts import DeploymentRecord, InferenceCompleted, InferenceFailed
from automatrix.shared.contracts.registry import DEPLOYMENTS
from automatrix.shared.keys import KeyCache
from automatrix.shared.kv import KeyValueStore
from automatrix.shared.service import Service, base_service
from automatrix.shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)

RESULT = TypeAdapter(InferenceCompleted | InferenceFailed)
CACHE_EMBED_TIMEOUT_S = 5.0


def create_app(settings: Settings | None = None) -> Service:
    """Build the gateway: OpenAI and native routes over the bus, auth, limits, cache."""
    settings = settings or Settings()
    api = FastAPI(
        title="AutoMatrix gateway",
        version="0.1.0",
        description="OpenAI-compatible API and native v2 API of the AutoMatrix platform.",
    )
    errors.install(api)
    api.include_router(openai_api.router)
    api.include_router(native.router)
    ecosystem.include_routes(api)
    service = base_service("orchestrator", settings, api)
    bus = service.bus

    replies = Replies(bus, f"gw-{uuid.uuid4().hex[:16]}")
    deployments = KeyValueStore(DEPLOYMENTS, DeploymentRecord)
    exact = ExactCache(bus.redis, namespace=settings.bus_namespace)
    gateway = Gateway(
        bus,
        replies,
        None,
        Classifier(RouterModel(bus)),
        deployments.values,
        timeout_s=settings.gateway_timeout_s,
    )

    async def embed_routed(text: str, tenant: str) -> list[float]:
        result = await gateway.embed(
            [text],
            model=settings.cache_embedding_model,
            tenant=tenant,
            timeout_s=CACHE_EMBED_TIMEOUT_S,
        )
        if not result.embeddings:
            raise ValueError("the embedding model returned no vector")
        return result.embeddings[0]

    embed = QueryEmbedder(bus, settings.cache_embedding_model, embed_routed)

    shedder = LoadShedder(
        bus, bound=settings.gateway_shed_queue_depth, factors=settings.gateway_shed_factors
    )
    jobs = JobStore()
    bus.subscribe(JOB_RESULTS, RESULT, jobs.on_result, batch=64)
    limiter = RateLimiter(bus.redis, namespace=settings.bus_namespace)
    state: dict[str, object] = {}

    async def open_cache() -> None:
        if not settings.cache_enabled:
            return
        semantic = await SemanticCache.open(
            path=settings.state_dir / "qdrant",
            url=settings.qdrant_url,
            api_key=settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None,
        )
        state["semantic"] = semantic
        gateway.cache = ResponseCache(exact, semantic, embed)

    async def open_stores() -> None:
        await deployments.open(bus.js)
        keys = KeyCache(bus.js)
        await keys.start()
        state["keys"] = keys
        await replies.start()
        await jobs.open(bus.js)
        await shedder.start()
        api.state.context = Context(
            settings=settings,
            gateway=gateway,
            auth=Authenticator(
                keys=keys,
                master_key=_secret(settings.automatrix_master_key),
                jwt_secret=_secret(settings.automatrix_jwt_secret),
                jwt_public_key=settings.automatrix_jwt_public_key,
                jwt_algorithms=(
                    ("RS256", "ES256") if settings.automatrix_jwt_public_key else ("HS256",)
                ),
                jwt_audience=settings.automatrix_jwt_audience,
            ),
            limiter=limiter,
            shedder=shedder,
            jobs=jobs,
        )
        state["sweeper"] = asyncio.create_task(_sweep(gateway, settings.cache_sweep_interval_s))

    async def close_stores() -> None:
        sweeper = state.pop("sweeper", None)
        if isinstance(sweeper, asyncio.Task):
            await cancel_and_wait(sweeper)
        await shedder.stop()
        await gateway.drain()
        await replies.stop()
        keys = state.pop("keys", None)
        if isinstance(keys, KeyCache):
            await keys.stop()
        await deployments.close()

    async def close_cache() -> None:
        semantic = state.pop("semantic", None)
        if isinstance(semantic, SemanticCache):
            await semantic.close()

    async def deployments_check() -> str:
        groups = gateway.model_groups()
        return f"{len(deployments.values)} deployments in {len(groups)} model groups"

    service.prepare.append(open_cache)
    service.on_start.append(open_stores)
    service.before_stop.append(close_stores)
    service.on_stop.append(close_cache)
    service.readiness.add("deployments", deployments_check)
    ecosystem.install(
        api,
        service,
        deployments=deployments,
        shedder=shedder,
        jobs=jobs,
        timeout_s=settings.gateway_timeout_s,
    )

    app = RequestSpans(BodyLimit(api, max_bytes=settings.gateway_max_body_bytes))
    if settings.gateway_cors_origins:
        service.app = CORSMiddleware(
            app,
            allow_origins=settings.gateway_cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["x-automatrix-cache", "x-automatrix-cache-similarity", "x-request-id"],
        )
    else:
        service.app = app
    return service


def _secret(value: object) -> str | None:
    getter = getattr(value, "get_secret_value", None)
    return getter() if getter else None


async def _sweep(gateway: Gateway, interval_s: float) -> None:
    """Delete expired semantic cache entries now and then (Redis expires its own)."""
    while True:
        await asyncio.sleep(interval_s)
        if gateway.cache is None:
            continue
        try:
            removed = await gateway.cache.sweep()
        except Exception:
            log.exception("semantic cache sweep failed")
            continue
        if removed:
            log.info("semantic cache: %d expired entries removed", removed)
