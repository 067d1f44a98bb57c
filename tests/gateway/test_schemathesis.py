"""Schemathesis against the gateway's own OpenAPI: no generated request may cause a 5xx.

Runs last in this package (file order): the async queries it submits keep the local model
busy for a while after it returns.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok

from tests.gateway.conftest import Platform

pytestmark = pytest.mark.slow

EXAMPLES = 25


def test_no_generated_request_causes_a_server_error(platform: Platform) -> None:
    schema = schemathesis.openapi.from_url(f"{platform.url}/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"an operation the schema cannot describe: {result}"
        operations.append(result.ok())
    assert len(operations) >= 6  # chat, embeddings, models, classify, submit and read queries
    auth = {"Authorization": f"Bearer {platform.master_key}"}
    server_errors: list[str] = []
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case: schemathesis.Case[Any]) -> None:
            response = case.call(base_url=platform.url, headers=auth, timeout=120)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                server_errors.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:300]} (body {str(case.body)[:300]})"
                )

        exercise()
    assert server_errors == []
    assert len(statuses) >= 5 * len(operations)
    assert any(200 <= s < 300 for s in statuses)  # some requests got through validation
    assert any(s == 400 for s in statuses)  # and some were refused field by field
