package io.jrkt.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PodUuidTest {
  @Test
  void randomUuidsAreCanonicalVersion4AndDistinct() {
    Set<String> seen = new HashSet<>();
    int[] ones = new int[128];
    int n = 2000;
    for (int i = 0; i < n; i++) {
      PodUuid u = PodUuid.random();
      assertTrue(PodUuid.isCanonical(u.value()), u.value());
      UUID parsed = UUID.fromString(u.value());
      assertEquals(4, parsed.version(), u.value());
      assertEquals(2, parsed.variant(), u.value());
      assertTrue(seen.add(u.value()), "repeated " + u.value());
      long[] halves = {parsed.getMostSignificantBits(), parsed.getLeastSignificantBits()};
      for (int bit = 0; bit < 128; bit++) {
        if ((halves[bit / 64] >>> (63 - bit % 64) & 1) == 1) {
          ones[bit]++;
        }
      }
    }
    // Every bit but the six fixed version and variant bits varies.
    int varying = 0;
    for (int c : ones) {
      if (c > n / 4 && c < n * 3 / 4) {
        varying++;
      }
    }
    assertEquals(122, varying);
  }

  @Test
  void equalityIsByValue() {
    PodUuid a = PodUuid.random();
    PodUuid same = new PodUuid(a.value());
    assertEquals(a, same);
    assertEquals(a.hashCode(), same.hashCode());
    assertNotEquals(a, PodUuid.random());
    assertNotEquals(a, a.value());
  }
}
