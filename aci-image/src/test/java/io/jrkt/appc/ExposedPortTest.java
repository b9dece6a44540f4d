package io.jrkt.appc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExposedPortTest {
  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "255.255.255.255", "::", "::1", "fe80::1",
      "2001:db8:0:0:0:0:2:1", "::ffff:192.0.2.1", "1:2:3:4:5:6:1.2.3.4", "1::"})
  void acceptsIpLiterals(String ip) {
    assertTrue(ExposedPort.isIpLiteral(ip), ip);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "1.2.3", "01.2.3.4", "256.0.0.1", ":::", "1::2::3",
      "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "::g", "1.2.3.4:", "1:2:3:4:5:6:7::8",
      "example.com"})
  void rejectsEverythingElse(String ip) {
    assertFalse(ExposedPort.isIpLiteral(ip), ip);
  }

  @Test
  void emptyHostIpMeansAll() {
    assertNull(new ExposedPort(new AcName("http"), 80, "").hostIP());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ExposedPort(new AcName("http"), 0, null));
    assertEquals("port http: hostPort must be from 1 to 65535, got 0", e.getMessage());
  }
}
