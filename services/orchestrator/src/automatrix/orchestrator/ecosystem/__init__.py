"""The ecosystem API: the platform's state and controls for platform teams and assistants.

``/api/v2/ecosystem/status`` and its live WebSocket feed, relaycore's and neuroweaver's
endpoints (reached over NATS request-reply), the short ``/api/...`` platform endpoints,
all answering in the native envelope; ``wiring`` joins them, MCP and the dashboard to the
gateway.
"""
