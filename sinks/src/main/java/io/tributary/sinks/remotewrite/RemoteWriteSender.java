package io.tributary.sinks.remotewrite;

import io.tributary.sinks.internal.PluginVersion;
import io.tributary.sinks.internal.batching.BatchSender;
import io.tributary.sinks.internal.batching.HttpPoster;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import io.tributary.sinks.internal.batching.SendOutcome;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POSTs batches of samples as remote_write 1.0 requests: a snappy-compressed
 * {@code WriteRequest} with the protocol's headers and the tenant header. 2xx is delivered; 429
 * and 5xx are retried (with Retry-After); any other 4xx means the store refused the content (an
 * out-of-order or duplicate sample makes Prometheus refuse the whole request), so the batch is
 * bisected down to the refused samples.
 */
final class RemoteWriteSender implements BatchSender<RemoteWriteSample> {

  static final String CONTENT_TYPE = "application/x-protobuf";
  static final String CONTENT_ENCODING = "snappy";
  static final String VERSION_HEADER = "X-Prometheus-Remote-Write-Version";
  static final String VERSION = "0.1.0";

  private final URI url;
  private final HttpPoster poster;
  private final HttpSinkOptions.Settings settings;
  private final Map<String, String> protocolHeaders;
  /** One per shard thread: each keeps its buffers from batch to batch. */
  private final ThreadLocal<WriteRequestEncoder> encoders = ThreadLocal.withInitial(WriteRequestEncoder::new);

  RemoteWriteSender(URI url, HttpSinkOptions.Settings settings) {
    this.url = url;
    this.settings = settings;
    this.poster = settings.poster();
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", CONTENT_TYPE);
    h.put("Content-Encoding", CONTENT_ENCODING);
    h.put(VERSION_HEADER, VERSION);
    h.put("User-Agent", "tributary-remote-write/" + PluginVersion.get());
    this.protocolHeaders = Map.copyOf(h);
  }

  @Override
  public SendOutcome send(String tenant, List<RemoteWriteSample> batch) {
    WriteRequestEncoder encoder = encoders.get();
    encoder.compress(batch);
    Map<String, String> headers = protocolHeaders;
    Map<String, String> tenantHeaders = settings.tenantHeaders(tenant);
    if (!tenantHeaders.isEmpty()) {
      headers = new LinkedHashMap<>(protocolHeaders);
      headers.putAll(tenantHeaders);
    }
    return poster.post(url, encoder.compressed(), encoder.compressedLength(), headers, RemoteWriteSender::classify);
  }

  @Override
  public void close() {
    poster.close();
  }

  static SendOutcome classify(HttpPoster.Answer response) {
    int status = response.status();
    if (status / 100 == 2) {
      return SendOutcome.DELIVERED;
    }
    String message = "HTTP " + status + ": " + HttpPoster.message(response);
    if (status == 429 || status / 100 == 5) {
      return HttpPoster.retry(response, message);
    }
    if (status / 100 == 4) {
      return new SendOutcome.Reject(message);
    }
    return new SendOutcome.Fatal("unexpected answer " + message + " (check the remote write URL)");
  }
}
