package io.tributary.platform.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.platform.Tributary;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadgenCommandTest {

  @Test
  void shouldRunSixtySecondsAgainstTheLocalGatewayByDefault() {
    LoadgenSettings settings = settings(Map.of());

    assertThat(settings.protocol()).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
    assertThat(settings.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4318"));
    assertThat(settings.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.traces()).isZero();
    assertThat(settings.gzip()).isTrue();
  }

  @Test
  void shouldPickTheGrpcPortForGrpcAndKeepHeaders() {
    LoadgenSettings settings = settings(Map.of(), "--protocol", "GRPC", "--header", "Authorization=Bearer k=1",
        "--compression", "none");

    assertThat(settings.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4317"));
    assertThat(settings.headers()).containsExactly(Map.entry("Authorization", "Bearer k=1"));
    assertThat(settings.gzip()).isFalse();
    assertThat(OtlpExporters.url(settings(Map.of(), "--endpoint", "http://gw:4318/"), "/v1/logs"))
        .isEqualTo("http://gw:4318/v1/logs");
  }

  @Test
  void shouldBoundTheRunFromTheEnvironmentUnlessTheCommandLineSaysOtherwise() {
    assertThat(settings(Map.of("TRIBUTARY_DURATION", "30s")).duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings(Map.of("TRIBUTARY_TRACES", "7")).traces()).isEqualTo(7);

    LoadgenSettings tracesWin = settings(Map.of("TRIBUTARY_DURATION", "30s"), "--traces", "5");
    assertThat(tracesWin.traces()).isEqualTo(5);
    assertThat(tracesWin.duration()).isNull();

    LoadgenSettings durationWins = settings(Map.of("TRIBUTARY_TRACES", "7"), "--duration", "2m");
    assertThat(durationWins.duration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(durationWins.traces()).isZero();
  }

  @Test
  void shouldKeepAGivenSeed() {
    assertThat(settings(Map.of(), "--seed", "42").seed()).isEqualTo(42);
  }

  private static LoadgenSettings settings(Map<String, String> environment, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "loadgen";
    System.arraycopy(args, 0, all, 1, args.length);
    var parsed = Tributary.commandLine(environment::get).parseArgs(all);
    return ((LoadgenCommand) parsed.subcommand().commandSpec().userObject()).settings();
  }
}
