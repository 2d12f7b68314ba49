package io.tributary.sinks.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An HTTP endpoint in the test that keeps every JSON notification POSTed to it (Alertmanager's webhook receiver). */
final class WebhookReceiver implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();

  WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      try (exchange) {
        notifications.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
        exchange.sendResponseHeaders(200, -1);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** Notifications whose status is {@code status} (firing or resolved). */
  List<JsonNode> withStatus(String status) {
    return notifications.stream().filter(n -> status.equals(n.path("status").asText())).toList();
  }

  List<JsonNode> all() {
    return List.copyOf(notifications);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
