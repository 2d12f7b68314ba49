package io.tributary.platform.elasticsearch;

import io.tributary.embedded.elasticsearch.EmbeddedElasticsearch;
import io.tributary.platform.roles.RoleContext;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts {@code dev}'s single-node Elasticsearch (downloaded from Maven Central on first use),
 * unless an existing cluster is given; publishes the URL the Elasticsearch sink writes to.
 */
public final class ElasticsearchRole {

  private static final Logger log = LoggerFactory.getLogger(ElasticsearchRole.class);

  public static final RoleContext.Key<ElasticsearchSettings> SETTINGS =
      RoleContext.Key.of("elasticsearch settings", ElasticsearchSettings.class);
  /** The cluster's URL (published once it answers). */
  public static final RoleContext.Key<URI> URL = RoleContext.Key.of("elasticsearch url", URI.class);

  private ElasticsearchRole() {}

  public static AutoCloseable start(RoleContext context) {
    ElasticsearchSettings settings = context.find(SETTINGS).orElse(null);
    if (settings == null) {
      return () -> {};
    }
    if (settings.external().isPresent()) {
      log.info("Elasticsearch: using {} (no embedded node)", settings.external().get());
      context.put(URL, settings.external().get());
      return () -> {};
    }
    EmbeddedElasticsearch.Builder builder = EmbeddedElasticsearch.builder()
        .host(settings.host())
        .httpPort(settings.httpPort())
        .heap(settings.heap())
        .installDir(settings.directory().resolve("dist"))
        .dataDir(settings.directory().resolve("node"))
        .download(settings.downloadCache());
    settings.distribution().ifPresent(builder::distribution);
    log.info("Starting Elasticsearch on {}:{} (first start downloads and unpacks it: about a minute)",
        settings.host(), settings.httpPort());
    EmbeddedElasticsearch node = builder.build().start();
    context.put(URL, node.httpUrl());
    return node::stop;
  }
}
