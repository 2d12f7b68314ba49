package io.tributary.sinks.elasticsearch.internal;

import static java.util.Objects.requireNonNull;

import io.tributary.schemas.Signal;
import io.tributary.schemas.TelemetryHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Data stream names from the signal, the dataset and the tenant, following Elasticsearch's data
 * stream naming scheme {@code <type>-<dataset>-<namespace>}. The namespace is a template in which
 * {@value #TENANT_PLACEHOLDER} stands for the record's tenant, made a valid namespace: lowercase,
 * every character other than {@code a-z 0-9 _ .} replaced by {@code _} (so tenants {@code a-b} and
 * {@code a_b} share a namespace), at most 100 bytes; an empty tenant is {@code default}.
 */
public final class DataStreamNames {

  public static final String TENANT_PLACEHOLDER = "{tenant}";
  private static final Pattern INVALID = Pattern.compile("[^a-z0-9_.]");
  private static final Pattern VALID_DATASET = Pattern.compile("[a-z0-9_.]{1,100}");
  private static final int MAX_NAMESPACE = 100;

  private final String dataset;
  private final String namespaceTemplate;
  @SuppressWarnings("unchecked")
  private final Map<String, String>[] cache = new Map[Signal.values().length];

  public DataStreamNames(String dataset, String namespaceTemplate) {
    this.dataset = requireNonNull(dataset, "dataset");
    this.namespaceTemplate = requireNonNull(namespaceTemplate, "namespaceTemplate");
    for (int i = 0; i < cache.length; i++) {
      cache[i] = new ConcurrentHashMap<>();
    }
  }

  /** The data stream a record of {@code signal} from {@code tenant} goes to. */
  public String dataStream(Signal signal, String tenant) {
    String t = tenant == null ? "" : tenant;
    Map<String, String> names = cache[signal.ordinal()];
    String name = names.get(t);
    if (name == null) {
      name = prefix(signal) + namespace(t);
      if (names.size() < 10_000) { // a bounded cache: tenants are few, but never trust that
        names.put(t, name);
      }
    }
    return name;
  }

  /** The index template pattern covering every namespace of {@code signal}. */
  public String pattern(Signal signal) {
    return prefix(signal) + "*";
  }

  /**
   * {@code <type>-<dataset>-}: spans go to {@code traces-<dataset>}, log records to {@code logs-<dataset>},
   * metric points to {@code metrics-<dataset>}, alert state changes to {@code logs-<dataset>.alerts}.
   */
  private String prefix(Signal signal) {
    return switch (signal) {
      // Elasticsearch's data stream types are the OpenTelemetry signal names.
      case TRACES, LOGS, METRICS -> signal.id() + "-" + dataset + "-";
      case ALERTS -> Signal.LOGS.id() + "-" + dataset + ".alerts-";
    };
  }

  /** Whether tenants get data streams of their own (else document ids must tell tenants apart). */
  public boolean namespacePerTenant() {
    return namespaceTemplate.contains(TENANT_PLACEHOLDER);
  }

  String namespace(String tenant) {
    String t = tenant.isEmpty() ? TelemetryHeaders.DEFAULT_TENANT : tenant;
    String ns = namespaceTemplate.replace(TENANT_PLACEHOLDER, sanitize(t));
    return ns.length() > MAX_NAMESPACE ? ns.substring(0, MAX_NAMESPACE) : ns;
  }

  static String sanitize(String s) {
    return INVALID.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("_");
  }

  /** Why {@code dataset} is not a valid dataset, or null if it is. */
  public static String datasetProblem(String dataset) {
    if (dataset == null || !VALID_DATASET.matcher(dataset).matches()) {
      return "expected 1-100 characters among a-z 0-9 _ . (no '-', which separates the parts of a data stream name)";
    }
    return null;
  }

  /** Why {@code template} does not make valid namespaces, or null if it does. */
  public static String namespaceTemplateProblem(String template) {
    if (template == null || template.isEmpty()) {
      return "expected a namespace such as " + TENANT_PLACEHOLDER + ", default or prod_" + TENANT_PLACEHOLDER;
    }
    String sample = template.replace(TENANT_PLACEHOLDER, "tenant");
    if (!VALID_DATASET.matcher(sample).matches()) {
      return "expected characters among a-z 0-9 _ . and the placeholder " + TENANT_PLACEHOLDER
          + " (no '-', which separates the parts of a data stream name)";
    }
    return null;
  }
}
