"""AutoMatrix orchestrator service."""
