"""Durable records in a document store: SQLite embedded by default, MongoDB when configured."""

from automatrix.shared.docstore.base import (
    Bound,
    Direction,
    DocumentStore,
    DuplicateKeyError,
    Query,
    Range,
    Scalar,
)
from automatrix.shared.docstore.factory import open_store

__all__ = [
    "Bound",
    "Direction",
    "DocumentStore",
    "DuplicateKeyError",
    "Query",
    "Range",
    "Scalar",
    "open_store",
]
