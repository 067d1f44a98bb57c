"""The deployment registry's store: the shared watched key-value store."""

from automatrix.shared.kv import ConflictError, KeyValueStore, Mutation

__all__ = ["ConflictError", "KeyValueStore", "Mutation"]
