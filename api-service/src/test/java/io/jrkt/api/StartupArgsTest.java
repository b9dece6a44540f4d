package io.jrkt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupArgsTest {
  @Test
  void socketActivationOnlyForThisProcess() {
    assertEquals(List.of(3, 4), SocketActivation.fds(Map.of("LISTEN_PID", "42",
        "LISTEN_FDS", "2"), 42));
    assertEquals(List.of(), SocketActivation.fds(Map.of("LISTEN_PID", "41",
        "LISTEN_FDS", "2"), 42));
    assertEquals(List.of(), SocketActivation.fds(Map.of(), 42));
    assertThrows(IllegalArgumentException.class, () -> SocketActivation.fds(Map.of(
        "LISTEN_PID", "42", "LISTEN_FDS", "x"), 42));
    assertThrows(IllegalArgumentException.class, () -> SocketActivation.fds(Map.of(
        "LISTEN_PID", "42", "LISTEN_FDS", "100000"), 42));
  }

  @Test
  void listenAddresses() {
    InetSocketAddress a = ListenAddress.parse("127.0.0.1:15441");
    assertEquals(15441, a.getPort());
    assertEquals("127.0.0.1", a.getAddress().getHostAddress());
    assertEquals("0:0:0:0:0:0:0:1", ListenAddress.parse("[::1]:1").getAddress().getHostAddress());
    assertEquals(true, ListenAddress.parse(":80").getAddress().isAnyLocalAddress());
    for (String bad : List.of("15441", "host:port", "localhost:70000", "::1:80",
        "no-such-host.invalid:80")) {
      assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(bad), bad);
    }
  }
}
