package io.tributary.embedded.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedElasticsearchTest {

  @TempDir
  Path tmp;

  @Test
  void shouldConfigureOneNodeBoundToTheHostWithoutSecurity() throws IOException {
    Path node = open(tmp.resolve("open")).resolve("node");
    EmbeddedElasticsearch es = EmbeddedElasticsearch.builder().distribution(tmp.resolve("es.zip")).assumeRoot(false)
        .httpPort(19201).transportPort(19301).dataDir(node).clusterName("dev").setting("action.auto_create_index", "true")
        .build();

    assertThat(es.httpUrl()).hasToString("http://127.0.0.1:19201");
    assertThat(es.dataDir()).isEqualTo(node.toAbsolutePath());
    assertThat(es.elasticsearchYml()).contains(
        "cluster.name: \"dev\"\n",
        "network.host: \"127.0.0.1\"\n",
        "http.port: \"19201\"\n",
        "transport.port: \"19301\"\n",
        "discovery.type: \"single-node\"\n",
        "xpack.security.enabled: \"false\"\n",
        "path.data: \"" + node.toAbsolutePath().resolve("data") + "\"\n",
        "path.logs: \"" + node.toAbsolutePath().resolve("logs") + "\"\n",
        "action.auto_create_index: \"true\"\n");
  }

  @Test
  void shouldPickFreePortsOnceWhenAskedForPortZero() {
    EmbeddedElasticsearch es = EmbeddedElasticsearch.builder().distribution(tmp.resolve("es.zip")).assumeRoot(false)
        .httpPort(0).build();

    assertThat(es.httpPort()).isPositive().isEqualTo(es.httpUrl().getPort());
    assertThat(es.transportPort()).isPositive().isNotEqualTo(es.httpPort());
  }

  @Test
  void shouldUseADirectoryUid65534CanReachWhenTheAskedOneIsBehindAPrivateParent() throws IOException {
    Path privateParent = Files.createDirectories(tmp.resolve("home"));
    Files.setPosixFilePermissions(privateParent, PosixFilePermissions.fromString("rwx------"));
    Path wanted = privateParent.resolve("data");

    EmbeddedElasticsearch asRoot = EmbeddedElasticsearch.builder().distribution(tmp.resolve("es.zip"))
        .assumeRoot(true).dataDir(wanted).installDir(open(tmp.resolve("install"))).build();
    EmbeddedElasticsearch notRoot = EmbeddedElasticsearch.builder().distribution(tmp.resolve("es.zip"))
        .assumeRoot(false).dataDir(wanted).build();

    assertThat(asRoot.dataDir()).isNotEqualTo(wanted.toAbsolutePath())
        .satisfies(d -> assertThat(d.toString()).matches("(/var/tmp|/tmp)/tributary-elasticsearch/node-[0-9a-f]{12}"));
    assertThat(EmbeddedElasticsearch.builder().distribution(tmp.resolve("es.zip")).assumeRoot(true).dataDir(wanted)
        .build().dataDir()).as("the same stand-in every time, so the data survives restarts").isEqualTo(asRoot.dataDir());
    assertThat(notRoot.dataDir()).isEqualTo(wanted.toAbsolutePath());
  }

  @Test
  void shouldReportTheBlockingDirectoryOnlyForRoot() throws IOException {
    Path privateDir = Files.createDirectories(tmp.resolve("private"));
    Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));
    Path openDir = open(tmp.resolve("open"));

    assertThat(UnprivilegedUser.assumingRoot(true).blockedAncestor(privateDir.resolve("x")))
        .hasValueSatisfying(v -> assertThat(v).startsWith(privateDir.toString()).contains("mode 0700"));
    assertThat(UnprivilegedUser.assumingRoot(true).blockedAncestor(openDir.resolve("x/y"))).isEmpty();
    assertThat(UnprivilegedUser.assumingRoot(false).blockedAncestor(privateDir.resolve("x"))).isEmpty();
    assertThat(UnprivilegedUser.assumingRoot(true).commandPrefix())
        .containsExactly("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    assertThat(UnprivilegedUser.assumingRoot(false).commandPrefix()).isEmpty();
  }

  @Test
  void shouldUnpackTheDistributionOnceWithExecutableScripts() throws IOException {
    Path zip = tmp.resolve("elasticsearch-9.5.3.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      put(out, "elasticsearch-9.5.3/bin/elasticsearch", "#!/bin/bash\n");
      put(out, "elasticsearch-9.5.3/config/jvm.options", "-XX:+UseG1GC\n");
    }
    Path root = tmp.resolve("install");

    Path home = Distribution.unpack(zip, root);
    Files.writeString(home.resolve("config/jvm.options"), "changed\n");
    Path again = Distribution.unpack(zip, root);

    assertThat(home).isEqualTo(root.resolve("elasticsearch-9.5.3"));
    assertThat(home.resolve("bin/elasticsearch")).isExecutable();
    assertThat(again).isEqualTo(home);
    assertThat(home.resolve("config/jvm.options")).as("not unpacked twice").hasContent("changed");
    try (var entries = Files.list(root)) {
      assertThat(entries).as("no staging directory left").contains(home)
          .noneMatch(p -> p.getFileName().toString().contains(".unpacking-"));
    }
  }

  @Test
  void shouldRefuseBadSettingsNamingThem() {
    assertThatThrownBy(() -> EmbeddedElasticsearch.builder().heap("lots")).hasMessageContaining("heap: lots");
    assertThatThrownBy(() -> EmbeddedElasticsearch.builder().httpPort(70000)).hasMessageContaining("httpPort: 70000");
    assertThatThrownBy(() -> EmbeddedElasticsearch.builder().version("9")).hasMessageContaining("version: 9");
    assertThatThrownBy(() -> EmbeddedElasticsearch.builder().build()).hasMessageContaining("download(cacheDir)");
    assertThat(Distribution.centralUrl("9.5.3")).hasToString("https://repo1.maven.org/maven2/org/elasticsearch/"
        + "distribution/integ-test-zip/elasticsearch/9.5.3/elasticsearch-9.5.3.zip");
  }

  @Test
  void shouldBeReadyOnceTheClusterIsYellowOrGreen() {
    assertThat(EmbeddedElasticsearch.clusterHealth(200, "{\"status\":\"green\"}")).isNull();
    assertThat(EmbeddedElasticsearch.clusterHealth(200, "{\"status\":\"yellow\"}")).isNull();
    assertThat(EmbeddedElasticsearch.clusterHealth(200, "{\"status\":\"red\"}")).isEqualTo("cluster health red");
    assertThat(EmbeddedElasticsearch.clusterHealth(503, "")).isEqualTo("cluster health HTTP 503");
    assertThat(EmbeddedElasticsearch.clusterHealth(200, "not json")).contains("JsonParseException");
  }

  @Test
  void shouldSayWhereToGetAMissingDistribution() {
    EmbeddedElasticsearch es = EmbeddedElasticsearch.builder().distribution(tmp.resolve("missing.zip"))
        .assumeRoot(false).httpPort(0).dataDir(tmp.resolve("node")).installDir(tmp.resolve("install")).build();

    assertThatThrownBy(es::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing.zip does not exist")
        .hasMessageContaining("org.elasticsearch.distribution.integ-test-zip:elasticsearch:9.5.3:zip");
  }

  private static Path open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  private static void put(ZipOutputStream out, String name, String content) throws IOException {
    out.putNextEntry(new ZipEntry(name));
    OutputStream o = out;
    o.write(content.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }
}
