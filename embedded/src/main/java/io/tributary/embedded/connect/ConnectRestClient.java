package io.tributary.embedded.connect;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client for a Kafka Connect worker's REST API: what {@code tributary dev}, {@code tributary
 * replay} and the tests need (create, validate, status, stop/resume, delete and the offsets API).
 * Errors carry the worker's own message.
 */
public final class ConnectRestClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final URI base;
  private final HttpClient http;

  public ConnectRestClient(URI base) {
    String s = requireNonNull(base, "base").toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  public URI baseUrl() {
    return base;
  }

  /**
   * A sink connector's configuration for a one-broker test cluster: one task reading
   * {@code topics} from the start, records it cannot write dead-lettered to {@code deadLetterTopic}
   * with the reason in their headers. A mutable map, for the connector's own settings.
   */
  public static Map<String, String> sinkConfig(String connectorClass, String topics, String deadLetterTopic) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", connectorClass);
    c.put("topics", topics);
    c.put("tasks.max", "1");
    c.put("consumer.override.auto.offset.reset", "earliest");
    c.put("errors.tolerance", "all");
    c.put("errors.deadletterqueue.topic.name", deadLetterTopic);
    c.put("errors.deadletterqueue.topic.replication.factor", "1");
    c.put("errors.deadletterqueue.context.headers.enable", "true");
    return c;
  }

  /** Names of the connectors the cluster runs. */
  public List<String> connectors() {
    List<String> names = new ArrayList<>();
    send("GET", "connectors", null).forEach(n -> names.add(n.asText()));
    return names;
  }

  /** Creates the connector or updates its configuration ({@code PUT /connectors/NAME/config}). */
  public JsonNode putConnector(String name, Map<String, String> config) {
    return send("PUT", "connectors/" + enc(name) + "/config", config);
  }

  /** The current configuration of a connector. */
  public JsonNode connectorConfig(String name) {
    return send("GET", "connectors/" + enc(name) + "/config", null);
  }

  /**
   * Validates a configuration with the plugin's own {@code ConfigDef}
   * ({@code PUT /connector-plugins/CLASS/config/validate}).
   */
  public Validation validate(String connectorClass, Map<String, String> config) {
    String simpleName = connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
    JsonNode result = send("PUT", "connector-plugins/" + enc(simpleName) + "/config/validate", config);
    List<Validation.Problem> problems = new ArrayList<>();
    for (JsonNode c : result.path("configs")) {
      JsonNode value = c.path("value");
      for (JsonNode e : value.path("errors")) {
        problems.add(new Validation.Problem(value.path("name").asText(), e.asText()));
      }
    }
    return new Validation(result.path("error_count").asInt(), List.copyOf(problems));
  }

  /** {@code GET /connectors/NAME/status}. */
  public Status status(String name) {
    JsonNode s = send("GET", "connectors/" + enc(name) + "/status", null);
    List<Status.Task> tasks = new ArrayList<>();
    for (JsonNode t : s.path("tasks")) {
      tasks.add(new Status.Task(t.path("id").asInt(), t.path("state").asText(), t.path("trace").asText(null),
          t.path("worker_id").asText(null)));
    }
    JsonNode c = s.path("connector");
    return new Status(name, c.path("state").asText(), c.path("trace").asText(null), List.copyOf(tasks));
  }

  /** Whether a connector exists. */
  public boolean exists(String name) {
    return connectors().contains(name);
  }

  /** Stops a connector and its tasks, keeping its configuration (needed before its offsets change). */
  public void stop(String name) {
    send("PUT", "connectors/" + enc(name) + "/stop", null);
  }

  public void resume(String name) {
    send("PUT", "connectors/" + enc(name) + "/resume", null);
  }

  public void delete(String name) {
    send("DELETE", "connectors/" + enc(name), null);
  }

  /** The committed offsets of a (sink) connector. */
  public JsonNode offsets(String name) {
    return send("GET", "connectors/" + enc(name) + "/offsets", null);
  }

  /** Removes a stopped connector's offsets: a sink then starts from its consumer's reset policy. */
  public JsonNode resetOffsets(String name) {
    return send("DELETE", "connectors/" + enc(name) + "/offsets", null);
  }

  /**
   * Sets a stopped sink connector's offsets ({@code PATCH /connectors/NAME/offsets}), one per
   * topic partition.
   */
  public JsonNode alterSinkOffsets(String name, Map<TopicPartitionRef, Long> offsets) {
    List<Map<String, Object>> entries = new ArrayList<>();
    offsets.forEach((tp, offset) -> entries.add(Map.of(
        "partition", Map.of("kafka_topic", tp.topic(), "kafka_partition", tp.partition()),
        "offset", Map.of("kafka_offset", offset))));
    return send("PATCH", "connectors/" + enc(name) + "/offsets", Map.of("offsets", entries));
  }

  /** Waits until the connector and every task (at least {@code minTasks}) are RUNNING. */
  public Status awaitRunning(String name, int minTasks, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    Status last = null;
    RuntimeException lastError = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        last = status(name);
        if (last.isRunning(minTasks)) {
          return last;
        }
        if (last.failure().isPresent()) {
          throw new ConnectRestException(0, "connector " + name + " failed: " + last.failure().get());
        }
      } catch (ConnectRestException e) {
        if (e.status() == 0) {
          throw e;
        }
        lastError = e;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for connector " + name, e);
      }
    }
    throw new ConnectRestException(0, "connector " + name + " not running after " + timeout
        + (last != null ? ": " + last : lastError != null ? ": " + lastError.getMessage() : ""));
  }

  private JsonNode send(String method, String path, Object body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/json");
    if (body != null) {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(toJson(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("Kafka Connect at " + base + " is not reachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted calling Kafka Connect at " + base, e);
    }
    String text = response.body();
    if (response.statusCode() >= 300) {
      throw new ConnectRestException(response.statusCode(),
          method + " " + path + " -> " + response.statusCode() + ": " + errorMessage(text));
    }
    if (text == null || text.isBlank()) {
      return JSON.nullNode();
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode(text);
    }
  }

  private static String errorMessage(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n.hasNonNull("message") ? n.get("message").asText() : body;
    } catch (IOException | RuntimeException e) {
      return body;
    }
  }

  private static String toJson(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write request body as JSON", e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A topic partition as the offsets API names it. */
  public record TopicPartitionRef(String topic, int partition) {}

  /** The result of a validate call: the problems Connect found, by config name. */
  public record Validation(int errorCount, List<Problem> problems) {
    public boolean isValid() {
      return errorCount == 0;
    }

    public record Problem(String config, String message) {}
  }

  /** A connector's state and its tasks' states. */
  public record Status(String name, String state, String trace, List<Task> tasks) {
    public boolean isRunning(int minTasks) {
      return "RUNNING".equals(state) && tasks.size() >= minTasks
          && tasks.stream().allMatch(t -> "RUNNING".equals(t.state()));
    }

    /** The first failure trace, of the connector or a task. */
    public java.util.Optional<String> failure() {
      if ("FAILED".equals(state)) {
        return java.util.Optional.of(String.valueOf(trace));
      }
      return tasks.stream().filter(t -> "FAILED".equals(t.state())).findFirst()
          .map(t -> "task " + t.id() + ": " + t.trace());
    }

    /** A task; {@code workerId} is the worker running it ({@code host:port} of its REST API). */
    public record Task(int id, String state, String trace, String workerId) {}
  }

  /** A REST call that failed; {@link #status()} is the HTTP status (0 when not an HTTP error). */
  public static final class ConnectRestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ConnectRestException(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
