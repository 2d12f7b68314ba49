package io.tributary.k8smetadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.tributary.schemas.topics.PodReference;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns pod events into records of the pod topic: each pod under {@code uid/<uid>} and, while it has
 * an IP of its own, {@code ip/<ip>}; tombstones when it goes away. Remembers what it wrote, so a
 * resync writes nothing new, and which pod holds each IP, so the deletion of a pod never removes the
 * IP a newer pod already took (pod IPs are reused, and events of two pods may come in any order).
 * Called from the informers' threads: every method is synchronized.
 */
final class PodPublisher {

  private static final Logger log = LoggerFactory.getLogger(PodPublisher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Written(String json, String ip) {}

  private final Producer<String, String> producer;
  private final String topic;
  private final PodAttributes attributes;
  // Concurrent: the producer's thread forgets failed writes without taking the lock a blocked send() may hold.
  private final Map<String, Written> byUid = new ConcurrentHashMap<>();
  private final Map<String, String> ipHolders = new HashMap<>();
  private Supplier<? extends Iterable<Pod>> pods = java.util.List::of;
  private final LongAdder written = new LongAdder();
  private final LongAdder tombstones = new LongAdder();
  private final LongAdder failed = new LongAdder();

  PodPublisher(Producer<String, String> producer, String topic, PodAttributes attributes) {
    this.producer = producer;
    this.topic = topic;
    this.attributes = attributes;
  }

  /** The pods in the informer's cache, for {@link #ownerChanged}. */
  synchronized void pods(Supplier<? extends Iterable<Pod>> cached) {
    this.pods = cached;
  }

  synchronized void upsert(Pod pod) {
    String uid = pod.getMetadata().getUid();
    String ip = PodAttributes.ownIp(pod);
    String json = json(attributes.of(pod));
    Written before = byUid.get(uid);
    if (before != null && before.json.equals(json) && Objects.equals(before.ip, ip)) {
      return;
    }
    byUid.put(uid, new Written(json, ip));
    send(PodReference.uidKey(uid), json, uid);
    if (before != null && before.ip != null && !before.ip.equals(ip)) {
      release(before.ip, uid);
    }
    if (ip != null) {
      ipHolders.put(ip, uid);
      send(PodReference.ipKey(ip), json, uid);
    }
  }

  synchronized void remove(Pod pod) {
    String uid = pod.getMetadata().getUid();
    Written before = byUid.remove(uid);
    String ip = before != null ? before.ip : PodAttributes.ownIp(pod);
    if (ip != null) {
      release(ip, uid);
    }
    send(PodReference.uidKey(uid), null, uid); // last: once it is there, so is the IP's tombstone
  }

  /**
   * Tombstones the keys of the topic that name no pod known now: pods deleted, or IPs released,
   * while no k8s-metadata ran (compaction would keep them forever, and every pipeline holds the
   * topic in memory). Under the lock, so a pod written meanwhile keeps its keys.
   *
   * @param keysInTopic the keys whose latest record in the topic is not a tombstone
   * @return how many keys were tombstoned
   */
  synchronized int removeStale(Collection<String> keysInTopic) {
    Set<String> live = new HashSet<>();
    for (Pod pod : pods.get()) {
      live.add(PodReference.uidKey(pod.getMetadata().getUid()));
      String ip = PodAttributes.ownIp(pod);
      if (ip != null) {
        live.add(PodReference.ipKey(ip));
      }
    }
    byUid.keySet().forEach(uid -> live.add(PodReference.uidKey(uid)));
    ipHolders.keySet().forEach(ip -> live.add(PodReference.ipKey(ip)));
    int removed = 0;
    for (String key : keysInTopic) {
      if (!live.contains(key)) {
        send(key, null, key);
        removed++;
      }
    }
    return removed;
  }

  /**
   * A ReplicaSet or Job appeared or changed: its pods may now resolve to a Deployment or CronJob
   * (a pod's event can come before its owner's).
   */
  synchronized void ownerChanged(String kind, HasMetadata owner) {
    for (Pod pod : pods.get()) {
      OwnerReference controller = PodAttributes.controller(pod);
      // By namespace, kind and name, as PodAttributes looks owners up (objects of a list may carry no kind).
      if (controller != null && kind.equals(controller.getKind())
          && owner.getMetadata().getName().equals(controller.getName())
          && owner.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace())) {
        upsert(pod);
      }
    }
  }

  private void release(String ip, String uid) {
    if (uid.equals(ipHolders.get(ip))) {
      ipHolders.remove(ip);
      send(PodReference.ipKey(ip), null, uid);
    }
  }

  /** Records written with a pod's attributes. */
  long written() {
    return written.sum();
  }

  /** Tombstones written for pods that went away (or IPs they released). */
  long tombstones() {
    return tombstones.sum();
  }

  /** Records Kafka did not take; their pods are written again at the next event or resync. */
  long failed() {
    return failed.sum();
  }

  /** @param uid the pod's uid, or the key when it is not known, for the log */
  private void send(String key, String value, String uid) {
    (value == null ? tombstones : written).increment();
    producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
      if (error != null) {
        failed.increment();
        log.warn("Could not write pod {} ({}) to topic {}; it is written again at the next resync", uid, key, topic,
            error);
        forget(uid);
      }
    });
  }

  /** Makes the next event or resync of the pod write it again. */
  private void forget(String uid) {
    byUid.remove(uid);
  }

  private static String json(Map<String, String> attributes) {
    try {
      return JSON.writeValueAsString(attributes);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a map of strings always serializes
    }
  }
}
