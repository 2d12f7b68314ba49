package io.tributary.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.tributary.platform.processor.Pipeline;
import io.tributary.schemas.topics.TopicCatalog;
import io.tributary.schemas.topics.TopicSpec;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AutoscalingTest {

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldNeverScaleAPipelineBeyondThePartitionsItConsumes(Overlay overlay) {
    assertThat(overlay.objects(ScaledObject.class)).hasSize(Pipeline.values().length).allSatisfy(scaled -> {
      ScaledObject.Trigger trigger = scaled.spec().triggers().getFirst();
      assertThat(trigger.type()).isEqualTo("kafka");
      TopicSpec topic = TopicCatalog.byName(trigger.metadata().get("topic")).orElseThrow(
          () -> new AssertionError(scaled.metadata().name() + ": topic " + trigger.metadata().get("topic") + " is not in the catalog"));
      assertThat(scaled.spec().maxReplicaCount()).as("%s max replicas", scaled.metadata().name())
          .isLessThanOrEqualTo(topic.partitions());
      assertThat(scaled.spec().minReplicaCount()).isPositive().isLessThanOrEqualTo(scaled.spec().maxReplicaCount());
    });
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldScaleEachPipelineOnItsOwnConsumerGroupAndRawTopic(Overlay overlay) {
    for (Pipeline pipeline : Pipeline.values()) {
      String name = "tributary-" + pipeline.name().toLowerCase(Locale.ROOT);
      ScaledObject scaled = overlay.objects(ScaledObject.class).stream()
          .filter(s -> s.metadata().name().equals(name)).findFirst().orElseThrow();
      assertThat(scaled.spec().scaleTargetRef().kind()).isEqualTo("StatefulSet");
      assertThat(overlay.objects(StatefulSet.class)).extracting(s -> s.getMetadata().getName())
          .contains(scaled.spec().scaleTargetRef().name());
      StatefulSet target = overlay.objects(StatefulSet.class).stream()
          .filter(s -> s.getMetadata().getName().equals(scaled.spec().scaleTargetRef().name())).findFirst().orElseThrow();
      var args = target.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs();
      assertThat(args).as("%s runs only its pipeline", name).startsWith("processor", pipeline.name().toLowerCase(Locale.ROOT));
      assertThat(scaled.spec().triggers().getFirst().metadata())
          .containsEntry("consumerGroup", pipeline.applicationId())
          .containsEntry("topic", TopicCatalog.RAW.get(pipeline.ordinal()).name());
    }
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  void shouldScaleTheGatewayOnCpu(Overlay overlay) {
    HorizontalPodAutoscaler hpa = overlay.objects(HorizontalPodAutoscaler.class).getFirst();
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("tributary-gateway");
    assertThat(hpa.getSpec().getMetrics().getFirst().getResource().getName()).isEqualTo("cpu");
    assertThat(hpa.getSpec().getMinReplicas()).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
  }
}
