"""Import litellm with its start-up network fetches and ``.env`` loading turned off."""

from __future__ import annotations

import logging
import os
import sys

if "litellm" in sys.modules:  # pragma: no cover - depends on import order elsewhere
    logging.getLogger(__name__).warning(
        "litellm was imported before automatrix.inference.providers; its model cost map may "
        "have been fetched over the network"
    )
# Read by litellm at import: use the bundled cost map and Anthropic beta-header table instead
# of downloading them, and skip loading a ``.env`` from the working directory.
os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"
os.environ["LITELLM_LOCAL_ANTHROPIC_BETA_HEADERS"] = "True"
os.environ.setdefault("LITELLM_MODE", "PRODUCTION")

import litellm
from litellm import exceptions

litellm.suppress_debug_info = True
# litellm logs every call at INFO ("LiteLLM completion() model= ..."), which the service's INFO
# root logger wrote out, through the launcher too: two lines per request on the hot path.
if "LITELLM_LOG" not in os.environ:
    for _name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
        logging.getLogger(_name).setLevel(logging.WARNING)
# OpenAI embeddings turn ``max_retries=0`` into this default (``max_retries or DEFAULT``), so the
# SDK would retry twice behind relaycore's back (Azure reads it only when unset; we always set it).
litellm.DEFAULT_MAX_RETRIES = 0  # type: ignore[attr-defined]

__all__ = ["exceptions", "litellm"]
