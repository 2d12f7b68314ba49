package io.tributary.platform.loadgen;

import static io.tributary.platform.loadgen.SimulatedService.CHECKOUT;
import static io.tributary.platform.loadgen.SimulatedService.FRONTEND;
import static io.tributary.platform.loadgen.SimulatedService.INVENTORY;
import static io.tributary.platform.loadgen.SimulatedService.LLM_GATEWAY;
import static io.tributary.platform.loadgen.SimulatedService.PAYMENT;
import static io.tributary.platform.loadgen.SimulatedService.RECOMMENDATION;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.SpanKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Plans the traces of a small shop: product pages, checkouts (with a Kafka hop), an LLM-backed
 * assistant and the home page. A few traces fail (payment timeouts, database errors, LLM rate
 * limits) or are slow (over {@link #SLOW_TRACE}); so that short runs see every kind, a kind that has
 * not come up for a while is forced.
 */
final class TracePlanner {

  static final long MS = 1_000_000L;
  /** A trace this long or longer counts as slow. */
  static final long SLOW_TRACE = 5_000 * MS;

  private static final double ERROR_RATE = 0.06;
  private static final double SLOW_RATE = 0.03;
  private static final int ERROR_AT_LEAST_EVERY = 15;
  private static final int SLOW_AT_LEAST_EVERY = 25;
  private static final int LLM_AT_LEAST_EVERY = 8;

  private final Random random;
  private final LlmConversations conversations;
  private final LlmCalls llmCalls;
  private int sinceError;
  private int sinceSlow;
  private int sinceLlm;

  TracePlanner(Random random) {
    this.random = random;
    this.conversations = new LlmConversations(random);
    this.llmCalls = new LlmCalls(random);
  }

  /** An HTTP server's answer: when it finished and with which status. */
  record Reply(long end, int status) {}

  TracePlan next() {
    boolean error = ++sinceError >= ERROR_AT_LEAST_EVERY || random.nextDouble() < ERROR_RATE;
    boolean slow = ++sinceSlow >= SLOW_AT_LEAST_EVERY || random.nextDouble() < SLOW_RATE;
    boolean llm = ++sinceLlm >= LLM_AT_LEAST_EVERY;
    double scenario = random.nextDouble();
    PlannedSpan root;
    if (llm || scenario < 0.2) {
      root = assistant(slow, error);
      sinceLlm = 0;
    } else if (scenario < 0.55) {
      root = productPage(slow, error);
    } else if (scenario < 0.85) {
      root = checkout(slow, error);
    } else {
      root = home();
    }
    List<TracePlan.BackgroundLog> background = new ArrayList<>();
    if (random.nextDouble() < 0.1) {
      background.add(new TracePlan.BackgroundLog(INVENTORY, new PlannedSpan.Log(0, Severity.INFO,
          "inventory cache refreshed: " + (800 + random.nextInt(400)) + " entries", Attributes.empty())));
    }
    TracePlan plan = new TracePlan(root, background);
    if (root.anyFailed()) {
      sinceError = 0;
    }
    if (plan.durationNanos() >= SLOW_TRACE) {
      sinceSlow = 0;
    }
    return plan;
  }

  private PlannedSpan productPage(boolean slow, boolean error) {
    String sku = "SKU-" + (10000 + random.nextInt(900));
    PlannedSpan root = server(null, FRONTEND, "GET", "/products/{id}", "/products/" + sku, 0);
    PlannedSpan stock = call(root, INVENTORY, "GET", "/api/inventory/{sku}", "/api/inventory/" + sku,
        root.start + ms(1, 3), server -> {
          PlannedSpan query = database(server, "SELECT", "SELECT sku, quantity FROM inventory WHERE sku = $1",
              server.start + ms(0.3, 1), slow ? ms(5_200, 8_000) : ms(1, 15));
          if (error) {
            query.fail("connection pool exhausted").exception(query.end, "org.postgresql.util.PSQLException",
                "FATAL: remaining connection slots are reserved for non-replication superuser connections",
                stack("org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl",
                    "com.zaxxer.hikari.pool.HikariPool.getConnection",
                    "shop.inventory.StockRepository.find"));
            errorBurst(server, query.end, "database unavailable while reading stock for " + sku);
            return new Reply(query.end + ms(0.2, 1), 503);
          }
          server.log(query.end, Severity.INFO, "stock for " + sku + ": " + random.nextInt(40) + " units",
              Attributes.builder().put("sku", sku).build());
          return new Reply(query.end + ms(0.2, 1), 200);
        });
    PlannedSpan recommendations = call(root, RECOMMENDATION, "GET", "/api/recommendations",
        "/api/recommendations?product=" + sku, stock.end + ms(0.2, 1), server -> {
          PlannedSpan rank = server.child(RECOMMENDATION, "rank candidates", SpanKind.INTERNAL, server.start + ms(0.5, 2));
          rank.attributes.put("recommendation.candidates", 50L + random.nextInt(150));
          rank.end = rank.start + ms(5, 40);
          return new Reply(rank.end + ms(0.3, 1), 200);
        });
    return finish(root, recommendations.end + ms(1, 4), stock.failed() ? 500 : 200);
  }

  private PlannedSpan checkout(boolean slow, boolean error) {
    String order = conversations.orderId();
    PlannedSpan root = server(null, FRONTEND, "POST", "/checkout", "/checkout", 0);
    PlannedSpan placed = call(root, CHECKOUT, "POST", "/api/orders", "/api/orders", root.start + ms(1, 3), server -> {
      PlannedSpan validate = server.child(CHECKOUT, "validate cart", SpanKind.INTERNAL, server.start + ms(0.3, 1));
      validate.attributes.put("cart.items", 1L + random.nextInt(6));
      validate.end = validate.start + ms(2, 8);
      PlannedSpan reserve = call(server, INVENTORY, "POST", "/api/inventory/reservations", "/api/inventory/reservations",
          validate.end + ms(0.2, 1), inventory -> {
            PlannedSpan update = database(inventory, "UPDATE",
                "UPDATE inventory SET reserved = reserved + $1 WHERE sku = $2", inventory.start + ms(0.3, 1), ms(2, 10));
            return new Reply(update.end + ms(0.2, 1), 200);
          });
      PlannedSpan charge = call(server, PAYMENT, "POST", "/api/charges", "/api/charges", reserve.end + ms(0.3, 1),
          payment -> charge(payment, order, slow, error));
      if (charge.failed()) {
        server.log(charge.end, Severity.ERROR, "order " + order + " failed: payment returned 504",
            Attributes.builder().put("order.id", order).build());
        return new Reply(charge.end + ms(0.5, 2), 502);
      }
      PlannedSpan publish = server.child(CHECKOUT, "orders publish", SpanKind.PRODUCER, charge.end + ms(0.2, 1));
      publish.attributes.put("messaging.system", "kafka").put("messaging.destination.name", "orders")
          .put("messaging.operation.type", "send").put("messaging.kafka.message.key", order);
      publish.end = publish.start + ms(1, 3);
      PlannedSpan consume = publish.child(INVENTORY, "orders process", SpanKind.CONSUMER, publish.end + ms(5, 50));
      consume.attributes.put("messaging.system", "kafka").put("messaging.destination.name", "orders")
          .put("messaging.operation.type", "process").put("messaging.consumer.group.name", "inventory");
      consume.end = consume.start + ms(3, 15);
      consume.log(consume.end, Severity.INFO, "stock committed for order " + order, Attributes.empty());
      server.log(publish.end, Severity.INFO, "order " + order + " placed",
          Attributes.builder().put("order.id", order).put("order.total", 20 + random.nextInt(300) + 0.99).build());
      return new Reply(publish.end + ms(0.5, 2), 201);
    });
    return finish(root, placed.end + ms(1, 3), placed.failed() ? 500 : 201);
  }

  private Reply charge(PlannedSpan payment, String order, boolean slow, boolean error) {
    PlannedSpan provider = payment.child(PAYMENT, "POST", SpanKind.CLIENT, payment.start + ms(0.5, 2));
    provider.attributes.put("http.request.method", "POST").put("server.address", "api.payments.example")
        .put("server.port", 443L).put("url.full", "https://api.payments.example/v1/charges");
    if (error) {
      provider.end = provider.start + 3_000 * MS;
      provider.attributes.put("error.type", "timeout");
      provider.fail("context deadline exceeded").exception(provider.end, "*url.Error",
          "Post \"https://api.payments.example/v1/charges\": context deadline exceeded",
          "goroutine 1841 [running]:\nshop/payment/provider.(*Client).Charge(...)\n\tprovider/client.go:88");
      errorBurst(payment, provider.end, "charge for order " + order + " failed: context deadline exceeded");
      return new Reply(provider.end + ms(0.5, 1), 504);
    }
    provider.end = provider.start + (slow ? ms(5_500, 7_500) : ms(80, 400));
    provider.attributes.put("http.response.status_code", 200L);
    if (slow) {
      payment.log(provider.end, Severity.WARN, "payment provider slow: " + (provider.end - provider.start) / MS + " ms",
          Attributes.builder().put("order.id", order).build());
    }
    payment.log(provider.end, Severity.INFO, "charged order " + order, Attributes.builder().put("order.id", order).build());
    return new Reply(provider.end + ms(0.5, 2), 200);
  }

  private PlannedSpan assistant(boolean slow, boolean error) {
    PlannedSpan root = server(null, FRONTEND, "POST", "/assistant/chat", "/assistant/chat", 0);
    PlannedSpan answer = call(root, RECOMMENDATION, "POST", "/api/assistant", "/api/assistant", root.start + ms(1, 3),
        server -> {
          PlannedSpan retrieve = server.child(RECOMMENDATION, "retrieve context", SpanKind.INTERNAL, server.start + ms(0.5, 2));
          retrieve.end = retrieve.start + ms(10, 40);
          PlannedSpan completion = call(server, LLM_GATEWAY, "POST", "/v1/chat/completions", "/v1/chat/completions",
              retrieve.end + ms(0.3, 1), gateway -> llmCalls.chat(gateway, conversations.next(), slow, error));
          return new Reply(completion.end + ms(0.5, 2), completion.failed() ? 502 : 200);
        });
    return finish(root, answer.end + ms(1, 3), answer.failed() ? 500 : 200);
  }

  private PlannedSpan home() {
    PlannedSpan root = server(null, FRONTEND, "GET", "/", "/", 0);
    PlannedSpan trending = call(root, RECOMMENDATION, "GET", "/api/recommendations", "/api/recommendations?trending=true",
        root.start + ms(1, 3), server -> {
          PlannedSpan load = server.child(RECOMMENDATION, "load trending", SpanKind.INTERNAL, server.start + ms(0.3, 1));
          load.end = load.start + ms(2, 12);
          return new Reply(load.end + ms(0.2, 1), 200);
        });
    return finish(root, trending.end + ms(1, 5), 200);
  }

  /** A client span on {@code parent}'s service calling {@code target}, with the server span below it. */
  private PlannedSpan call(PlannedSpan parent, SimulatedService target, String method, String route, String path,
      long start, Function<PlannedSpan, Reply> work) {
    PlannedSpan client = parent.child(parent.service, method + " " + route, SpanKind.CLIENT, start);
    client.attributes.put("http.request.method", method).put("url.template", route)
        .put("server.address", target.serviceName()).put("server.port", 8080L)
        .put("url.full", "http://" + target.serviceName() + ":8080" + path);
    PlannedSpan server = server(client, target, method, route, path, start + ms(0.2, 1.5));
    Reply reply = work.apply(server);
    finish(server, reply.end(), reply.status());
    client.end = server.end + ms(0.2, 1.5);
    client.attributes.put("http.response.status_code", (long) reply.status());
    if (reply.status() >= 500) {
      client.attributes.put("error.type", Integer.toString(reply.status()));
      client.fail("");
    }
    return client;
  }

  private PlannedSpan server(PlannedSpan parent, SimulatedService service, String method, String route, String path,
      long start) {
    PlannedSpan server = parent == null
        ? new PlannedSpan(service, method + " " + route, SpanKind.SERVER, start)
        : parent.child(service, method + " " + route, SpanKind.SERVER, start);
    server.attributes.put("http.request.method", method).put("http.route", route).put("url.path", path)
        .put("url.scheme", "http").put("server.address", service.serviceName()).put("server.port", 8080L)
        .put("client.address", "10.42." + random.nextInt(4) + "." + (2 + random.nextInt(250)));
    if (service == FRONTEND) {
      server.attributes.put("user_agent.original",
          "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36");
    }
    return server;
  }

  /** Ends an HTTP server span with {@code status}; 5xx is an error, and the front end logs the request. */
  private PlannedSpan finish(PlannedSpan server, long end, int status) {
    server.end = end;
    server.attributes.put("http.response.status_code", (long) status);
    if (status >= 500) {
      server.attributes.put("error.type", Integer.toString(status));
      server.fail("");
    }
    if (server.service == FRONTEND) {
      server.log(end, status >= 500 ? Severity.ERROR : Severity.INFO,
          server.name + " " + status + " " + (end - server.start) / MS + " ms",
          Attributes.builder().put("http.response.status_code", (long) status).build());
    }
    return server;
  }

  private PlannedSpan database(PlannedSpan parent, String operation, String query, long start, long duration) {
    PlannedSpan span = parent.child(parent.service, operation + " shop.inventory", SpanKind.CLIENT, start);
    span.attributes.put("db.system.name", "postgresql").put("db.namespace", "shop")
        .put("db.operation.name", operation).put("db.collection.name", "inventory").put("db.query.text", query)
        .put("server.address", "postgres.shop.svc").put("server.port", 5432L);
    span.end = start + duration;
    return span;
  }

  /** What a failing service logs: a few ERROR records in quick succession (retries, then giving up). */
  private void errorBurst(PlannedSpan span, long at, String message) {
    int retries = 2 + random.nextInt(4);
    for (int i = 1; i <= retries; i++) {
      span.log(at + i * ms(1, 5), Severity.ERROR, message + " (attempt " + i + "/" + retries + ")",
          Attributes.builder().put("retry.attempt", (long) i).build());
    }
  }

  static String stack(String... frames) {
    StringBuilder text = new StringBuilder();
    for (String frame : frames) {
      text.append("\tat ").append(frame).append("(Unknown Source)\n");
    }
    return text.toString();
  }

  private long ms(double min, double max) {
    return millis(random, min, max);
  }

  /** A duration between {@code min} and {@code max} milliseconds, in nanoseconds. */
  static long millis(Random random, double min, double max) {
    return (long) ((min + random.nextDouble() * (max - min)) * MS);
  }
}
