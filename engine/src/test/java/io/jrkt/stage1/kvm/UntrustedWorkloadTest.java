package io.jrkt.stage1.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.appc.PodManifest;
import io.jrkt.stage1.Stage1Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UntrustedWorkloadTest {
  private static PodManifest pod(String annotationValue) throws Exception {
    String annotations = annotationValue == null ? "[]"
        : "[{\"name\":\"" + UntrustedWorkload.ANNOTATION + "\",\"value\":\"" + annotationValue
            + "\"}]";
    return PodManifest.parse(("{\"acKind\":\"PodManifest\",\"acVersion\":\"0.8.11\","
        + "\"apps\":[],\"annotations\":" + annotations + "}").getBytes(StandardCharsets.UTF_8));
  }

  private static KvmSettings net(String net) {
    return new KvmSettings(KvmAccel.KVM, "x", 60, Optional.ofNullable(net), false);
  }

  @Test
  void anUntrustedPodRunsInAVmAndTheReasonIsShown() throws Exception {
    List<String> debug = new ArrayList<>();

    Optional<Stage1Request> r = UntrustedWorkload.select(pod("true"), net("default"), debug::add);

    assertEquals(Optional.of(new Stage1Request.ByName("coreos.com/rkt/stage1-kvm",
        Optional.empty())), r);
    assertTrue(debug.get(0).contains("untrusted"), debug.toString());
  }

  @Test
  void hostNetworkKeepsTheDefaultAndSaysWhy() throws Exception {
    List<String> debug = new ArrayList<>();

    assertEquals(Optional.empty(), UntrustedWorkload.select(pod("true"), net("host"),
        debug::add));
    assertTrue(debug.get(0).contains("host's network"), debug.toString());
  }

  @Test
  void otherPodsAreLeftAlone() throws Exception {
    List<String> debug = new ArrayList<>();
    assertEquals(Optional.empty(), UntrustedWorkload.select(pod("false"), net(null), debug::add));
    assertEquals(Optional.empty(), UntrustedWorkload.select(pod(null), net(null), debug::add));
    assertTrue(debug.isEmpty(), debug.toString());
  }
}
