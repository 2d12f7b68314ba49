package io.tributary.platform.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadDriverTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final ExportCounters counters = new ExportCounters();
  private final StringWriter progress = new StringWriter();
  private LoadgenSdk sdk;
  private TrafficGenerator generator;

  @BeforeEach
  void createSdk() {
    sdk = new LoadgenSdk(spans, InMemoryLogRecordExporter.create(), InMemoryMetricExporter.create(),
        TrafficGenerator.idGenerator(5), Duration.ofHours(1), counters);
    generator = new TrafficGenerator(5, sdk::telemetry);
  }

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  @Test
  void shouldStopAfterTheGivenNumberOfTracesAndCountWhatWasSent() {
    LoadDriver driver = new LoadDriver(generator, counters, 1_000, null, 25, new PrintWriter(progress, true));

    driver.run();
    sdk.flush(Duration.ofSeconds(10));

    LoadReport report = driver.report(System.nanoTime(), 0);
    assertThat(report.traces()).isEqualTo(25);
    assertThat(report.spans()).isEqualTo(spans.getFinishedSpanItems().size());
    assertThat(report.spansSent()).isEqualTo(report.spans());
    assertThat(report.complete()).isTrue();
    assertThat(report.summary(5)).contains("traces        25", "repeat with --seed 5", "export failures 0");
  }

  @Test
  void shouldPaceTracesForTheDurationWithAProgressLineEverySecond() {
    LoadDriver driver = new LoadDriver(generator, counters, 20, Duration.ofMillis(1_500), 0,
        new PrintWriter(progress, true));

    driver.run();

    LoadReport report = driver.report(System.nanoTime(), 0);
    assertThat(report.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(1_500));
    assertThat(report.traces()).as("20/s for 1.5 s: never faster (a busy machine may be slower)").isBetween(10L, 32L);
    assertThat(progress.toString()).contains("loadgen     1s  traces ").contains("export failures 0");
  }

  @Test
  void shouldStopWhenAskedTo() {
    LoadDriver driver = new LoadDriver(generator, counters, 10, Duration.ofHours(1), 0, new PrintWriter(progress, true));

    driver.stop();
    driver.run();

    assertThat(driver.report(System.nanoTime(), 0).traces()).isZero();
  }
}
