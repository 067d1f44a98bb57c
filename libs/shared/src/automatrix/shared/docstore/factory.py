"""Open the document store a URL names."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from automatrix.shared.docstore.base import DocumentStore

SQLITE_MEMORY_URL = "sqlite:///:memory:"


async def open_store(url: str) -> DocumentStore:
    """``sqlite:///abs/path.db``, ``sqlite:///:memory:``, or ``mongodb[+srv]://…/database``."""
    scheme = url.partition("://")[0]
    # Imported here so a deployment using one backend needs only that backend's driver.
    if scheme == "sqlite":
        from automatrix.shared.docstore.sqlite import SQLiteStore

        return await SQLiteStore.open(sqlite_path(url))
    if scheme in ("mongodb", "mongodb+srv"):
        from automatrix.shared.docstore.mongo import MongoStore

        return MongoStore.connect(url)
    raise ValueError(f"unsupported document store URL {url!r}: want sqlite:// or mongodb://")


def sqlite_path(url: str) -> str:
    """The file a ``sqlite:///`` URL names (absolute), or ``:memory:``."""
    parts = urlsplit(url)
    if parts.netloc or not parts.path.startswith("/") or parts.query or parts.fragment:
        raise ValueError(f"want sqlite:///absolute/path.db or {SQLITE_MEMORY_URL}, got {url!r}")
    path = unquote(parts.path)
    return ":memory:" if path == "/:memory:" else path
