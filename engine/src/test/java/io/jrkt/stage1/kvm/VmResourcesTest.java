package io.jrkt.stage1.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class VmResourcesTest {
  private static VmResources.AppLimits none() {
    return new VmResources.AppLimits(OptionalLong.empty(), OptionalLong.empty());
  }

  private static VmResources.AppLimits limits(long memoryBytes, long cpuMillis) {
    return new VmResources.AppLimits(OptionalLong.of(memoryBytes), OptionalLong.of(cpuMillis));
  }

  @Test
  void appsWithoutIsolatorsGetRktsDefaultsPlusTheOverhead() {
    assertEquals(new VmResources(256, 1), VmResources.of(List.of(none()), 8));
    assertEquals(new VmResources(384, 2), VmResources.of(List.of(none(), none()), 8));
  }

  @Test
  void memoryLimitsAreSummedAndRoundedUpToMebibytes() {
    VmResources r = VmResources.of(List.of(limits(64L << 20, 500), limits((100L << 20) + 1,
        1500), none()), 8);

    assertEquals(128 + 64 + 101 + 128, r.memoryMiB());
    assertEquals(1 + 2 + 1, r.vcpus(), "cpu limits round up to whole cores");
  }

  @Test
  void vcpusStayWithinTheHost() {
    assertEquals(2, VmResources.of(List.of(limits(1L << 30, 8000)), 2).vcpus());
    assertEquals(1, VmResources.of(List.of(limits(1L << 30, 10)), 0).vcpus());
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> VmResources.of(List.of(), 2));
    assertThrows(IllegalArgumentException.class, () -> new VmResources(64, 1));
    assertThrows(IllegalArgumentException.class, () -> new VmResources(256, 0));
  }
}
