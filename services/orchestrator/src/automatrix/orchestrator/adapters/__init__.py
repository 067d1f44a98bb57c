"""The gateway's clients of outside services (Redis, Qdrant, NATS), one module each."""
