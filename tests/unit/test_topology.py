"""Streams and consumers as declared: pure configuration, no server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from nats.js.api import AckPolicy, RetentionPolicy, StorageType

from automatrix.shared.bus.topology import ConsumerSpec, retry_after, stream_for, streams
from automatrix.shared.contracts import ALL_SUBJECTS, REQUESTS, STREAM, TELEMETRY
from automatrix.shared.settings import BusSettings


def test_every_persisted_subject_has_exactly_one_stream_capturing_it() -> None:
    names = [spec.name for spec in streams()]
    assert len(names) == len(set(names))
    for subject in ALL_SUBJECTS:
        if subject.stream is None:
            continue
        spec = stream_for(subject)
        assert spec.name == subject.stream
        assert subject.prefix + ">" in spec.subjects
        others = [s for s in streams() if s.name != spec.name]
        assert all(not set(s.subjects) & set(spec.subjects) for s in others)


def test_core_nats_subjects_have_no_stream() -> None:
    with pytest.raises(LookupError):
        stream_for(STREAM)
    with pytest.raises(LookupError):
        ConsumerSpec.on(STREAM, "x")


def test_stream_config_uses_file_storage_duplicate_window_and_replicas() -> None:
    settings = BusSettings(bus_duplicate_window_s=90, bus_stream_replicas=3)
    by_name = {spec.name: spec.config(settings) for spec in streams()}
    assert {config.storage for config in by_name.values()} == {StorageType.FILE}
    assert {config.duplicate_window for config in by_name.values()} == {90}
    assert {config.num_replicas for config in by_name.values()} == {3}
    assert by_name["AI_REQUESTS"].retention == RetentionPolicy.WORK_QUEUE
    assert by_name["AI_DISPATCH"].retention == RetentionPolicy.WORK_QUEUE
    assert by_name["AI_TELEMETRY"].retention == RetentionPolicy.LIMITS
    assert (by_name["AI_TELEMETRY"].max_age or 0) > 0


def test_consumer_spec_filters_one_subject_with_explicit_acks() -> None:
    settings = BusSettings(bus_max_deliver=7, bus_ack_wait_s=12)
    spec = ConsumerSpec.on(REQUESTS, "relay-high", priority="high")
    config = spec.config(settings)
    assert spec.stream == "AI_REQUESTS"
    assert config.filter_subjects == ["ai.v1.requests.high"]
    assert config.ack_policy == AckPolicy.EXPLICIT
    assert config.max_deliver == 7
    assert config.ack_wait == 12
    assert ConsumerSpec.on(TELEMETRY, "t").filter_subjects == ("ai.v1.telemetry.*.*",)


@pytest.mark.parametrize(
    ("delivered", "seconds"), [(1, 0.2), (2, 1.0), (3, 5.0), (4, 15.0), (9, 15.0)]
)
def test_nak_backoff_grows_per_attempt_and_the_last_step_repeats(
    delivered: int, seconds: float
) -> None:
    settings = BusSettings(bus_nak_backoff_s=(0.2, 1.0, 5.0, 15.0))
    assert retry_after(settings, delivered) == timedelta(seconds=seconds)
