package io.tributary.sinks.internal.batching;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * The PEM files a sink's TLS options name, as stores and Kubernetes Secrets hand them out
 * ({@code ca.crt}, {@code tls.crt}, {@code tls.key}): the certificate authorities to trust instead of
 * the JVM's, and a client certificate with its key for mutual TLS. Without any, connections use the
 * JVM's defaults ({@code javax.net.ssl.*}). Read once, when the task starts; every problem names the
 * option, the file and the fix.
 */
public final class TlsFiles {

  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";
  private static final char[] NO_PASSWORD = new char[0];

  private TlsFiles() {}

  /**
   * The TLS context of {@code caFile} (trust) and {@code certFile} + {@code keyFile} (client
   * identity), each empty when not set; empty when none is set. {@code *Option} name the options in errors.
   */
  public static Optional<SSLContext> sslContext(String caFile, String certFile, String keyFile, String caOption,
      String certOption, String keyOption) {
    boolean ca = !caFile.isBlank();
    boolean cert = !certFile.isBlank();
    boolean key = !keyFile.isBlank();
    if (cert != key) {
      throw new ConfigException(cert ? keyOption : certOption, "", "mutual TLS needs both '" + certOption
          + "' (the client certificate) and '" + keyOption + "' (its private key); set both or neither");
    }
    if (!ca && !cert) {
      return Optional.empty();
    }
    try {
      TrustManager[] trust = null;
      if (ca) {
        KeyStore store = emptyStore();
        List<Certificate> authorities = certificates(caFile, caOption);
        for (int i = 0; i < authorities.size(); i++) {
          store.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        trust = tmf.getTrustManagers();
      }
      KeyManager[] keys = null;
      if (cert) {
        KeyStore store = emptyStore();
        List<Certificate> chain = certificates(certFile, certOption);
        store.setKeyEntry("client", privateKey(keyFile, keyOption), NO_PASSWORD, chain.toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, NO_PASSWORD);
        keys = kmf.getKeyManagers();
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null);
      return Optional.of(context);
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException("TLS files " + caOption + "=" + caFile + ", " + certOption + "=" + certFile + ": "
          + e.getMessage());
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    return store;
  }

  private static List<Certificate> certificates(String file, String option) {
    byte[] pem = read(file, option);
    try (InputStream in = new ByteArrayInputStream(pem)) {
      Collection<? extends Certificate> found = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (found.isEmpty()) {
        throw new ConfigException(option, file, "no certificate in the file (expected PEM: -----BEGIN CERTIFICATE-----)");
      }
      return new ArrayList<>(found);
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(option, file, "not a PEM certificate file (expected -----BEGIN CERTIFICATE-----): "
          + e.getMessage());
    }
  }

  private static PrivateKey privateKey(String file, String option) {
    String pem = new String(read(file, option), StandardCharsets.US_ASCII);
    int begin = pem.indexOf(PKCS8_BEGIN);
    int end = pem.indexOf(PKCS8_END);
    if (begin < 0 || end < begin) {
      throw new ConfigException(option, file, "expected an unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); "
          + "convert one with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + PKCS8_BEGIN.length(), end));
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new ConfigException(option, file, "the key is not an RSA, EC or Ed25519 private key");
  }

  private static byte[] read(String file, String option) {
    try {
      return Files.readAllBytes(Path.of(file.trim()));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(option, file, "cannot read the file (" + e + "); give a path readable by the "
          + "Connect worker");
    }
  }
}
