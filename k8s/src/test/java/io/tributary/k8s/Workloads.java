package io.tributary.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.tributary.platform.Roles;
import io.tributary.platform.Tributary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.ParseResult;

/** The workloads (Deployments, StatefulSets, Jobs) of a rendered overlay and what their containers run. */
final class Workloads {

  /** The option naming each service role's health and /metrics port. */
  static final Map<String, String> HEALTH_PORT_OPTION = Map.of(
      Roles.GATEWAY, "--http-port",
      Roles.PROCESSOR, "--metrics-port",
      Roles.ALERTING, "--metrics-port",
      Roles.K8S_METADATA, "--metrics-port");

  private Workloads() {}

  /** One workload: its kind and name, and its pod template. */
  record Workload(String kind, String name, PodTemplateSpec template) {

    List<Container> containers() {
      return template.getSpec().getContainers();
    }

    @Override
    public String toString() {
      return kind + " " + name;
    }
  }

  /** What one container's command line means to the jar. */
  record RoleInvocation(String role, ParseResult parsed) {

    /** The value of an option of the role, its default (or environment default) if not given. */
    Object option(String name) {
      return parsed.commandSpec().findOption(name).getValue();
    }
  }

  static List<Workload> of(Overlay overlay) {
    return of(overlay.objects());
  }

  /** The workloads among parsed objects. */
  static List<Workload> of(List<Object> objects) {
    return objects.stream().flatMap(Workloads::workload).toList();
  }

  private static Stream<Workload> workload(Object object) {
    if (object instanceof Deployment d) {
      return Stream.of(new Workload("Deployment", d.getMetadata().getName(), d.getSpec().getTemplate()));
    }
    if (object instanceof StatefulSet s) {
      return Stream.of(new Workload("StatefulSet", s.getMetadata().getName(), s.getSpec().getTemplate()));
    }
    if (object instanceof Job j) {
      return Stream.of(new Workload("Job", j.getMetadata().getName(), j.getSpec().getTemplate()));
    }
    return Stream.empty();
  }

  /**
   * Parses a container's arguments with the jar's own command line, its literal environment
   * variables standing in for the process environment (TRIBUTARY_* option defaults).
   */
  static RoleInvocation invocation(Container container) {
    Map<String, String> environment = new HashMap<>();
    for (EnvVar variable : container.getEnv()) {
      if (variable.getValue() != null) {
        environment.put(variable.getName(), variable.getValue());
      }
    }
    ParseResult result = Tributary.commandLine(environment::get).parseArgs(container.getArgs().toArray(String[]::new));
    ParseResult role = result.subcommand();
    if (role == null) {
      throw new IllegalArgumentException(container.getName() + ": no role in " + container.getArgs());
    }
    return new RoleInvocation(role.commandSpec().name(), role);
  }

  /** The namespace of any parsed object. */
  static String namespace(Object object) {
    if (object instanceof HasMetadata resource) {
      return resource.getMetadata().getNamespace();
    }
    if (object instanceof ScaledObject scaled) {
      return scaled.metadata().namespace();
    }
    if (object instanceof PodMonitor monitor) {
      return monitor.metadata().namespace();
    }
    if (object instanceof TriggerAuthentication authentication) {
      return authentication.metadata().namespace();
    }
    throw new IllegalArgumentException("no metadata on " + object.getClass());
  }
}
