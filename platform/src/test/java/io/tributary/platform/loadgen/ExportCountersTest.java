package io.tributary.platform.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.tributary.schemas.Signal;
import org.junit.jupiter.api.Test;

class ExportCountersTest {

  private final ExportCounters counters = new ExportCounters();

  @Test
  void shouldCountDeliveredAndFailedItemsPerSignal() {
    counters.track(Signal.TRACES, 5, CompletableResultCode.ofSuccess());
    counters.track(Signal.LOGS, 3, CompletableResultCode.ofSuccess());
    counters.track(Signal.METRICS, 7, CompletableResultCode.ofFailure());

    assertThat(counters.exported(Signal.TRACES)).isEqualTo(5);
    assertThat(counters.exported(Signal.LOGS)).isEqualTo(3);
    assertThat(counters.exported(Signal.METRICS)).isZero();
    assertThat(counters.failedItems(Signal.METRICS)).isEqualTo(7);
    assertThat(counters.failedExports()).isEqualTo(1);
    assertThat(counters.lastFailure()).contains("metrics: export failed (see the exporter's log)");
  }

  @Test
  void shouldSayNothingFailedBeforeAFailure() {
    counters.track(Signal.TRACES, 1, CompletableResultCode.ofSuccess());

    assertThat(counters.lastFailure()).isEmpty();
    assertThat(counters.failedExports()).isZero();
  }
}
