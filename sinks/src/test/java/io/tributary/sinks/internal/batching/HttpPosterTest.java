package io.tributary.sinks.internal.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poster against a real HTTP server on loopback (the JDK's), and against sockets that never answer. */
class HttpPosterTest {

  private static final HttpPoster.Classifier STATUS = a -> a.status() / 100 == 2 ? SendOutcome.DELIVERED
      : a.status() == 503 ? HttpPoster.retry(a, "HTTP 503: " + HttpPoster.message(a))
      : new SendOutcome.Reject("HTTP " + a.status() + ": " + HttpPoster.message(a));

  private HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A server answering {@code status} with {@code body} and {@code headers}, recording what it got. */
  private URI serve(int status, String body, Map<String, String> headers) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/write", exchange -> {
      byte[] in = exchange.getRequestBody().readAllBytes();
      received.add(exchange.getRequestHeaders().getFirst("X-Scope-OrgID") + "|"
          + exchange.getRequestHeaders().getFirst("Authorization") + "|" + new String(in, StandardCharsets.UTF_8));
      headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] out = body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/write");
  }

  private static HttpPoster poster(Duration requestTimeout) {
    return new HttpPoster(Duration.ofSeconds(2), requestTimeout, Map.of("Authorization", "Bearer t0ken"));
  }

  @Test
  void shouldSendTheGivenBytesWithTheCommonAndRequestHeadersOverOneConnection() throws IOException {
    URI uri = serve(204, "", Map.of());
    byte[] buffer = "first-request|ignored tail".getBytes(StandardCharsets.UTF_8);
    try (HttpPoster poster = poster(Duration.ofSeconds(10))) {
      for (int i = 0; i < 3; i++) {
        assertThat(poster.post(uri, buffer, "first-request".length(), Map.of("X-Scope-OrgID", "team-" + i), STATUS))
            .isEqualTo(SendOutcome.DELIVERED);
      }
    }
    assertThat(received).containsExactly("team-0|Bearer t0ken|first-request", "team-1|Bearer t0ken|first-request",
        "team-2|Bearer t0ken|first-request");
  }

  @Test
  void shouldHandTheStatusBodyAndRetryAfterToTheClassifier() throws IOException {
    URI uri = serve(503, "  overloaded, slow down  ", Map.of("Retry-After", "7"));
    try (HttpPoster poster = poster(Duration.ofSeconds(10))) {
      assertThat(poster.post(uri, new byte[] {1}, Map.of(), STATUS))
          .isEqualTo(new SendOutcome.Retry("HTTP 503: overloaded, slow down", Optional.of(Duration.ofSeconds(7))));
    }
  }

  @Test
  void shouldStopAtRefusedCredentialsWhateverTheClassifierSays() throws IOException {
    URI uri = serve(401, "bad token", Map.of());
    try (HttpPoster poster = poster(Duration.ofSeconds(10))) {
      assertThat(poster.post(uri, new byte[] {1}, Map.of(), a -> SendOutcome.DELIVERED))
          .isInstanceOfSatisfying(SendOutcome.Fatal.class, f -> assertThat(f.reason())
              .contains("answered 401: bad token").contains("check the connector's URL and credentials"));
    }
  }

  @Test
  void shouldRetryWhenNothingListens() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (HttpPoster poster = poster(Duration.ofSeconds(10))) {
      assertThat(poster.post(URI.create("http://127.0.0.1:" + port + "/write"), new byte[] {1}, Map.of(), STATUS))
          .isInstanceOfSatisfying(SendOutcome.Retry.class, r -> assertThat(r.reason()).contains("not reachable"));
    }
  }

  @Test
  void shouldRetryARequestTheStoreDoesNotAnswerWithinTheRequestTimeout() throws Exception {
    try (SilentServer silent = new SilentServer(); HttpPoster poster = poster(Duration.ofMillis(300))) {
      assertThat(poster.post(silent.uri(), new byte[] {1, 2, 3}, Map.of(), STATUS))
          .isInstanceOfSatisfying(SendOutcome.Retry.class, r -> assertThat(r.reason())
              .endsWith("did not answer within 300 ms (request.timeout.ms)"));
      assertThat(silent.bytesRead.get()).as("the request was sent before the wait").isPositive();
    }
  }

  @Test
  void shouldEndARequestInFlightWhenClosed() throws Exception {
    try (SilentServer silent = new SilentServer()) {
      HttpPoster poster = poster(Duration.ofMinutes(5));
      CompletableFuture<SendOutcome> outcome = CompletableFuture.supplyAsync(
          () -> poster.post(silent.uri(), new byte[] {1}, Map.of(), STATUS));
      assertThat(silent.accepted.await(10, TimeUnit.SECONDS)).isTrue();

      poster.close();

      // Far below the 5 minutes the store could otherwise hold the request for.
      await().atMost(Duration.ofSeconds(10)).until(outcome::isDone);
      assertThat(outcome.get()).isInstanceOf(SendOutcome.Retry.class);
    }
  }

  /** Accepts connections and reads what comes, never answering. */
  private static final class SilentServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final CountDownLatch accepted = new CountDownLatch(1);
    final AtomicLong bytesRead = new AtomicLong();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SilentServer() throws IOException {
      acceptor = Thread.ofPlatform().daemon().start(() -> {
        try {
          while (true) {
            Socket s = socket.accept();
            open.add(s);
            accepted.countDown();
            Thread.ofPlatform().daemon().start(() -> drain(s));
          }
        } catch (IOException e) {
          // closed
        }
      });
    }

    private void drain(Socket s) {
      try (InputStream in = s.getInputStream()) {
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) >= 0) {
          bytesRead.addAndGet(n);
        }
      } catch (IOException e) {
        // closed
      }
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/write");
    }

    @Override
    public void close() throws Exception {
      socket.close();
      for (Socket s : open) {
        s.close();
      }
      acceptor.join(5_000);
    }
  }
}
