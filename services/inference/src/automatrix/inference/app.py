"""Wiring of the inference service: Triton (embedded or external), providers, serving."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import socket

from automatrix.inference.deployments import Backend, Deployment, load_deployments
from automatrix.inference.direct_classify import DirectClassifier
from automatrix.inference.direct_embed import DirectEmbedder, DirectModel, Encode
from automatrix.inference.hotswap import ModelSwapper
from automatrix.inference.models.onnx_model import DEFAULT_MAX_BATCH_SIZE
from automatrix.inference.providers import Provider
from automatrix.inference.registration import Registrar
from automatrix.inference.scoring import scoring_server
from automatrix.inference.serving import DispatchServer
from automatrix.inference.settings import Settings
from automatrix.inference.triton.client import TritonClient
from automatrix.inference.triton.embedded import EmbeddedTriton, LocalModelSpec
from automatrix.inference.triton.watchdog import TritonWatchdog
from automatrix.shared.contracts import ROUTER_MODEL, RequestKind
from automatrix.shared.service import Service, base_service


def local_specs(
    deployments: list[Deployment],
    settings: Settings,
    encoders: dict[str, Encode] | None = None,
) -> list[LocalModelSpec]:
    """The models the embedded Triton must serve for the local deployments configured.

    ``encoders`` receives the embedding models' encoders, for the direct path.
    """
    from automatrix.inference.models.gemma import GemmaSettings, gemma_spec
    from automatrix.inference.models.minilm import MODEL_NAME as MINILM
    from automatrix.inference.models.minilm import MiniLMEncoder, minilm_spec

    wanted = {d.model for d in deployments if d.backend is Backend.LOCAL}
    specs: list[LocalModelSpec] = []
    if MINILM in wanted:
        encoder = MiniLMEncoder(settings.state_dir / "models")
        if encoders is not None:
            encoders[MINILM] = encoder.encode
        specs.append(minilm_spec(cache_dir=settings.state_dir / "models", encoder=encoder))
    if "gemma3-270m" in wanted:
        specs.append(
            gemma_spec(
                GemmaSettings(instances=settings.gemma_instances, n_threads=settings.gemma_threads)
            )
        )
    unknown = wanted - {spec.name for spec in specs}
    if unknown:
        raise ValueError(
            f"no local model named {sorted(unknown)} (known: minilm-embed, gemma3-270m)"
        )
    return specs


def provider_for(deployment: Deployment, triton: TritonClient) -> Provider:
    """The backend that serves one deployment."""
    from automatrix.inference.providers.local import TritonChatProvider, TritonEmbeddingProvider

    if deployment.backend is Backend.LITELLM:
        from automatrix.inference.providers.litellm_provider import LiteLLMProvider

        return LiteLLMProvider(deployment)
    if deployment.kind is RequestKind.EMBEDDING:
        return TritonEmbeddingProvider(deployment, triton)
    return TritonChatProvider(deployment, triton)


def _token(text: str) -> str:
    """A subject-safe, bounded token unique to ``text`` (a long pod name keeps its pid)."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"{re.sub(r'[^A-Za-z0-9_-]', '-', text)[:32]}-{digest}"


def create_app(settings: Settings | None = None) -> Service:
    """Build the service: bus, Triton, one provider per deployment, readiness checks."""
    settings = settings or Settings()
    service = base_service("inference", settings)
    deployments = list(load_deployments().values())
    instance = f"{socket.gethostname()}-{os.getpid()}"
    embedded: EmbeddedTriton | None = None
    classifier: DirectClassifier | None = None
    if settings.triton_url:
        triton = TritonClient(settings.triton_url)
    else:
        embedded = EmbeddedTriton(
            settings.state_dir,
            http_port=settings.triton_http_port,
            grpc_port=settings.triton_grpc_port,
            metrics_port=settings.triton_metrics_port,
        )
        triton = TritonClient(embedded.grpc_url, headers=embedded.grpc_headers())
    if embedded is not None:
        # NeuroWeaver's ONNX models, hot-swapped by version; an external Triton's models are
        # its operator's to load.
        swapper = ModelSwapper(js=lambda: service.bus.js, triton=embedded, client=triton)
        swapper.subscribe(service.bus, durable=f"inference-models-{_token(instance)}")
        classifier = DirectClassifier(service.bus, swapper, (ROUTER_MODEL,))
        scoring = scoring_server(service.bus, swapper, batch_rows=DEFAULT_MAX_BATCH_SIZE)
        service.on_start.append(scoring.start)
        service.before_stop.append(scoring.stop)
    served = {d.name: (d, provider_for(d, triton)) for d in deployments}
    DispatchServer(service.bus, served, instance=instance).subscribe()
    registrar = Registrar(
        service.bus, deployments, instance=instance, interval_s=settings.heartbeat_interval_s
    )
    local = [d.model for d in deployments if d.backend is Backend.LOCAL]

    encoders: dict[str, Encode] = {}
    direct = DirectEmbedder(service.bus)

    async def start_triton() -> None:
        if embedded is not None:
            specs = local_specs(deployments, settings, encoders)
            await asyncio.to_thread(embedded.start, specs)
            for d in deployments:
                local_embedding = d.backend is Backend.LOCAL and d.kind is RequestKind.EMBEDDING
                if local_embedding and d.model in encoders:
                    direct.add(DirectModel(d.name, d.model_group, encoders[d.model]))
                    if classifier is not None:
                        classifier.encode = encoders[d.model]

    async def stop_triton() -> None:
        await triton.close()
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)

    async def triton_check() -> str:
        if not await triton.ready():
            raise ConnectionError(f"Triton at {triton.url} is not ready")
        missing = [name for name in local if not await triton.model_ready(name)]
        if missing:
            raise RuntimeError(f"models not ready: {', '.join(missing)}")
        where = "embedded" if embedded is not None else "external"
        return f"{where} at {triton.url}, {len(local)} local models ready"

    service.prepare.append(start_triton)
    if embedded is not None:
        watchdog = TritonWatchdog(embedded)
        service.on_start.append(watchdog.start)
        service.before_stop.append(watchdog.stop)
    service.on_start.append(direct.start)
    if classifier is not None:
        service.on_start.append(classifier.start)
        service.before_stop.append(classifier.stop)
    service.on_start.append(registrar.start)
    service.before_stop.append(direct.stop)
    service.on_stop.append(stop_triton)
    service.before_stop.append(registrar.stop)
    service.readiness.add("triton", triton_check)
    return service
