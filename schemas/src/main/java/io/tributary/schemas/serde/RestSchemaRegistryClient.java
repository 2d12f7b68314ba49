package io.tributary.schemas.serde;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalInt;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** {@link SchemaRegistryClient} over {@link HttpClient} and Jackson. */
final class RestSchemaRegistryClient implements SchemaRegistryClient {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Confluent's "subject not found" and "schema not found" error codes. */
  private static final int SUBJECT_NOT_FOUND = 40401;
  private static final int SCHEMA_NOT_FOUND = 40403;

  private final URI url;
  private final String base;
  private final Duration timeout;
  private final String authorization;
  private final HttpClient http;

  private final BoundedCache<SubjectSchema, Integer> idBySubjectSchema;
  private final BoundedCache<Integer, Schema> schemaById;

  private final LongAdder registrations = new LongAdder();
  private final LongAdder lookups = new LongAdder();
  private final LongAdder schemaFetches = new LongAdder();
  private final LongAdder configCalls = new LongAdder();
  private final LongAdder compatibilityChecks = new LongAdder();
  private final LongAdder failures = new LongAdder();

  RestSchemaRegistryClient(SerdeConfig config) {
    requireNonNull(config, "config");
    this.url = config.registryUrl().orElseThrow(() -> new IllegalArgumentException(
        "schemaRegistryUrl: null (expected: a registry URL to create a registry client)"));
    String text = url.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.timeout = config.requestTimeout();
    this.authorization = config.basicAuth() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
        (config.basicAuth().username() + ":" + config.basicAuth().password()).getBytes(UTF_8));
    this.http = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    this.idBySubjectSchema = new BoundedCache<>(config.cacheCapacity());
    this.schemaById = new BoundedCache<>(config.cacheCapacity());
  }

  @Override
  public URI url() {
    return url;
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(requireNonNull(subject, "subject"), requireNonNull(schema, "schema"));
    return idBySubjectSchema.getOrLoad(key, k -> {
      JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
          subject, registrations);
      int id = requiredInt(answer, "id", subject);
      schemaById.put(id, schema);
      return id;
    });
  }

  @Override
  public OptionalInt lookup(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(requireNonNull(subject, "subject"), requireNonNull(schema, "schema"));
    Integer cached = idBySubjectSchema.get(key);
    if (cached != null) {
      return OptionalInt.of(cached);
    }
    JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(schema), subject, lookups, true);
    if (answer == null) {
      return OptionalInt.empty();
    }
    int id = requiredInt(answer, "id", subject);
    idBySubjectSchema.put(key, id);
    schemaById.put(id, schema);
    return OptionalInt.of(id);
  }

  @Override
  public Schema schemaById(int id) {
    return schemaById.getOrLoad(id, k -> {
      JsonNode answer = call("GET", "/schemas/ids/" + id, null, null, schemaFetches);
      JsonNode type = answer.get("schemaType");
      if (type != null && !type.isNull() && !type.asText().equals("AVRO")) {
        throw failure("schema id " + id + " is a " + type.asText() + " schema (expected: AVRO)", null, 200, 0, null);
      }
      JsonNode text = answer.get("schema");
      if (text == null || !text.isTextual()) {
        throw failure("answer to GET /schemas/ids/" + id + " has no 'schema' text: " + answer, null, 200, 0, null);
      }
      try {
        return new Schema.Parser().parse(text.asText());
      } catch (SchemaParseException e) {
        throw failure("schema id " + id + " is not a valid Avro schema: " + e.getMessage(), null, 200, 0, e);
      }
    });
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    JsonNode answer = call("GET", "/config/" + encode(requireNonNull(subject, "subject")) + "?defaultToGlobal=true",
        null, subject, configCalls);
    return level(answer, subject);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    requireNonNull(level, "level");
    ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
    JsonNode answer = call("PUT", "/config/" + encode(requireNonNull(subject, "subject")), body, subject, configCalls);
    CompatibilityLevel set = level(answer, subject);
    if (set != level) {
      throw failure("PUT /config/" + subject + " asked for " + level + " but the registry answered " + set,
          subject, 200, 0, null);
    }
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    requireNonNull(schema, "schema");
    JsonNode answer = call("POST", "/compatibility/subjects/" + encode(requireNonNull(subject, "subject"))
        + "/versions/latest", schemaBody(schema), subject, compatibilityChecks, true);
    if (answer == null) {
      return true; // nothing registered under the subject yet (Confluent answers 404), so nothing to break
    }
    JsonNode compatible = answer.get("is_compatible");
    if (compatible == null || !compatible.isBoolean()) {
      throw failure("answer to the compatibility check has no boolean 'is_compatible': " + answer,
          subject, 200, 0, null);
    }
    return compatible.booleanValue();
  }

  @Override
  public RemoteCalls remoteCalls() {
    return new RemoteCalls(registrations.sum(), lookups.sum(), schemaFetches.sum(), configCalls.sum(),
        compatibilityChecks.sum(), failures.sum());
  }

  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "SchemaRegistryClient[" + url + "]";
  }

  private JsonNode call(String method, String path, JsonNode body, String subject, LongAdder counter) {
    return call(method, path, body, subject, counter, false);
  }

  /**
   * One HTTP exchange; any failure becomes a {@link SchemaRegistryException} and is counted. With
   * {@code notFoundIsAnAnswer}, a 404 "subject/schema not found" returns {@code null} instead.
   */
  private JsonNode call(
      String method, String path, JsonNode body, String subject, LongAdder counter, boolean notFoundIsAnAnswer) {
    counter.increment();
    String request = method + " " + path;
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("Accept", ACCEPT);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    if (body != null) {
      builder.header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), UTF_8));
    } else {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    } catch (HttpTimeoutException e) {
      throw failure("did not answer " + request + within(subject) + " within " + timeout.toMillis() + " ms. "
          + "Check that the registry is healthy and reachable, or raise "
          + SerdeConfig.REQUEST_TIMEOUT_MS_CONFIG + ".", subject, 0, 0, e);
    } catch (IOException e) {
      throw failure("is unreachable (" + request + within(subject) + ": " + describe(e) + "). "
          + "Check that the registry runs and that " + SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG
          + " points at its Confluent-compatible API (for Apicurio: http://host:port/apis/ccompat/v7).",
          subject, 0, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("call " + request + within(subject) + " was interrupted", subject, 0, 0, e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw failure("answered " + request + within(subject) + " with HTTP " + status
            + " and a body that is not JSON: " + abbreviate(response.body()), subject, status, 0, e);
      }
    }
    int errorCode = 0;
    String message = abbreviate(response.body());
    try {
      JsonNode error = JSON.readTree(response.body());
      if (error != null && error.isObject()) {
        errorCode = error.path("error_code").asInt(0);
        message = error.path("message").asText(message);
      }
    } catch (IOException notJson) {
      // keep the raw body as the message
    }
    if (notFoundIsAnAnswer && status == 404 && (errorCode == SUBJECT_NOT_FOUND || errorCode == SCHEMA_NOT_FOUND)) {
      return null;
    }
    String hint = switch (status) {
      case 401, 403 -> " Check the registry credentials (" + SerdeConfig.BASIC_AUTH_USER_INFO_CONFIG + ").";
      case 409 -> " The schema is incompatible with the subject's earlier versions under its compatibility level.";
      case 404 -> errorCode == 0 ? " Check that " + SerdeConfig.SCHEMA_REGISTRY_URL_CONFIG
          + " points at the Confluent-compatible API (for Apicurio: /apis/ccompat/v7)." : "";
      default -> "";
    };
    throw failure("rejected " + request + within(subject) + ": HTTP " + status + ", error_code " + errorCode
        + ": " + message + "." + hint, subject, status, errorCode, null);
  }

  private SchemaRegistryException failure(
      String what, String subject, int status, int errorCode, Throwable cause) {
    failures.increment();
    return new SchemaRegistryException("Schema registry at " + url + " " + what, url, subject, status, errorCode,
        cause);
  }

  private CompatibilityLevel level(JsonNode answer, String subject) {
    // Confluent answers GET with compatibilityLevel and PUT with compatibility; Apicurio uses the former for both.
    JsonNode level = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.get("compatibility");
    if (level == null || !level.isTextual()) {
      throw failure("answered without a compatibility level" + within(subject) + ": " + answer, subject, 200, 0, null);
    }
    try {
      return CompatibilityLevel.valueOf(level.asText());
    } catch (IllegalArgumentException e) {
      throw failure("answered an unknown compatibility level '" + level.asText() + "'" + within(subject),
          subject, 200, 0, e);
    }
  }

  private int requiredInt(JsonNode answer, String field, String subject) {
    JsonNode value = answer.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw failure("answered without an integer '" + field + "'" + within(subject) + ": " + answer,
          subject, 200, 0, null);
    }
    return value.intValue();
  }

  private static ObjectNode schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString());
  }

  private static String within(String subject) {
    return subject == null ? "" : " for subject '" + subject + "'";
  }

  /** The exception's type and the first message found along its causes (HttpClient often has none at the top). */
  private static String describe(IOException e) {
    String message = null;
    for (Throwable t = e; t != null && message == null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= 500 ? text : text.substring(0, 500) + "...";
  }

  /** Percent-encodes one path segment (subjects may contain any character). */
  static String encode(String segment) {
    return URLEncoder.encode(segment, UTF_8).replace("+", "%20");
  }

  private record SubjectSchema(String subject, Schema schema) {}
}
