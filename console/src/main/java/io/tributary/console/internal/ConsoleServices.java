package io.tributary.console.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.file.FileService;
import com.linecorp.armeria.server.file.HttpFile;
import io.tributary.console.ConsoleConfig;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's routes: the pages (one HTML shell; the front end routes by path, so deep links such
 * as {@code /traces/<id>} work), the bundled static files, and the JSON API under {@code /api/}.
 * With API keys configured, every API call needs {@code Authorization: Bearer <key>} and sees only
 * its tenant's data.
 */
public final class ConsoleServices implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsoleServices.class);
  /** Where the build puts the front end in the jar. */
  static final String STATIC_ROOT = "io/tributary/console/static";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ConsoleConfig config;
  private final Throughput throughput;
  private final Traces traces;
  private final LlmUsage llm;
  private final Alerts alerts;
  private final Clock clock;

  public ConsoleServices(ConsoleConfig config) {
    this.config = config;
    Elasticsearch es = new Elasticsearch(config.elasticsearch(),
        "no Elasticsearch is configured: traces, LLM usage and alerts are read from the data streams the "
            + "Elasticsearch sink writes (give the console --elasticsearch-url)");
    this.traces = new Traces(es);
    this.llm = new LlmUsage(es);
    this.alerts = new Alerts(es);
    this.clock = Clock.systemUTC();
    this.throughput = new Throughput(config);
  }

  public void configure(ServerBuilder sb) {
    ClassLoader loader = ConsoleServices.class.getClassLoader();
    HttpService page = HttpFile.of(loader, STATIC_ROOT + "/index.html").asService();
    for (String path : new String[] {"/", "/traces", "/traces/{traceId}", "/llm", "/alerts"}) {
      sb.service(path, page);
    }
    sb.serviceUnder("/static/", FileService.of(loader, STATIC_ROOT));
    sb.service("/health/live", (ctx, req) -> HttpResponse.of(HttpStatus.OK));
    sb.service("/health/ready", (ctx, req) -> HttpResponse.of(HttpStatus.OK));
    sb.service("/api/session", api(false, (ctx, tenant) -> JSON.objectNode()
        .put("authentication", !config.tenantsByKey().isEmpty())
        .put("tenant", tenant)));
    sb.service("/api/overview", api(true, (ctx, tenant) -> throughput.overview()));
    sb.service("/api/traces", api(true, (ctx, tenant) -> traces.search(params(ctx), tenant, clock.instant())));
    sb.service("/api/traces/{traceId}", api(true, (ctx, tenant) -> {
      String id = ctx.pathParam("traceId");
      ObjectNode trace = traces.trace(id == null ? "" : id.toLowerCase(java.util.Locale.ROOT), tenant);
      if (trace == null) {
        throw new NotFound("no spans of trace " + id + " in Elasticsearch (not kept by sampling, not written yet, "
            + "or older than the data streams keep)");
      }
      return trace;
    }));
    sb.service("/api/llm", api(true, (ctx, tenant) -> llm.usage(params(ctx), tenant, clock.instant())));
    sb.service("/api/alerts", api(true, (ctx, tenant) -> alerts.active(tenant, clock.instant())));
  }

  private interface Handler {
    JsonNode handle(ServiceRequestContext ctx, String tenant);
  }

  private static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(message);
    }
  }

  /** Runs {@code handler} off the event loop (it blocks on Elasticsearch), with the caller's tenant. */
  private HttpService api(boolean keyRequired, Handler handler) {
    return (ctx, req) -> {
      String tenant = null;
      if (!config.tenantsByKey().isEmpty()) {
        String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION, "");
        String key = authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : "";
        tenant = config.tenantsByKey().get(key);
        if (tenant == null && (keyRequired || !key.isEmpty())) {
          return error(HttpStatus.UNAUTHORIZED, key.isEmpty()
              ? "authentication is on: send an API key of the gateway as 'Authorization: Bearer <key>'"
              : "unknown API key: use one of the gateway's API keys (its --api-keys file)");
        }
      }
      String caller = tenant;
      return HttpResponse.of(CompletableFuture.supplyAsync(() -> {
        try {
          return json(HttpStatus.OK, handler.handle(ctx, caller));
        } catch (QueryParams.BadParameter e) {
          return error(HttpStatus.BAD_REQUEST, e.getMessage());
        } catch (NotFound e) {
          return error(HttpStatus.NOT_FOUND, e.getMessage());
        } catch (Elasticsearch.Unavailable e) {
          log.warn("Console: {}", e.getMessage());
          return error(HttpStatus.BAD_GATEWAY, e.getMessage());
        }
      }, ctx.blockingTaskExecutor()));
    };
  }

  private static QueryParams params(ServiceRequestContext ctx) {
    Map<String, String> values = new HashMap<>();
    ctx.queryParams().forEach(e -> values.putIfAbsent(e.getKey(), e.getValue()));
    return new QueryParams(values);
  }

  private static HttpResponse error(HttpStatus status, String message) {
    return json(status, JSON.objectNode().put("error", message));
  }

  private static HttpResponse json(HttpStatus status, JsonNode body) {
    try {
      return HttpResponse.of(status, MediaType.JSON_UTF_8, Json.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  @Override
  public void close() {
    throughput.close();
  }
}
