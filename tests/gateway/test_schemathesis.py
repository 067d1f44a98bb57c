"""Schemathesis against the gateway's own OpenAPI: no generated request may cause a 5xx.

Runs last in this package (file order): the async queries it submits keep the local model
busy for a while after it returns. With tests/ecosystem/test_schemathesis.py it covers the
whole HTTP API: every operation in the spec belongs to one run or the other, and every one
is also called without credentials, when only the public ones may answer.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok
from schemathesis.schemas import APIOperation

from tests.ecosystem.test_schemathesis import ecosystem
from tests.gateway.conftest import Platform

pytestmark = pytest.mark.slow

EXAMPLES = 25
GATEWAY_PATHS = ("/v1/", "/api/v2/classify", "/api/v2/queries")
"""This package's operations; the ecosystem API has its own run (tests/ecosystem), where
generated bodies cannot start training runs or drain deployments on a shared platform."""
PUBLIC = {("GET", "/health"), ("GET", "/metrics")}
"""Operations that answer without credentials (liveness and Prometheus scrapes)."""
REFUSED_BEFORE_AUTH = {400, 404, 405, 413, 422}
"""What a request malformed before its credentials are read may get instead of 401."""


def operations_of(platform: Platform) -> list[APIOperation[Any, Any, Any, Any]]:
    schema = schemathesis.openapi.from_url(f"{platform.url}/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"an operation the schema cannot describe: {result}"
        operations.append(result.ok())
    return operations


def test_no_generated_request_causes_a_server_error(platform: Platform) -> None:
    operations = [op for op in operations_of(platform) if op.path.startswith(GATEWAY_PATHS)]
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


def test_every_operation_is_covered_by_a_schemathesis_run(platform: Platform) -> None:
    uncovered = [
        f"{operation.method.upper()} {operation.path}"
        for operation in operations_of(platform)
        if not operation.path.startswith(GATEWAY_PATHS) and not ecosystem(operation.path)
    ]
    assert uncovered == [], "operations no schemathesis run calls"


def test_without_credentials_only_public_operations_answer(platform: Platform) -> None:
    operations = operations_of(platform)
    assert len(operations) >= 30
    answered = {
        (operation.method.upper(), operation.path): statuses_without_credentials(
            platform, operation
        )
        for operation in operations
    }
    failures = {}
    for key, statuses in answered.items():
        if key in PUBLIC:
            wrong = {s for s in statuses if s >= 500}
        else:
            wrong = statuses - REFUSED_BEFORE_AUTH - {401}
            if 401 not in statuses:
                wrong.add(-401)  # never reached the credential check
        if wrong:
            failures[" ".join(key)] = sorted(statuses)
    assert failures == {}, failures


def statuses_without_credentials(
    platform: Platform, operation: APIOperation[Any, Any, Any, Any]
) -> set[int]:
    seen: set[int] = set()

    @given(case=operation.as_strategy())
    @settings(max_examples=5, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def anonymous(case: schemathesis.Case[Any]) -> None:
        seen.add(case.call(base_url=platform.url, timeout=60).status_code)

    anonymous()
    return seen
