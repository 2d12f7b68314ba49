package io.tributary.platform.elasticsearch;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code dev}'s Elasticsearch comes from.
 *
 * @param external an existing cluster to use instead of starting one
 * @param host the embedded node's address
 * @param httpPort its HTTP port (0: a free one)
 * @param directory its home: the unpacked distribution and the node's data
 * @param downloadCache where the downloaded distribution zip is kept, outside the data directory so
 *     that deleting the data does not download it again
 * @param distribution a distribution zip already on disk, instead of downloading it
 * @param heap the node's heap, e.g. {@code 512m}
 */
public record ElasticsearchSettings(
    Optional<URI> external, String host, int httpPort, Path directory, Path downloadCache, Optional<Path> distribution,
    String heap) {

  public static final String DEFAULT_DIRECTORY = "data/elasticsearch";
  public static final String DEFAULT_HEAP = "512m";

  /** {@code $XDG_CACHE_HOME/tributary}, else {@code ~/.cache/tributary}: shared by every checkout and data directory. */
  public static Path defaultDownloadCache(java.util.function.Function<String, String> environment) {
    String xdg = environment.apply("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("tributary");
  }

  /** The URL the sink writes to: the external cluster's, or the embedded node's. */
  public URI url() {
    return external.orElseGet(() -> URI.create("http://" + host + ":" + httpPort));
  }
}
