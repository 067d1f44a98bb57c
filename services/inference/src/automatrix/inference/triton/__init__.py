"""Triton Inference Server: the embedded PyTriton server and an async client for any Triton."""

from automatrix.inference.triton.client import (
    RepositoryModel,
    TritonClient,
    TritonError,
    TritonInferError,
    TritonModelNotReady,
    TritonUnavailable,
)
from automatrix.inference.triton.embedded import EmbeddedTriton, LocalModelSpec

__all__ = [
    "EmbeddedTriton",
    "LocalModelSpec",
    "RepositoryModel",
    "TritonClient",
    "TritonError",
    "TritonInferError",
    "TritonModelNotReady",
    "TritonUnavailable",
]
