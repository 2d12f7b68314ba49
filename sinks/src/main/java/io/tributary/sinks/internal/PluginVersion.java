package io.tributary.sinks.internal;

/** The plugin's version, as every connector and task reports it to Connect. */
public final class PluginVersion {

  private static final String VERSION = read();

  private PluginVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String read() {
    String v = PluginVersion.class.getPackage().getImplementationVersion();
    return v != null ? v : "0.1.0-SNAPSHOT";
  }
}
