package io.tributary.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.console.ConsoleConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples throughput every interval and keeps the last {@link #WINDOW}: records written per topic
 * (end offsets), records consumed and lag per consumer group (committed offsets; Streams
 * applications and sink connectors alike), and the {@code tributary_*_total} counters of every
 * role's {@code /metrics}, among them each sink connector's delivered, retried and failed counts. Rates are differences of consecutive samples, so a restarted counter
 * shows a gap, never a negative rate. Health is whatever the last sample saw.
 */
final class Throughput implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Throughput.class);
  /** How much history the overview's charts show. */
  static final Duration WINDOW = Duration.ofMinutes(15);
  /** The "now" of the throughput table: long enough to smooth one interval's jitter. */
  static final Duration RECENT = Duration.ofMinutes(1);
  /** Lines per chart: the busiest series of a family. */
  static final int MAX_SERIES_PER_CHART = 8;
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** The health row of Connect's REST API (the worker's own /metrics, if given, is the role "connect"). */
  static final String CONNECT_REST = "connect REST API";

  static final String TOPIC = "topic:";
  static final String CONSUMED = "consumed:";
  static final String LAG = "lag:";
  static final String METRIC = "metric:";
  /** The sink task counters the Connect role serves (labels connector and task), by what the overview calls them. */
  static final Map<String, String> SINK_COUNTERS = Map.of(
      "tributary_sink_items_delivered_total", "delivered",
      "tributary_sink_items_retried_total", "retried",
      "tributary_sink_records_failed_total", "failed");

  private record Sample(long epochMillis, Map<String, Double> values) {}

  private final ConsoleConfig config;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final Admin admin;
  private final ScheduledExecutorService scheduler;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private final int capacity;
  private volatile JsonNode health = JSON.arrayNode();

  Throughput(ConsoleConfig config) {
    this.config = config;
    this.capacity = (int) (WINDOW.toMillis() / config.sampleInterval().toMillis()) + 1;
    this.admin = config.bootstrapServers().map(Throughput::admin).orElse(null);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "console-sampler");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::sample, 0, config.sampleInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static Admin admin(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-console");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    return Admin.create(props);
  }

  private void sample() {
    Map<String, Double> values = new HashMap<>();
    ArrayNode roles = JSON.arrayNode();
    try {
      if (admin != null) {
        roles.add(health("kafka", config.bootstrapServers().orElseThrow(), kafkaOffsets(values)));
      }
      for (Map.Entry<String, URI> role : config.roles().entrySet()) {
        scrape(role.getKey(), role.getValue(), values, roles);
      }
      config.elasticsearch().ifPresent(es -> roles.add(health("elasticsearch", es.toString(), elasticsearchHealth(es))));
      config.connect().ifPresent(connect -> connectHealth(connect, roles));
    } catch (RuntimeException e) {
      log.warn("Console: sampling throughput failed; the overview misses this interval", e);
    }
    synchronized (samples) {
      samples.addLast(new Sample(System.currentTimeMillis(), values));
      while (samples.size() > capacity) {
        samples.removeFirst();
      }
    }
    health = roles;
  }

  /** Null when fine, else what is wrong. */
  private String kafkaOffsets(Map<String, Double> values) {
    try {
      // Kafka's and Streams' internal topics are bookkeeping, not stages of the pipeline.
      Set<String> topics = admin.listTopics().names().get().stream()
          .filter(t -> !t.startsWith("__") && !t.endsWith("-changelog") && !t.endsWith("-repartition"))
          .collect(Collectors.toCollection(TreeSet::new));
      Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      described.values().forEach(d -> d.partitions().forEach(p ->
          latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
      Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
      ends.forEach((tp, info) -> values.merge(TOPIC + tp.topic(), (double) info.offset(), Double::sum));
      Map<String, ListConsumerGroupOffsetsSpec> groups = new HashMap<>();
      for (GroupListing group : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get()) {
        groups.put(group.groupId(), new ListConsumerGroupOffsetsSpec());
      }
      if (!groups.isEmpty()) {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
            admin.listConsumerGroupOffsets(groups).all().get();
        committed.forEach((group, offsets) -> offsets.forEach((tp, offset) -> {
          if (offset == null) {
            return;
          }
          values.merge(CONSUMED + group, (double) offset.offset(), Double::sum);
          ListOffsetsResultInfo end = ends.get(tp);
          if (end != null) {
            values.merge(LAG + group, (double) Math.max(0, end.offset() - offset.offset()), Double::sum);
          }
        }));
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (Exception e) {
      return "admin API: " + rootMessage(e);
    }
  }

  private void scrape(String role, URI base, Map<String, Double> values, ArrayNode roles) {
    String problem = null;
    try {
      HttpResponse<String> ready = get(base.resolve("/health/ready"));
      if (ready.statusCode() != 200) {
        problem = "/health/ready answered " + ready.statusCode();
      }
      HttpResponse<String> metrics = get(base.resolve("/metrics"));
      if (metrics.statusCode() == 200) {
        PrometheusText.counters(metrics.body(), name -> name.startsWith("tributary_"))
            .forEach((series, value) -> values.put(METRIC + role + "|" + series, value));
      } else if (problem == null) {
        problem = "/metrics answered " + metrics.statusCode();
      }
    } catch (Exception e) {
      problem = rootMessage(e);
    }
    roles.add(health(role, base.toString(), problem));
  }

  private String elasticsearchHealth(URI es) {
    try {
      HttpResponse<String> response = get(es.resolve("/_cluster/health"));
      if (response.statusCode() != 200) {
        return "/_cluster/health answered " + response.statusCode();
      }
      String status = Json.MAPPER.readTree(response.body()).path("status").asText();
      return "red".equals(status) ? "cluster status red" : null;
    } catch (Exception e) {
      return rootMessage(e);
    }
  }

  /** One row per connector: RUNNING with every task RUNNING is healthy. */
  private void connectHealth(URI connect, ArrayNode roles) {
    try {
      HttpResponse<String> response = get(connect.resolve("/connectors?expand=status"));
      if (response.statusCode() != 200) {
        roles.add(health(CONNECT_REST, connect.toString(), "/connectors answered " + response.statusCode()));
        return;
      }
      roles.add(health(CONNECT_REST, connect.toString(), null));
      Json.MAPPER.readTree(response.body()).properties().forEach(entry -> {
        JsonNode status = entry.getValue().path("status");
        List<String> states = new ArrayList<>();
        states.add(status.at("/connector/state").asText("UNKNOWN"));
        status.path("tasks").forEach(task -> states.add(task.path("state").asText("UNKNOWN")));
        String bad = states.stream().filter(s -> !"RUNNING".equals(s)).findFirst().orElse(null);
        roles.add(health("sink " + entry.getKey(), connect.toString(),
            bad == null ? null : "connector/tasks: " + String.join(", ", states)));
      });
    } catch (Exception e) {
      roles.add(health(CONNECT_REST, connect.toString(), rootMessage(e)));
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static ObjectNode health(String role, String address, String problem) {
    ObjectNode node = JSON.objectNode().put("role", role).put("address", address).put("healthy", problem == null);
    if (problem != null) {
      node.put("problem", problem);
    }
    return node;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  /**
   * The overview: timestamps (epoch seconds), charts of rates over the window (lag as a gauge), the
   * recent rate of every stage, and the roles' health.
   */
  ObjectNode overview() {
    List<Sample> history;
    synchronized (samples) {
      history = new ArrayList<>(samples);
    }
    ObjectNode result = JSON.objectNode();
    result.put("interval_seconds", config.sampleInterval().toMillis() / 1000.0);
    ArrayNode times = result.putArray("timestamps");
    for (int i = 1; i < history.size(); i++) {
      times.add(history.get(i).epochMillis() / 1000.0);
    }
    ArrayNode charts = result.putArray("charts");
    Map<String, double[]> rates = rates(history);
    chart(charts, "Records written per topic", "records/s", busiest(rates, TOPIC));
    chart(charts, "Records consumed per consumer group", "records/s", busiest(rates, CONSUMED));
    chart(charts, "Consumer lag per group", "records", gauges(history, LAG));
    Map<String, Map<String, double[]>> families = new TreeMap<>();
    rates.forEach((key, values) -> {
      if (key.startsWith(METRIC)) {
        String roleAndSeries = key.substring(METRIC.length());
        String role = roleAndSeries.substring(0, roleAndSeries.indexOf('|'));
        String series = roleAndSeries.substring(role.length() + 1);
        String labels = PrometheusText.labels(series);
        families.computeIfAbsent(role + " · " + PrometheusText.family(series), k -> new TreeMap<>())
            .put(labels.isEmpty() ? "all" : labels, values);
      }
    });
    families.forEach((title, series) -> {
      Map<String, double[]> busy = busiest(series);
      if (!busy.isEmpty()) {
        chart(charts, title, "/s", busy);
      }
    });
    ArrayNode stages = result.putArray("stages");
    int recent = (int) Math.max(1, RECENT.toMillis() / config.sampleInterval().toMillis());
    new TreeMap<>(rates).forEach((key, values) -> {
      if (key.startsWith(TOPIC) || key.startsWith(CONSUMED) || key.startsWith(METRIC)) {
        double rate = recentRate(values, recent);
        if (rate > 0) {
          stages.addObject().put("stage", stageName(key)).put("per_second", rate);
        }
      }
    });
    ArrayNode lag = result.putArray("lag");
    if (!history.isEmpty()) {
      new TreeMap<>(history.getLast().values()).forEach((key, value) -> {
        if (key.startsWith(LAG)) {
          lag.addObject().put("group", key.substring(LAG.length())).put("records", value.longValue());
        }
      });
    }
    result.set("sinks", sinks(history, rates, recent));
    result.set("health", health);
    return result;
  }

  /** The mean of the last {@code recent} rates that exist, or 0. */
  private static double recentRate(double[] values, int recent) {
    double sum = 0;
    int n = 0;
    for (int i = Math.max(0, values.length - recent); i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        sum += values[i];
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  /**
   * One row per sink connector (its tasks summed): items delivered, item retries and records failed, each as
   * the total the tasks report now and the rate over the last minute.
   */
  private static ArrayNode sinks(List<Sample> history, Map<String, double[]> rates, int recent) {
    Map<String, ObjectNode> byConnector = new TreeMap<>();
    if (!history.isEmpty()) {
      history.getLast().values().forEach((key, value) -> {
        if (!key.startsWith(METRIC)) {
          return;
        }
        String series = key.substring(key.indexOf('|') + 1);
        String count = SINK_COUNTERS.get(PrometheusText.family(series));
        String connector = PrometheusText.label(series, "connector");
        if (count == null || connector == null) {
          return;
        }
        ObjectNode sink = byConnector.computeIfAbsent(connector, c -> {
          ObjectNode row = JSON.objectNode().put("connector", c);
          for (String name : List.of("delivered", "retried", "failed")) {
            row.put(name + "_total", 0L).put(name + "_per_second", 0.0);
          }
          return row;
        });
        sink.put(count + "_total", sink.path(count + "_total").asLong() + value.longValue());
        double[] rate = rates.get(key);
        sink.put(count + "_per_second", sink.path(count + "_per_second").asDouble()
            + (rate == null ? 0 : recentRate(rate, recent)));
      });
    }
    ArrayNode sinks = JSON.arrayNode();
    byConnector.values().forEach(sinks::add);
    return sinks;
  }

  private static String stageName(String key) {
    if (key.startsWith(TOPIC)) {
      return "topic " + key.substring(TOPIC.length()) + " written";
    }
    if (key.startsWith(CONSUMED)) {
      return "group " + key.substring(CONSUMED.length()) + " consumed";
    }
    return key.substring(METRIC.length()).replace('|', ' ');
  }

  /** Per key, the rate between consecutive samples (NaN where the key is missing or went down). */
  private static Map<String, double[]> rates(List<Sample> history) {
    Map<String, double[]> rates = new LinkedHashMap<>();
    int n = Math.max(0, history.size() - 1);
    for (int i = 1; i < history.size(); i++) {
      Sample before = history.get(i - 1);
      Sample after = history.get(i);
      double seconds = (after.epochMillis() - before.epochMillis()) / 1000.0;
      for (Map.Entry<String, Double> entry : after.values().entrySet()) {
        if (entry.getKey().startsWith(LAG)) {
          continue;
        }
        Double previous = before.values().get(entry.getKey());
        double[] values = rates.computeIfAbsent(entry.getKey(), k -> nans(n));
        values[i - 1] = previous == null || entry.getValue() < previous || seconds <= 0
            ? Double.NaN : (entry.getValue() - previous) / seconds;
      }
    }
    return rates;
  }

  private static Map<String, double[]> gauges(List<Sample> history, String prefix) {
    Map<String, double[]> gauges = new TreeMap<>();
    int n = Math.max(0, history.size() - 1);
    for (int i = 1; i < history.size(); i++) {
      for (Map.Entry<String, Double> entry : history.get(i).values().entrySet()) {
        if (entry.getKey().startsWith(prefix)) {
          gauges.computeIfAbsent(entry.getKey().substring(prefix.length()), k -> nans(n))[i - 1] = entry.getValue();
        }
      }
    }
    return gauges;
  }

  private static double[] nans(int n) {
    double[] values = new double[n];
    java.util.Arrays.fill(values, Double.NaN);
    return values;
  }

  /** The busiest keys under {@code prefix}, without it. */
  private static Map<String, double[]> busiest(Map<String, double[]> rates, String prefix) {
    Map<String, double[]> selected = new TreeMap<>();
    rates.forEach((key, values) -> {
      if (key.startsWith(prefix)) {
        selected.put(key.substring(prefix.length()), values);
      }
    });
    return busiest(selected);
  }

  /** At most {@link #MAX_SERIES_PER_CHART} series with a non-zero total, busiest first. */
  private static Map<String, double[]> busiest(Map<String, double[]> series) {
    Map<String, double[]> busy = new LinkedHashMap<>();
    series.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), total(e.getValue())))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .limit(MAX_SERIES_PER_CHART)
        .forEach(e -> busy.put(e.getKey(), series.get(e.getKey())));
    return busy;
  }

  private static double total(double[] values) {
    double sum = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        sum += v;
      }
    }
    return sum;
  }

  private static void chart(ArrayNode charts, String title, String unit, Map<String, double[]> series) {
    ObjectNode chart = charts.addObject().put("title", title).put("unit", unit);
    ArrayNode lines = chart.putArray("series");
    series.forEach((name, values) -> {
      ArrayNode points = lines.addObject().put("name", name).putArray("values");
      for (double v : values) {
        if (Double.isNaN(v)) {
          points.addNull();
        } else {
          points.add(Math.round(v * 1000) / 1000.0);
        }
      }
    });
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (admin != null) {
      admin.close(TIMEOUT);
    }
  }
}
