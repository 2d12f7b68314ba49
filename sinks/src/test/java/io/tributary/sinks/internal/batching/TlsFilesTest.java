package io.tributary.sinks.internal.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.testsupport.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsFilesTest {

  private static final String CA = "tls.ca.file";
  private static final String CERT = "tls.cert.file";
  private static final String KEY = "tls.key.file";

  @TempDir
  Path dir;

  @Test
  void shouldUseTheJvmDefaultsWhenNoFileIsSet() {
    assertThat(TlsFiles.sslContext("", "", "", CA, CERT, KEY)).isEmpty();
  }

  @Test
  void shouldLoadTheAuthorityAndTheClientCertificateWithItsKey() {
    TestCertificates certificates = TestCertificates.create(dir);
    assertThat(TlsFiles.sslContext(certificates.ca().toString(), "", "", CA, CERT, KEY)).isPresent();
    assertThat(TlsFiles.sslContext(certificates.ca().toString(), certificates.clientCertificate().toString(),
        certificates.clientKey().toString(), CA, CERT, KEY)).isPresent();
  }

  @Test
  void shouldNameTheOptionTheFileAndTheFix() throws Exception {
    TestCertificates certificates = TestCertificates.create(dir);
    assertThatThrownBy(() -> TlsFiles.sslContext(dir.resolve("missing.crt").toString(), "", "", CA, CERT, KEY))
        .isInstanceOf(ConfigException.class).hasMessageContaining(CA).hasMessageContaining("missing.crt")
        .hasMessageContaining("cannot read");
    assertThatThrownBy(() -> TlsFiles.sslContext("", certificates.clientCertificate().toString(), "", CA, CERT, KEY))
        .isInstanceOf(ConfigException.class).hasMessageContaining(KEY).hasMessageContaining("set both or neither");
    assertThatThrownBy(() -> TlsFiles.sslContext(certificates.clientKey().toString(), "", "", CA, CERT, KEY))
        .isInstanceOf(ConfigException.class).hasMessageContaining(CA).hasMessageContaining("BEGIN CERTIFICATE");
    Path pkcs1 = Files.writeString(dir.resolve("rsa.key"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n"
        + "-----END RSA PRIVATE KEY-----\n");
    assertThatThrownBy(() -> TlsFiles.sslContext("", certificates.clientCertificate().toString(), pkcs1.toString(), CA,
        CERT, KEY)).isInstanceOf(ConfigException.class).hasMessageContaining(KEY)
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }
}
