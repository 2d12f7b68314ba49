#!/usr/bin/env python3
"""Sends traces, logs and metrics to an OTLP endpoint with the official OpenTelemetry Python SDK.

The interop tests run it against Tributary's gateway and compare what reached Kafka (and the stores
behind the pipelines) with what the SDK sent. So that the comparison is field by field, every
exporter is wrapped: before a batch is exported, the SDK's own OTLP encoder turns it into the
Export*ServiceRequest the exporter is about to send, and that request is appended to a file in
--out (traces.pb, logs.pb, metrics.pb: each request as a 4-byte big-endian length and its protobuf
bytes). The exporters themselves are the SDK's, unchanged.

What it sends (service.name from --service-name, service.instance.id from --instance):
  traces   a SERVER root span with attributes of every type, a CLIENT child with an event, a link
           (with attributes) to a span of another trace, a recorded exception and an ERROR status,
           an INTERNAL grandchild, and the PRODUCER span the link points to;
  logs     an ERROR log emitted inside the CLIENT span (so it carries its trace context) with
           attributes and a string body, and an uncorrelated INFO log with a structured body;
  metrics  a counter, an up-down counter, an explicit-bucket histogram, an exponential histogram
           (View with ExponentialBucketHistogramAggregation) and a gauge; the counter and both
           histograms are recorded inside a sampled span, so with the trace_based exemplar filter
           they carry exemplars.

Usage:
  send_telemetry.py --protocol grpc|http/protobuf --endpoint URL --out DIR
                    [--header key=value ...] [--service-name NAME] [--instance ID]
--endpoint defaults to OTEL_EXPORTER_OTLP_ENDPOINT; without --header the exporters read
OTEL_EXPORTER_OTLP_HEADERS themselves. For HTTP the endpoint is the base URL; /v1/traces,
/v1/logs and /v1/metrics are appended.

Exit status: 0 when every export succeeded, 1 when one failed, 2 for bad arguments.
"""

import argparse
import os
import struct
import sys
import threading
import time

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry._logs import SeverityNumber
from opentelemetry.exporter.otlp.proto.common._log_encoder import encode_logs
from opentelemetry.exporter.otlp.proto.common.metrics_encoder import encode_metrics
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import (
    BatchLogRecordProcessor,
    LogRecordExporter,
    LogRecordExportResult,
)
from opentelemetry.sdk.metrics import MeterProvider, TraceBasedExemplarFilter
from opentelemetry.sdk.metrics.export import (
    MetricExporter,
    MetricExportResult,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.metrics.view import ExponentialBucketHistogramAggregation, View
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

# Instrument names the tests look for.
COUNTER = "interop.orders"
UP_DOWN_COUNTER = "interop.queue.depth"
HISTOGRAM = "interop.request.duration"
EXPONENTIAL_HISTOGRAM = "interop.payload.size"
GAUGE = "interop.temperature"

# Values recorded into each instrument; the exponential histogram gets a zero (its zero bucket) and
# values spread over several powers of two.
COUNTER_VALUES = [3, 4]
UP_DOWN_VALUES = [10, -3]
HISTOGRAM_VALUES = [4.0, 12.5, 48.0, 250.0, 1200.0]
EXPONENTIAL_VALUES = [0.0, 1.0, 3.0, 5.5, 17.0, 130.0, 1000.0]
GAUGE_VALUE = 21.5


class Failures:
    """Export failures from any exporter thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self.messages = []

    def add(self, message):
        with self._lock:
            self.messages.append(message)


class RequestFile:
    """Appends length-prefixed Export*ServiceRequest bytes to a file."""

    def __init__(self, path):
        self._path = path
        self._lock = threading.Lock()
        open(path, "wb").close()

    def append(self, request):
        data = request.SerializeToString()
        with self._lock, open(self._path, "ab") as f:
            f.write(struct.pack(">I", len(data)))
            f.write(data)


class _Recording:
    """Appends each batch, encoded by the SDK's OTLP encoder, to a file; then exports it with the
    SDK's exporter and notes a failure. Mixed into an exporter class of each signal."""

    def _record_with(self, delegate, encode, requests, failures, success):
        self._delegate = delegate
        self._encode = encode
        self._requests = requests
        self._failures = failures
        self._success = success

    def export(self, batch, *args, **kwargs):
        self._requests.append(self._encode(batch))
        result = self._delegate.export(batch, *args, **kwargs)
        if result != self._success:
            self._failures.add("%s: %s" % (type(self._delegate).__name__, result))
        return result

    def force_flush(self, *args, **kwargs):
        return self._delegate.force_flush(*args, **kwargs)

    def shutdown(self, *args, **kwargs):
        return self._delegate.shutdown(*args, **kwargs)


class RecordingSpanExporter(_Recording, SpanExporter):
    def __init__(self, delegate, requests, failures):
        self._record_with(delegate, encode_spans, requests, failures, SpanExportResult.SUCCESS)


class RecordingLogExporter(_Recording, LogRecordExporter):
    def __init__(self, delegate, requests, failures):
        self._record_with(delegate, encode_logs, requests, failures, LogRecordExportResult.SUCCESS)


class RecordingMetricExporter(_Recording, MetricExporter):
    def __init__(self, delegate, requests, failures):
        # The reader asks the exporter for its temporality and aggregation: the delegate's.
        MetricExporter.__init__(
            self,
            preferred_temporality=delegate._preferred_temporality,
            preferred_aggregation=delegate._preferred_aggregation,
        )
        self._record_with(delegate, encode_metrics, requests, failures, MetricExportResult.SUCCESS)


def exporters(protocol, endpoint, headers):
    """The SDK's OTLP exporters of one protocol: (spans, logs, metrics)."""
    if protocol == "grpc":
        from opentelemetry.exporter.otlp.proto.grpc._log_exporter import OTLPLogExporter
        from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        insecure = endpoint is None or endpoint.startswith("http://")
        return (
            OTLPSpanExporter(endpoint=endpoint, headers=headers, insecure=insecure),
            OTLPLogExporter(endpoint=endpoint, headers=headers, insecure=insecure),
            OTLPMetricExporter(endpoint=endpoint, headers=headers, insecure=insecure),
        )
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    def url(path):
        return None if endpoint is None else endpoint.rstrip("/") + path

    return (
        OTLPSpanExporter(endpoint=url("/v1/traces"), headers=headers),
        OTLPLogExporter(endpoint=url("/v1/logs"), headers=headers),
        OTLPMetricExporter(endpoint=url("/v1/metrics"), headers=headers),
    )


def every_attribute_type(prefix):
    """One attribute of each OTLP AnyValue type the SDK can send."""
    return {
        prefix + ".string": "välue ✓",
        prefix + ".bool": True,
        prefix + ".int": -42,
        prefix + ".double": 2.5,
        prefix + ".bytes": b"\x00\x01\xfe",
        prefix + ".strings": ["a", "b"],
        prefix + ".bools": [True, False],
        prefix + ".ints": [1, 2, 3],
        prefix + ".doubles": [0.5, 1.5],
        prefix + ".mixed": ["x", 1, 2.0, False],
        prefix + ".map": {"inner": "v", "n": 7, "nested": {"deep": True}},
    }


def send_traces(tracer, meter_instruments, logger):
    """The spans, with the logs and the exemplar-carrying measurements recorded inside them."""
    counter, histogram, exponential = meter_instruments
    t0 = time.time_ns()
    with tracer.start_as_current_span("enqueue", kind=SpanKind.PRODUCER, start_time=t0) as producer:
        producer.set_attribute("messaging.system", "kafka")
    linked = producer.get_span_context()

    root = tracer.start_span("GET /checkout", kind=SpanKind.SERVER, start_time=t0 + 1_000,
                             attributes=every_attribute_type("root"), context=otel_context.Context())
    with trace.use_span(root, end_on_exit=False):
        child = tracer.start_span(
            "charge card", kind=SpanKind.CLIENT, start_time=t0 + 2_000,
            attributes={"peer.service": "payments", "retry.count": 2},
            links=[Link(linked, {"link.reason": "enqueued-by", "link.n": 1})])
        with trace.use_span(child, end_on_exit=False):
            child.add_event("retry", {"attempt": 1, "backoff.ms": 12.5}, timestamp=t0 + 3_000)
            # Measurements inside a sampled span: the trace_based filter makes them exemplars.
            for value in COUNTER_VALUES:
                counter.add(value, {"payment.method": "card"})
            for value in HISTOGRAM_VALUES:
                histogram.record(value, {"http.route": "/checkout"})
            for value in EXPONENTIAL_VALUES:
                exponential.record(value, {"payload.kind": "order"})
            logger.emit(
                timestamp=t0 + 4_000, severity_number=SeverityNumber.ERROR, severity_text="ERROR",
                body="card declined", attributes={"code.function": "charge", "amount": 12.75,
                                                  "declined": True},
                event_name="payment.declined")
            try:
                raise ValueError("card declined")
            except ValueError as e:
                child.record_exception(e, {"exception.escaped": False}, timestamp=t0 + 5_000)
            child.set_status(Status(StatusCode.ERROR, "payment failed"))
            grandchild = tracer.start_span("validate", kind=SpanKind.INTERNAL, start_time=t0 + 6_000)
            grandchild.set_attribute("valid", False)
            grandchild.end(end_time=t0 + 7_000)
        child.end(end_time=t0 + 8_000)
    root.set_status(Status(StatusCode.OK))
    root.end(end_time=t0 + 9_000)

    logger.emit(
        timestamp=t0 + 10_000, severity_number=SeverityNumber.INFO, severity_text="INFO",
        body={"msg": "checkout done", "items": 3, "tags": ["fast", "eu"], "ok": True},
        attributes={"log.source": "interop"}, context=otel_context.Context())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--protocol", choices=["grpc", "http/protobuf"], required=True)
    parser.add_argument("--endpoint", default=os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"))
    parser.add_argument("--header", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--out", required=True, help="directory for the requests sent")
    parser.add_argument("--service-name", default="python-interop")
    parser.add_argument("--instance", default="python-1")
    args = parser.parse_args()
    headers = None
    if args.header:
        headers = {}
        for header in args.header:
            key, sep, value = header.partition("=")
            if not sep or not key:
                parser.error("--header %r: expected KEY=VALUE" % header)
            headers[key.strip().lower()] = value.strip()
    os.makedirs(args.out, exist_ok=True)

    failures = Failures()
    span_exporter, log_exporter, metric_exporter = exporters(args.protocol, args.endpoint, headers)
    resource = Resource.create({
        "service.name": args.service_name,
        "service.namespace": "interop",
        "service.instance.id": args.instance,
        "deployment.environment.name": "test",
        "host.cores": 2,
    })

    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(BatchSpanProcessor(
        RecordingSpanExporter(span_exporter, RequestFile(os.path.join(args.out, "traces.pb")), failures)))
    logger_provider = LoggerProvider(resource=resource)
    logger_provider.add_log_record_processor(BatchLogRecordProcessor(
        RecordingLogExporter(log_exporter, RequestFile(os.path.join(args.out, "logs.pb")), failures)))
    reader = PeriodicExportingMetricReader(
        RecordingMetricExporter(metric_exporter, RequestFile(os.path.join(args.out, "metrics.pb")), failures),
        export_interval_millis=3_600_000)  # exported once, at shutdown
    meter_provider = MeterProvider(
        metric_readers=[reader], resource=resource, exemplar_filter=TraceBasedExemplarFilter(),
        views=[View(instrument_name=EXPONENTIAL_HISTOGRAM,
                    aggregation=ExponentialBucketHistogramAggregation(max_size=160, max_scale=2))])

    tracer = tracer_provider.get_tracer("io.tributary.interop.python", "1.0.0",
                                        attributes={"scope.kind": "tracer"})
    meter = meter_provider.get_meter("io.tributary.interop.python", "1.0.0")
    logger = logger_provider.get_logger("io.tributary.interop.python", "1.0.0")

    counter = meter.create_counter(COUNTER, unit="{order}", description="Orders placed")
    up_down = meter.create_up_down_counter(UP_DOWN_COUNTER, unit="{item}", description="Items queued")
    histogram = meter.create_histogram(HISTOGRAM, unit="ms", description="Request duration",
                                       explicit_bucket_boundaries_advisory=[10.0, 50.0, 100.0, 500.0])
    exponential = meter.create_histogram(EXPONENTIAL_HISTOGRAM, unit="By", description="Payload size")
    gauge = meter.create_gauge(GAUGE, unit="Cel", description="Temperature")

    send_traces(tracer, (counter, histogram, exponential), logger)
    for value in UP_DOWN_VALUES:
        up_down.add(value, {"queue": "orders"})
    gauge.set(GAUGE_VALUE, {"sensor": "cpu"})

    # The metrics are exported once, by the reader's shutdown (a force_flush before it would export
    # a second, identical request).
    if not (tracer_provider.force_flush() and logger_provider.force_flush()):
        failures.add("force_flush of spans or logs did not complete")
    tracer_provider.shutdown()
    logger_provider.shutdown()
    meter_provider.shutdown()
    for message in failures.messages:
        print("send_telemetry: export failed: " + message, file=sys.stderr)
    return 1 if failures.messages else 0


if __name__ == "__main__":
    sys.exit(main())
