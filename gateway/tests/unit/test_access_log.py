"""The fast path's access log and ids: the same JSON line as the logging formatter, redacted, batched."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from onematter_kit.observability import (
    AccessLogWriter,
    MetricsRecorder,
    ServiceMetrics,
    clean_request_id,
    new_request_id,
    new_traceparent,
    valid_traceparent,
)


@pytest.fixture(autouse=True)
def access_at_info() -> None:
    logging.getLogger("onematter.access").setLevel(logging.INFO)


async def test_an_access_line_is_one_json_object_with_the_formatters_fields(capsys) -> None:
    writer = AccessLogWriter("gateway", flush_interval=0.01)
    traceparent = new_traceparent()
    writer.request(
        request_id="abc",
        traceparent=traceparent,
        method="GET",
        route="/api/v1/x/{id}",
        status=200,
        seconds=0.0012345,
    )
    assert capsys.readouterr().out == ""  # batched, not written per request
    out = ""
    for _ in range(500):  # until the batch is flushed (every 10 ms), at most 5 s
        out += capsys.readouterr().out
        if out:
            break
        await asyncio.sleep(0.01)
    (line,) = out.splitlines()
    entry = json.loads(line)
    assert entry | {"time": "t"} == {
        "time": "t",
        "level": "info",
        "service": "gateway",
        "logger": "onematter.access",
        "message": "request",
        "request_id": "abc",
        "trace_id": traceparent.split("-")[1],
        "method": "GET",
        "route": "/api/v1/x/{id}",
        "status": 200,
        "duration_ms": 1.23,
    }
    assert entry["time"].endswith("Z")


def test_a_client_request_id_carrying_an_id_number_is_redacted(capsys) -> None:
    writer = AccessLogWriter("gateway")  # no running loop: written at once
    writer.request(
        request_id="110101199003070011",
        traceparent=new_traceparent(),
        method="GET",
        route="r",
        status=200,
        seconds=0.001,
        client_request_id=True,
    )
    out = capsys.readouterr().out
    assert "110101199003070011" not in out and json.loads(out)["request_id"] == "[id-number redacted]"


def test_generated_ids_are_well_formed_and_distinct() -> None:
    ids = {new_request_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(len(i) == 32 and clean_request_id(i.encode()) == i for i in ids)
    assert valid_traceparent(new_traceparent()) and not valid_traceparent("00-xyz")
    assert clean_request_id(b"bad id with spaces") is None


def test_the_metrics_recorder_counts_per_method_route_and_status() -> None:
    metrics = ServiceMetrics("gateway")
    record = MetricsRecorder(metrics).record
    for status in (200, 200, 404):
        record("GET", "/api/v1/x", status, 0.002)
    text = metrics.render()[0].decode()
    labels = 'method="GET",route="/api/v1/x",service="gateway",status="200"'
    assert f"onematter_http_requests_total{{{labels}}} 2.0" in text
    assert 'status="404"} 1.0' in text
