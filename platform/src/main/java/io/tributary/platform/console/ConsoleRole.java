package io.tributary.platform.console;

import io.tributary.console.ConsoleConfig;
import io.tributary.console.ConsoleServer;
import io.tributary.platform.Roles;
import io.tributary.platform.alerting.AlertingRole;
import io.tributary.platform.cli.KafkaOptions;
import io.tributary.platform.connect.ConnectRole;
import io.tributary.platform.elasticsearch.ElasticsearchRole;
import io.tributary.platform.gateway.GatewayRole;
import io.tributary.platform.kafka.EmbeddedKafkaRole;
import io.tributary.platform.processor.ProcessorRole;
import io.tributary.platform.roles.RoleContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the web console. It starts after the other services, so in {@code dev} it finds them all in
 * the context: nothing has to be configured twice.
 */
public final class ConsoleRole {

  public static final RoleContext.Key<ConsoleSettings> SETTINGS =
      RoleContext.Key.of("console settings", ConsoleSettings.class);
  /** Where a browser opens the console (published by this role). */
  public static final RoleContext.Key<URI> URL = RoleContext.Key.of("console url", URI.class);

  private ConsoleRole() {}

  public static AutoCloseable start(RoleContext context) {
    ConsoleSettings settings = context.require(SETTINGS);
    ConsoleServer console = ConsoleServer.start(config(settings, context));
    context.put(URL, console.url());
    return console;
  }

  static ConsoleConfig config(ConsoleSettings settings, RoleContext context) {
    Map<String, URI> roles = new LinkedHashMap<>();
    context.find(GatewayRole.GATEWAY).ifPresent(gateway -> roles.put(Roles.GATEWAY, URI.create("http://"
        + context.find(GatewayRole.CONFIG).map(c -> c.bindAddress()).orElse("127.0.0.1") + ":" + gateway.httpPort())));
    context.find(ProcessorRole.HTTP_ADDRESS).ifPresent(a -> roles.put(Roles.PROCESSOR, http(a)));
    context.find(AlertingRole.HTTP_ADDRESS).ifPresent(a -> roles.put(Roles.ALERTING, http(a)));
    context.find(ConnectRole.HTTP_ADDRESS).ifPresent(a -> roles.put(Roles.CONNECT, http(a)));
    roles.putAll(settings.roles());
    return new ConsoleConfig(settings.host(), settings.port(),
        settings.elasticsearch().or(() -> context.find(ElasticsearchRole.URL)),
        settings.bootstrapServers().or(() -> context.find(EmbeddedKafkaRole.BROKER).map(b -> b.bootstrapServers()))
            .or(() -> context.find(KafkaOptions.BOOTSTRAP_SERVERS)),
        settings.connect().or(() -> context.find(ConnectRole.REST_URL)),
        roles, settings.tenantsByKey(), ConsoleConfig.DEFAULT_SAMPLE_INTERVAL);
  }

  private static URI http(InetSocketAddress address) {
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }
}
