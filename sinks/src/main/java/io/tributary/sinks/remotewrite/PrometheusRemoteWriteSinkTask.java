package io.tributary.sinks.remotewrite;

import io.tributary.schemas.avro.MetricPoint;
import io.tributary.sinks.internal.CommonSinkConfig;
import io.tributary.sinks.internal.RecordDecoder;
import io.tributary.sinks.internal.batching.BatchSender;
import io.tributary.sinks.internal.batching.BatchingSinkTask;
import io.tributary.sinks.internal.batching.HttpSinkOptions;
import io.tributary.sinks.internal.batching.SinkDelivery.Parts;
import io.tributary.sinks.remotewrite.MetricPointTranslator.Translated;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes {@code MetricPoint} records, translates them to Prometheus samples and hands them to
 * the sharded batcher; commits offsets only below records whose samples are all delivered or
 * dead-lettered (see {@link SinkDelivery}). A number point of a series whose record was decoded
 * before is read from its bytes instead ({@link PointBytes}): its labels are the known ones.
 */
public final class PrometheusRemoteWriteSinkTask extends BatchingSinkTask<RemoteWriteSample> {

  private static final Logger log = LoggerFactory.getLogger(PrometheusRemoteWriteSinkTask.class);

  private RecordDecoder<MetricPoint> decoder;
  private MetricPointTranslator translator;
  private boolean tenantRequests;
  private final PointBytes pointBytes = new PointBytes();

  @Override
  public void start(Map<String, String> props) {
    PrometheusRemoteWriteSinkTaskConfig config = new PrometheusRemoteWriteSinkTaskConfig(props);
    HttpSinkOptions.Settings settings = config.httpSettings();
    start(props, new RemoteWriteSender(config.url(), settings));
  }

  /** Starts with another sender (tests). */
  void start(Map<String, String> props, BatchSender<RemoteWriteSample> sender) {
    PrometheusRemoteWriteSinkTaskConfig config = new PrometheusRemoteWriteSinkTaskConfig(props);
    HttpSinkOptions.Settings settings = config.httpSettings();
    String connector = props.getOrDefault("name", "remote-write") + "-" + config.taskId();
    this.decoder = closeOnStop(RecordDecoder.of(MetricPoint.class, CommonSinkConfig.serdeConfig(config)));
    this.translator = new MetricPointTranslator(config.translation());
    this.tenantRequests = settings.tenantHeader() != null;
    startDelivery(connector, sender, config.shards(), settings);
    log.info("{}: writing to {} with {} shards ({})", connector, config.url(), config.shards(), settings);
  }

  @Override
  protected void parts(SinkRecord record, Parts<RemoteWriteSample> parts) {
    // A point of a known series is read straight from its bytes; any other record is decoded.
    boolean read = record.value() instanceof byte[] bytes && pointBytes.readId(bytes);
    Translated t = read ? translator.knownSamples(pointBytes) : null;
    if (t == null) {
      MetricPoint point = decoder.decode(record);
      t = new Translated(translator.samples(point), translator.targetInfo(point).orElse(null),
          point.getTenant().toString());
      if (read) {
        translator.rememberLabelBytes(point, pointBytes);
      }
    }
    String requestKey = tenantRequests ? t.tenant() : "";
    int tenantHash = t.tenant().hashCode() * 31;
    List<RemoteWriteSample> samples = t.samples();
    for (int i = 0; i < samples.size(); i++) {
      RemoteWriteSample s = samples.get(i);
      parts.add(s, tenantHash + s.series().hashCode(), requestKey);
    }
    if (t.targetInfo() != null) {
      parts.addBestEffort(t.targetInfo(), tenantHash + t.targetInfo().series().hashCode(), requestKey);
    }
  }
}
