package io.tributary.schemas;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro load Tributary's generated record classes by name. Since Avro 1.12.2, Avro refuses to
 * resolve a schema name to any class outside a small JDK allow-list ("This class is not trusted to
 * be included in Avro schemas") unless the JVM runs with {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES};
 * that breaks specific readers, writers and the generated builders' defaults.
 *
 * <p>This adds the one generated package ({@code io.tributary.schemas.avro}, exactly, no
 * sub-packages) to Avro's global trust, keeping whatever else is trusted. It runs by itself the first
 * time Avro parses a schema (through a service hook), and {@code AvroSerde} calls it too; call
 * {@link #install()} yourself only if Avro was initialised by a class loader that cannot see this jar.
 */
public final class AvroClassTrust {

  /** The package whose classes are trusted. */
  public static final String GENERATED_PACKAGE = "io.tributary.schemas.avro";

  private static boolean installed;

  private AvroClassTrust() {}

  /** Adds {@link #GENERATED_PACKAGE} to Avro's trusted classes; idempotent. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous, AvroClassTrust::isGenerated));
    installed = true;
  }

  static boolean isGenerated(Class<?> type) {
    return type.getPackageName().equals(GENERATED_PACKAGE);
  }
}
