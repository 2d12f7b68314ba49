package io.tributary.platform.topics;

import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.ExitCodes;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.schemas.topics.TopicReport;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary topics create}: idempotent; creates what is missing and reports what differs. */
@Command(name = "create",
    description = {
      "Create the catalog's topics that are missing and check the existing ones (partitions, configs).",
      "Idempotent: running it again changes nothing. Existing topics are never altered: differences are reported."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every topic matches the catalog",
      "1:the cluster could not be reached or refused a request",
      "2:invalid options",
      "3:some existing topics differ from the catalog (listed in the report)"
    })
public final class TopicsCreateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--replication-factor", paramLabel = "N",
      description = "Replicas per partition of new topics (default: 3, or the number of brokers if fewer).")
  Integer replicationFactor;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Use N partitions for every topic instead of the catalog's counts (small clusters, tests).")
  Integer partitions;

  @Override
  public Integer call() {
    TopicSettings settings = settings();
    TopicReport report;
    try {
      report = CatalogTopicSetup.ensure(kafka.bootstrapServers(), settings);
    } catch (IllegalArgumentException e) {
      if (replicationFactor == null) {
        throw e;
      }
      // The installer checks the factor against the cluster's broker count.
      throw new ConfigException("--replication-factor " + replicationFactor + " does not fit the cluster ("
          + e.getMessage() + "): give at most the number of brokers, or leave it out", e);
    }
    spec.commandLine().getOut().println(report);
    spec.commandLine().getOut().flush();
    return report.matchesCatalog() ? ExitCodes.OK : ExitCodes.DIFFERENCES;
  }

  TopicSettings settings() {
    return new TopicSettings(atLeastOne("--replication-factor", replicationFactor), atLeastOne("--partitions", partitions));
  }

  private static OptionalInt atLeastOne(String option, Integer value) {
    if (value == null) {
      return OptionalInt.empty();
    }
    if (value < 1) {
      throw ConfigException.invalid(option, value, ">= 1");
    }
    return OptionalInt.of(value);
  }
}
