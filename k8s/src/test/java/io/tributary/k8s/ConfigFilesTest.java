package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigFilesTest {

  /** The base's ConfigMaps start from the shipped defaults; an overlay changes them, the base never drifts. */
  @ParameterizedTest
  @ValueSource(strings = {"tributary-pipelines.yaml", "tributary-alert-rules.yaml"})
  void shouldShipTheJarsDefaultConfiguration(String file) throws IOException {
    String inBase = Files.readString(Overlay.K8S_DIR.resolve("base/config").resolve(file));
    try (InputStream shipped = getClass().getClassLoader().getResourceAsStream(file)) {
      assertThat(shipped).as("%s on the classpath", file).isNotNull();
      assertThat(inBase).isEqualTo(new String(shipped.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
