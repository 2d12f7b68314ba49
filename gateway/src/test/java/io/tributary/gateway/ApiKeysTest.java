package io.tributary.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

  @TempDir
  Path dir;

  private Path file(String content) throws IOException {
    Path file = dir.resolve("api-keys.yaml");
    Files.writeString(file, content);
    return file;
  }

  @Test
  void shouldReadYamlAndPropertiesLinesWithCommentsAndQuotes() throws Exception {
    Path file = file("""
        ---
        # api key: tenant
        4f1c0e8a9b7d46e2a1c3: team-payments   # the payments team
        9b2d7e11c04a4f5f8e6d = team-search
        ! a properties comment
        "c2VjcmV0a2V5==": 'team.ops_1'

        'key:with=separators' : "tenant-x"
        """);

    assertThat(ApiKeys.load(file).tenantsByKey()).containsExactly(
        Map.entry("4f1c0e8a9b7d46e2a1c3", "team-payments"),
        Map.entry("9b2d7e11c04a4f5f8e6d", "team-search"),
        Map.entry("c2VjcmV0a2V5==", "team.ops_1"),
        Map.entry("key:with=separators", "tenant-x"));
  }

  @Test
  void shouldNameTheFileAndLineOfEveryError() throws Exception {
    assertThatThrownBy(() -> ApiKeys.load(file("a: t1\nno separator here\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(dir.resolve("api-keys.yaml") + ":2: expected '<api key>: <tenant>', '<api key> = <tenant>' or"
            + " 'tenant <tenant>: <limit>'");
    assertThatThrownBy(() -> ApiKeys.load(file("key-one: bad tenant!\n")))
        .hasMessageStartingWith(dir.resolve("api-keys.yaml") + ":1: tenant: 'bad tenant!'");
    assertThatThrownBy(() -> ApiKeys.load(file("k1: a\nk2: b\nk1: c\n")))
        .hasMessage(dir.resolve("api-keys.yaml") + ":3: duplicate API key (first on line 1)");
    assertThatThrownBy(() -> ApiKeys.load(file("tenants:\n  k1: a\n")))
        .hasMessageContaining("api-keys.yaml:1: ");
    assertThatThrownBy(() -> ApiKeys.load(file("k1: a\n  k2: b\n")))
        .hasMessageContaining("api-keys.yaml:2: indented line");
    assertThatThrownBy(() -> ApiKeys.load(file(": tenant\n")))
        .hasMessageContaining("api-keys.yaml:1: api key");
  }

  @Test
  void shouldRefuseAFileWithoutKeys() throws Exception {
    assertThatThrownBy(() -> ApiKeys.load(file("# nothing yet\n\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds no keys");
  }

  @Test
  void shouldNameAMissingFile() {
    Path missing = dir.resolve("missing.yaml");
    assertThatThrownBy(() -> ApiKeys.load(missing)).isInstanceOf(IOException.class).hasMessageContaining(missing.toString());
  }

  @Test
  void shouldReadTenantLimitsBesideTheKeys() throws Exception {
    Path file = file("""
        4f1c0e8a9b7d46e2a1c3: team-payments
        tenant = team-search
        tenant team-payments: 20000 items/s, 16MiB/s   # payments sends a lot
        tenant team-search = 1MB/s
        tenant *: 500 items/s
        tenant team-ops: unlimited
        """);

    ApiKeys keys = ApiKeys.load(file);

    assertThat(keys.tenantsByKey()).as("a key named 'tenant' is still a key").containsExactly(
        Map.entry("4f1c0e8a9b7d46e2a1c3", "team-payments"), Map.entry("tenant", "team-search"));
    assertThat(keys.tenantLimits()).containsExactly(
        Map.entry("team-payments", new TenantLimit(20_000, 16L * 1024 * 1024)),
        Map.entry("team-search", TenantLimit.bytes(1_000_000)),
        Map.entry(ApiKeys.ANY_TENANT, TenantLimit.items(500)),
        Map.entry("team-ops", TenantLimit.UNLIMITED));
    assertThat(keys.file()).isEqualTo(file);
  }

  @Test
  void shouldNameTheLineOfABadLimit() {
    assertThatThrownBy(() -> ApiKeys.load(file("k1: a\ntenant a: 20000 spans/s\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(dir.resolve("api-keys.yaml") + ":2: limit: '20000 spans/s' (expected: '<n> items/s'");
    assertThatThrownBy(() -> ApiKeys.load(file("k1: a\ntenant a: 0 items/s\n")))
        .hasMessageStartingWith(dir.resolve("api-keys.yaml") + ":2: limit: '0 items/s' (expected: rates >= 1");
    assertThatThrownBy(() -> ApiKeys.load(file("k1: a\ntenant a: 1 items/s\ntenant a: 2 items/s\n")))
        .hasMessage(dir.resolve("api-keys.yaml") + ":3: second limit of tenant a (first on line 2)");
    assertThatThrownBy(() -> ApiKeys.load(file("k1: a\ntenant bad!: 1 items/s\n")))
        .hasMessageStartingWith(dir.resolve("api-keys.yaml") + ":2: tenant: 'bad!'");
  }
}
