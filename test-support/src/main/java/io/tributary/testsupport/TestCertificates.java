package io.tributary.testsupport;

import io.tributary.embedded.junit.RequiredBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway certificate authority with a server certificate for 127.0.0.1 / localhost and a client
 * certificate, as PEM files made by the {@code openssl} command (unencrypted PKCS#8 keys), for tests of
 * stores with TLS on. A missing {@code openssl} fails in CI and skips elsewhere.
 *
 * @param ca the authority's certificate, which clients trust
 * @param serverCertificate signed by {@code ca}, for IP 127.0.0.1 and DNS localhost
 * @param serverKey its key
 * @param clientCertificate signed by {@code ca}, for mutual TLS
 * @param clientKey its key
 */
public record TestCertificates(Path ca, Path serverCertificate, Path serverKey, Path clientCertificate,
    Path clientKey) {

  /** Makes the files under {@code dir}. */
  public static TestCertificates create(Path dir) {
    try {
      Files.createDirectories(dir);
      openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
          "-days", "2", "-subj", "/CN=Tributary test CA");
      signed(dir, "server", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
      signed(dir, "client", "extendedKeyUsage=clientAuth\n");
      return new TestCertificates(dir.resolve("ca.crt"), dir.resolve("server.crt"), dir.resolve("server.key"),
          dir.resolve("client.crt"), dir.resolve("client.key"));
    } catch (IOException e) {
      throw new UncheckedIOException("making test certificates in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A client TLS context trusting {@link #ca()} only. */
  public SSLContext trustingCa() {
    try (InputStream in = Files.newInputStream(ca)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      List<Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(in));
      store.setCertificateEntry("ca", certificates.get(0));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("reading " + ca + ": " + e.getMessage(), e);
    }
  }

  private static void signed(Path dir, String name, String extensions) throws IOException {
    Files.writeString(dir.resolve(name + ".ext"), extensions);
    openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
        "-subj", "/CN=" + (name.equals("server") ? "localhost" : "tributary-test-client"));
    openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
  }

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw RequiredBackend.missing("openssl is not installed (apt-get install -y openssl): " + e.getMessage());
    }
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }
}
