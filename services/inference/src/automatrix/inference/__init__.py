"""AutoMatrix inference service."""
