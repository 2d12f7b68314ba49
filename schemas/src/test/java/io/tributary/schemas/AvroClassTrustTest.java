package io.tributary.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schemas.avro.LogRecord;
import io.tributary.schemas.avro.Span;
import io.tributary.schemas.internal.AvroClassTrustHook;
import io.tributary.schemas.topics.TopicSpec;
import org.apache.avro.LogicalTypes;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.Test;

class AvroClassTrustTest {

  @Test
  void shouldInstallItselfWhenAvroLoads() {
    new org.apache.avro.Schema.Parser().parse("\"string\"");

    // The hook's logical type is registered only if Avro instantiated the hook, which installs the trust.
    assertThat(LogicalTypes.getCustomRegisteredTypes()).containsKey("io.tributary.schemas.class-trust-hook");
    assertThat(ClassSecurityValidator.getGlobal().isTrusted(Span.class)).isTrue();
  }

  @Test
  void shouldTrustOnlyTheGeneratedPackage() {
    AvroClassTrust.install();

    assertThat(ClassSecurityValidator.getGlobal().isTrusted(LogRecord.class)).isTrue();
    assertThat(ClassSecurityValidator.getGlobal().isTrusted(TopicSpec.class)).isFalse();
    assertThat(ClassSecurityValidator.getGlobal().isTrusted(AvroClassTrustHook.class)).isFalse();
    assertThat(ClassSecurityValidator.getGlobal().isTrusted(String.class)).isTrue();
  }

  @Test
  void shouldLetBuildersFillDefaults() {
    LogRecord record = TestRecords.minimalLogRecord();

    assertThat(record.getAttributes()).isEmpty();
    assertThat(record.getTraceId()).isNull();
  }
}
