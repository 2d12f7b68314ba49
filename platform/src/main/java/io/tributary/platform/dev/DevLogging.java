package io.tributary.platform.dev;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Switches the process to {@code dev}'s logging: everything also goes to a file ({@code
 * data/tributary-dev.log}), and the terminal leaves out the expected third-party startup chatter (see
 * {@code log4j2-dev.xml}).
 */
final class DevLogging {

  /** Where {@code dev} logs by default, next to the broker's and the pipelines' data. */
  static final String DEFAULT_FILE = "data/tributary-dev.log";
  static final String PROPERTY = "tributary.dev.log";
  private static final String CONFIG = "log4j2-dev.xml";

  private DevLogging() {}

  /** From now on, logs also go to {@code file} (its directory is created on the first line). */
  static void toFile(Path file) {
    System.setProperty(PROPERTY, file.toAbsolutePath().toString());
    URL config = DevLogging.class.getResource(CONFIG);
    try {
      Configurator.reconfigure(config.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot read " + config, e);
    }
  }
}
