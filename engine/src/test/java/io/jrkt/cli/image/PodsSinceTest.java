package io.jrkt.cli.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.pod.NewPod;
import io.jrkt.pod.PodStore;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodsSinceTest {
  @TempDir
  Path data;

  @Test
  void containsTheReferencesUntilAPodAppears() throws Exception {
    PodStore pods = new PodStore(data);
    try (NewPod old = pods.create()) {
      old.markPrepared();
    }
    Set<String> before = PodsSince.uuids(pods);
    assertEquals(1, before.size());
    PodsSince live = new PodsSince(Set.of("deps-sha512-a"), pods, before);
    assertTrue(live.contains("deps-sha512-a"));
    assertFalse(live.contains("deps-sha512-b"), "no pod is new: only the references count");
    assertEquals(Set.of("deps-sha512-a"), Set.copyOf(live));

    try (NewPod preparing = pods.create()) {
      // A pod being prepared may be about to use any tree.
      assertTrue(live.contains("deps-sha512-b"));
    }
    assertTrue(live.contains("deps-sha512-c"), "it stays so for the rest of the gc");
  }
}
