package io.tributary.processors.integration;

import io.tributary.embedded.EmbeddedKafkaBroker;
import io.tributary.processors.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Creates the topics a pipeline topology reads and writes (sources, sinks, GlobalKTable sources; not
 * the internal ones Streams creates), read from its description so a test never misses the topic of
 * a step it does not know about. Topics that exist are left alone (tests of one JVM share a broker).
 */
final class PipelineTopics {

  private PipelineTopics() {}

  /** The pipeline's input and output with {@code partitions}, the others (dead letters, reference data, ...) with one. */
  static void createMissing(EmbeddedKafkaBroker kafka, Topology topology, Topics topics, int partitions)
      throws Exception {
    createMissing(kafka.bootstrapServers(), topology, topics, partitions);
  }

  /** As above on any cluster: topics get the brokers' default replication factor. */
  static void createMissing(String bootstrapServers, Topology topology, Topics topics, int partitions)
      throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    counts.put(topics.input(), partitions);
    counts.put(topics.output(), partitions);
    createMissing(bootstrapServers, topology, counts);
  }

  /** With {@code partitions} for the topics named there, one partition for the others. */
  static void createMissing(EmbeddedKafkaBroker kafka, Topology topology, Map<String, Integer> partitions)
      throws Exception {
    createMissing(kafka.bootstrapServers(), topology, partitions);
  }

  static void createMissing(String bootstrapServers, Topology topology, Map<String, Integer> partitions)
      throws Exception {
    TopologyDescription description = topology.describe();
    Set<String> names = new TreeSet<>();
    for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
          names.addAll(source.topicSet());
        } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
          names.add(sink.topic());
        }
      }
    }
    description.globalStores().forEach(store -> names.addAll(store.source().topicSet()));
    names.removeIf(name -> name.endsWith("-repartition")); // internal: Streams creates them
    try (Admin admin = TestClients.admin(bootstrapServers)) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = names.stream().filter(name -> !existing.contains(name))
          .map(name -> new NewTopic(name, Optional.of(partitions.getOrDefault(name, 1)), Optional.empty())).toList();
      try {
        admin.createTopics(missing).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) { // another test of this JVM made it meanwhile
          throw e;
        }
      }
    }
  }
}
