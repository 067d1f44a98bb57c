"""Schemathesis across the ecosystem endpoints: no generated request may cause a server error.

Last of this package's platform tests (file order): it registers whatever deployments it
makes up. Operations marked ``x-automatrix-admin`` that start work in neuroweaver (training,
optimization, learning cycles, promotions) get a non-admin key, so generated requests cannot
start hours of training; they are still authenticated, validated and refused (403).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok

from tests.gateway.conftest import Platform

pytestmark = pytest.mark.slow

EXAMPLES = 20
ECOSYSTEM_PREFIXES = ("/api/v2/ecosystem", "/api/v2/relaycore", "/api/v2/neuroweaver", "/api/v2/ai")
PLATFORM_PATHS = ("/health", "/metrics", "/api/agents", "/api/tasks", "/api/hive", "/api/resources")
WORK_STARTING = ("/api/v2/neuroweaver", "/api/v2/ai")


def ecosystem(path: str) -> bool:
    return path.startswith(ECOSYSTEM_PREFIXES) or path.startswith(PLATFORM_PATHS)


def test_no_generated_request_causes_a_server_error(platform: Platform) -> None:
    schema = schemathesis.openapi.from_url(f"{platform.url}/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"an operation the schema cannot describe: {result}"
        if ecosystem(result.ok().path):
            operations.append(result.ok())
    assert len(operations) >= 30
    user = platform.key()
    server_errors: list[str] = []
    statuses: list[int] = []
    for operation in operations:
        admin_only = bool(operation.definition.raw.get("x-automatrix-admin"))
        key = user if admin_only and operation.path.startswith(WORK_STARTING) else None
        headers = {"Authorization": f"Bearer {key or platform.master_key}"}

        @given(case=operation.as_strategy(), headers=st.just(headers))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case: schemathesis.Case[Any], headers: dict[str, str]) -> None:
            response = case.call(base_url=platform.url, headers=headers, timeout=120)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                server_errors.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:300]} (body {str(case.body)[:300]})"
                )

        exercise()
    assert not server_errors, "\n".join(sorted(set(server_errors))[:40])
    assert any(200 <= s < 300 for s in statuses)
    assert any(s == 400 for s in statuses)
    assert any(s == 404 for s in statuses)
