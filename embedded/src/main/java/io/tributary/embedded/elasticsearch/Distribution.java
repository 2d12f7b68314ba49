package io.tributary.embedded.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Elasticsearch distribution zip from Maven Central ({@code
 * org.elasticsearch.distribution.integ-test-zip:elasticsearch:VERSION:zip}): downloaded once into a
 * cache directory (checked against the SHA-512 Central publishes next to it, else its SHA-1) and
 * unpacked once into an install directory.
 */
final class Distribution {

  private static final Logger log = LoggerFactory.getLogger(Distribution.class);
  static final String CENTRAL = "https://repo1.maven.org/maven2/";
  private static final String UNPACKED_MARKER = ".tributary-unpacked";

  private Distribution() {}

  static String fileName(String version) {
    return "elasticsearch-" + version + ".zip";
  }

  static URI centralUrl(String version) {
    return URI.create(CENTRAL + "org/elasticsearch/distribution/integ-test-zip/elasticsearch/" + version + "/"
        + fileName(version));
  }

  /** The zip in {@code cacheDir}, downloaded from Maven Central first if it is not there yet. */
  static Path download(String version, Path cacheDir) {
    return download(centralUrl(version), version, cacheDir);
  }

  /** The zip in {@code cacheDir}, downloaded from {@code url} first (verified by its published checksum). */
  static Path download(URI url, String version, Path cacheDir) {
    Path zip = cacheDir.resolve(fileName(version));
    if (Files.isRegularFile(zip)) {
      return zip;
    }
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(Duration.ofSeconds(30)).build();
    try {
      Files.createDirectories(cacheDir);
      Checksum expected = fetchChecksum(http, url);
      Path partial = Files.createTempFile(cacheDir, fileName(version), ".part");
      try {
        log.info("Downloading Elasticsearch {} from {} into {}", version, url, cacheDir);
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
          response.body().close();
          throw new IOException("HTTP " + response.statusCode() + " from " + url);
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        MessageDigest digest = MessageDigest.getInstance(expected != null ? expected.algorithm() : "SHA-512");
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(partial)) {
          byte[] buf = new byte[1 << 16];
          long done = 0;
          int lastDecile = 0;
          for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            digest.update(buf, 0, n);
            done += n;
            int decile = total > 0 ? (int) (done * 10 / total) : 0;
            if (decile > lastDecile) {
              lastDecile = decile;
              log.info("Downloading Elasticsearch {}: {}% ({} of {} MB)", version, decile * 10,
                  done >> 20, total >> 20);
            }
          }
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (expected != null && !expected.hex().equalsIgnoreCase(actual)) {
          throw new IOException(expected.algorithm() + " of the download is " + actual + " but Maven Central says "
              + expected.hex());
        }
        Files.move(partial, zip, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log.info("Elasticsearch {} downloaded to {}", version, zip);
        return zip;
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Downloading Elasticsearch " + version + " from " + url + " failed: "
          + e.getMessage() + ". Download it by hand into " + cacheDir + " or pass its path to the builder.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while downloading Elasticsearch", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A published checksum: the algorithm's {@link MessageDigest} name and the hex digest. */
  record Checksum(String algorithm, String hex) {}

  /** The strongest checksum Central publishes for {@code url} (SHA-512, else SHA-1), or null with a warning. */
  static Checksum fetchChecksum(HttpClient http, URI url) throws IOException, InterruptedException {
    for (String[] kind : new String[][] {{"sha512", "SHA-512"}, {"sha1", "SHA-1"}}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "." + kind[0])).GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
      if (r.statusCode() == 200 && !r.body().isBlank()) {
        return new Checksum(kind[1], r.body().trim().split("\\s+")[0]);
      }
    }
    log.warn("No .sha512 or .sha1 published for {}; the download is not verified", url);
    return null;
  }

  /**
   * Unpacks {@code zip} under {@code installRoot} unless an earlier run finished doing so, and
   * returns the Elasticsearch home ({@code installRoot/elasticsearch-VERSION}).
   */
  static Path unpack(Path zip, Path installRoot) {
    try (ZipFile zf = new ZipFile(zip.toFile())) {
      String top = topDirectory(zf);
      Path home = installRoot.resolve(top);
      if (Files.exists(home.resolve(UNPACKED_MARKER))) {
        return home;
      }
      Files.createDirectories(installRoot);
      // Another JVM (a parallel test run, a second `tributary dev`) may be unpacking the same zip.
      try (FileChannel lockFile = FileChannel.open(installRoot.resolve(".unpack.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE)) {
        FileLock lock = lockFile.lock();
        try {
          if (Files.exists(home.resolve(UNPACKED_MARKER))) {
            return home;
          }
          return unpackLocked(zf, zip, top, installRoot, home);
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Unpacking " + zip + " into " + installRoot + " failed: " + e.getMessage(), e);
    }
  }

  private static Path unpackLocked(ZipFile zf, Path zip, String top, Path installRoot, Path home) throws IOException {
    Path staging = Files.createTempDirectory(installRoot, top + ".unpacking-");
    try {
      long started = System.nanoTime();
      log.info("Unpacking {} into {}", zip.getFileName(), installRoot);
      for (ZipEntry e : java.util.Collections.list(zf.entries())) {
        Path target = staging.resolve(e.getName()).normalize();
        if (!target.startsWith(staging)) {
          throw new IOException("zip entry outside the install directory: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          try (InputStream in = zf.getInputStream(e)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      // java.util.zip drops Unix modes; the launch scripts are the only files that must be executable.
      try (Stream<Path> bins = Files.list(staging.resolve(top).resolve("bin"))) {
        for (Path b : (Iterable<Path>) bins::iterator) {
          b.toFile().setExecutable(true, false);
        }
      }
      deleteRecursively(home); // a half-finished earlier attempt
      Files.move(staging.resolve(top), home, StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(home.resolve(UNPACKED_MARKER), zip.toString());
      log.info("Unpacked Elasticsearch into {} in {} s", home, (System.nanoTime() - started) / 1_000_000_000);
      return home;
    } finally {
      deleteRecursively(staging);
    }
  }

  private static String topDirectory(ZipFile zf) throws IOException {
    Set<String> tops = zf.stream().map(e -> e.getName().split("/", 2)[0])
        .collect(java.util.stream.Collectors.toSet());
    if (tops.size() != 1) {
      throw new IOException("expected one top directory in " + zf.getName() + ", found " + tops);
    }
    return tops.iterator().next();
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("Could not delete {}", dir, e);
    }
  }
}
