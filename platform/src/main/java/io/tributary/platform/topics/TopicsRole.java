package io.tributary.platform.topics;

import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.roles.RoleContext;
import io.tributary.schemas.topics.TopicReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the catalog's topics missing on the cluster before the roles that use them start. */
public final class TopicsRole {

  private static final Logger log = LoggerFactory.getLogger(TopicsRole.class);

  /** How to create the topics (default: {@link TopicSettings#DEFAULT}). */
  public static final RoleContext.Key<TopicSettings> SETTINGS = RoleContext.Key.of("topic settings", TopicSettings.class);

  private TopicsRole() {}

  public static AutoCloseable start(RoleContext context) {
    TopicSettings settings = context.find(SETTINGS).orElse(TopicSettings.DEFAULT);
    TopicReport report = CatalogTopicSetup.ensure(context.require(KafkaOptions.BOOTSTRAP_SERVERS), settings);
    // The installer itself warns about differences; they do not stop the platform.
    log.info("Catalog topics: {} created, {} already there, {} differences", report.created().size(),
        report.upToDate().size(), report.differences().size());
    return () -> {};
  }
}
