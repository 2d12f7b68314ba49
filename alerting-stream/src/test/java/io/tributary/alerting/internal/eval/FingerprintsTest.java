package io.tributary.alerting.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FingerprintsTest {

  @Test
  void shouldNotDependOnLabelOrder() {
    Map<String, String> one = new LinkedHashMap<>();
    one.put("alertname", "HighErrorRatio");
    one.put("service_name", "checkout");
    Map<String, String> other = new LinkedHashMap<>();
    other.put("service_name", "checkout");
    other.put("alertname", "HighErrorRatio");

    assertThat(Fingerprints.of("acme", one)).isEqualTo(Fingerprints.of("acme", other)).matches("[0-9a-f]{16}");
  }

  @Test
  void shouldTellTenantsAndLabelSetsApart() {
    Map<String, String> labels = Map.of("alertname", "A", "x", "y");

    assertThat(Fingerprints.of("acme", labels)).isNotEqualTo(Fingerprints.of("other", labels));
    assertThat(Fingerprints.of("acme", Map.of("alertname", "A", "x", "yz")))
        .isNotEqualTo(Fingerprints.of("acme", Map.of("alertname", "A", "xy", "z")));
  }

  @Test
  void shouldStayTheSameAcrossVersions() {
    // Changing this value changes every alert's identity in Alertmanager and in the alerts topic.
    assertThat(Fingerprints.of("acme", Map.of("alertname", "HighErrorRatio", "service_name", "checkout")))
        .isEqualTo("c453a8648dcb093b");
  }
}
