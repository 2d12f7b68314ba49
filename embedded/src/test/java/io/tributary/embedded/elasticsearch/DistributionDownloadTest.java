package io.tributary.embedded.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution download against a local HTTP server laid out like Maven Central: verified by
 * the published {@code .sha512} when there is one, else the {@code .sha1}; a mismatch keeps nothing.
 */
class DistributionDownloadTest {

  private static final byte[] ZIP = "not really a zip, but bytes to check".getBytes(StandardCharsets.UTF_8);
  private static final String PATH = "/maven2/elasticsearch-9.5.3.zip";

  @TempDir
  Path cache;

  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = files.get(exchange.getRequestURI().getPath());
      exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
      if (body != null) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void shouldVerifyAgainstThePublishedSha512() throws Exception {
    files.put(PATH, ZIP);
    files.put(PATH + ".sha512", (hex("SHA-512") + "  elasticsearch-9.5.3.zip\n").getBytes(StandardCharsets.US_ASCII));
    files.put(PATH + ".sha1", "0000".getBytes(StandardCharsets.US_ASCII));

    Path zip = Distribution.download(url(), "9.5.3", cache);

    assertThat(zip).hasBinaryContent(ZIP).hasParent(cache);
  }

  @Test
  void shouldFallBackToTheSha1AndRefuseAMismatch() throws Exception {
    files.put(PATH, ZIP);
    files.put(PATH + ".sha1", "0123456789abcdef0123456789abcdef01234567".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(() -> Distribution.download(url(), "9.5.3", cache))
        .hasMessageContaining("SHA-1 of the download is " + hex("SHA-1"))
        .hasMessageContaining("but Maven Central says 0123456789abcdef0123456789abcdef01234567");
    try (var left = Files.list(cache)) {
      assertThat(left).as("nothing kept after a mismatch").isEmpty();
    }
  }

  @Test
  void shouldNotDownloadAgainWhatTheCacheHolds() throws Exception {
    files.put(PATH, ZIP);
    Distribution.download(url(), "9.5.3", cache);
    files.clear();

    assertThat(Distribution.download(url(), "9.5.3", cache)).hasBinaryContent(ZIP);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  private static String hex(String algorithm) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(ZIP));
  }
}
