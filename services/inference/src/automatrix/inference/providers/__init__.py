"""Model providers: what they return and raise (``base``), and the litellm one.

``LiteLLMProvider`` lives in ``providers.litellm_provider`` and ``map_exception`` in
``providers.errors``; both import litellm (seconds), so this package does not.
"""

from automatrix.inference.providers.base import (
    EmbeddingResult,
    Provider,
    ProviderChunk,
    ProviderError,
    ProviderResult,
)

__all__ = ["EmbeddingResult", "Provider", "ProviderChunk", "ProviderError", "ProviderResult"]
