package io.tributary.platform.console;

import io.tributary.console.ConsoleConfig;
import io.tributary.gateway.ApiKeys;
import io.tributary.platform.RoleRunner;
import io.tributary.platform.Roles;
import io.tributary.platform.cli.CheckConfigOption;
import io.tributary.platform.cli.ConfigException;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.cli.Ports;
import io.tributary.platform.roles.RoleContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary console}: the web console against existing clusters and roles. */
@Command(name = "console",
    sortOptions = false,
    description = {
      "Run the web console: pipeline overview (throughput, lag, health), trace search and waterfall, LLM tokens and "
          + "cost, alerts. It reads Elasticsearch (the data streams the Elasticsearch sink writes), Kafka's admin API "
          + "and the roles' /metrics. `tributary dev` runs it on 127.0.0.1:8080.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped, or (--check-config) the configuration is valid",
      "1:failed to start or run, or (--check-config) the configuration is invalid",
      "2:invalid options or files (the message names the option and the fix)"
    })
public final class ConsoleCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  CheckConfigOption check;

  @Mixin
  KafkaOptions kafka;

  @Option(names = "--bind-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address the console binds (default: ${DEFAULT-VALUE}).")
  String bindAddress = "127.0.0.1";

  @Option(names = "--console-port", paramLabel = "PORT", defaultValue = "" + ConsoleConfig.DEFAULT_PORT,
      description = "HTTP port of the console (default: ${DEFAULT-VALUE}; 0 = any free port).")
  int port = ConsoleConfig.DEFAULT_PORT;

  @Option(names = "--elasticsearch-url", paramLabel = "URL", required = true,
      description = "The Elasticsearch cluster the Elasticsearch sink writes to.")
  URI elasticsearchUrl;

  @Option(names = "--connect-url", paramLabel = "URL",
      description = "Kafka Connect REST API, for the sinks' connector and task states (e.g. http://127.0.0.1:8083).")
  URI connectUrl;

  @Option(names = "--role", paramLabel = "NAME=URL",
      description = "A role's HTTP base URL serving /metrics and /health/ready, e.g. gateway=http://gw:4318 or "
          + "connect=http://connect:9467 (the sinks' delivered, retried and failed counts). Repeatable.")
  Map<String, URI> roles = new LinkedHashMap<>();

  @Option(names = "--api-keys-file", paramLabel = "FILE",
      description = "The gateway's API keys file: the console then asks for a key and shows only its tenant's data. "
          + "Without it, authentication is off and every tenant's data is shown.")
  Path apiKeysFile;

  @Override
  public Integer call() throws Exception {
    return RoleRunner.run(Roles.CONSOLE, spec, check, this::context);
  }

  RoleContext context() {
    Ports.checkPort("--console-port", port);
    String scheme = elasticsearchUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw ConfigException.invalid("--elasticsearch-url", "'" + elasticsearchUrl + "'", "an http:// or https:// URL");
    }
    Map<String, String> tenants = Map.of();
    if (apiKeysFile != null) {
      try {
        tenants = ApiKeys.load(apiKeysFile).tenantsByKey();
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException("--api-keys-file: " + e.getMessage(), e);
      }
    }
    return new RoleContext().put(ConsoleRole.SETTINGS, new ConsoleSettings(bindAddress, port,
        Optional.of(elasticsearchUrl), Optional.of(kafka.bootstrapServers()), Optional.ofNullable(connectUrl), roles,
        tenants));
  }
}
