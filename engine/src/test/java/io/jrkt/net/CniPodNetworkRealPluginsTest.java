package io.jrkt.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jrkt.sys.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link PodNetwork} seam against the real ptp and host-local plugins, without a stage1:
 * what a stage1 (nspawn, kvm) builds on. Needs root and Debian's containernetworking-plugins;
 * skipped otherwise. Networks of its own (no masquerade, a random 10.x subnet), so no iptables.
 */
class CniPodNetworkRealPluginsTest {
  @TempDir
  Path tmp;
  private final String net = "it-" + Integer.toHexString(new Random().nextInt(1 << 20));
  private final int octet = 200 + new Random().nextInt(50);
  private final List<String> debug = new ArrayList<>();
  private Path podDir;
  private String uuid;
  private CniPodNetwork network;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/ptp")), "no CNI plugins");
    Native.load();
    assumeTrue(Native.geteuid() == 0, "needs root");
    podDir = Files.createDirectories(tmp.resolve("pod"));
    Files.createDirectories(tmp.resolve("config/net.d"));
    Files.writeString(tmp.resolve("config/net.d/10-it.conf"), "{\"cniVersion\":\"0.4.0\","
        + "\"name\":\"" + net + "\",\"type\":\"ptp\",\"ipam\":{\"type\":\"host-local\","
        + "\"subnet\":\"10." + octet + ".7.0/24\"}}");
    uuid = UUID.randomUUID().toString();
    network = new CniPodNetwork(null, new CniRunner(), debug::add);
  }

  @AfterEach
  void cleanUp() throws IOException {
    if (podDir != null) {
      try {
        network.tearDown(podDir);
      } catch (NetException e) {
        // reported by the test's own assertions
      }
      Path ipam = Path.of("/var/lib/cni/networks").resolve(net);
      if (Files.isDirectory(ipam)) {
        try (Stream<Path> files = Files.list(ipam)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(ipam);
      }
    }
  }

  private PodNetwork.Request request(String nets) throws NetException {
    return new PodNetwork.Request(podDir, uuid, NetListSpec.parse(nets),
        NetConfigDirs.of(tmp.resolve("config"), true),
        List.of());
  }

  private static String ip(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  @Test
  void setUpCheckAndTearDownWithTheRealPlugins() throws Exception {
    PodNetwork.State state = network.setUp(request(net));
    Path netns = state.netns().orElseThrow();
    assertEquals(Netns.pathFor(uuid), netns);
    assertTrue(Netns.isMounted(netns));
    String ip = state.networks().get(0).result().ip();
    assertTrue(ip.startsWith("10." + octet + ".7."), ip);
    String inside = ip("-n", netns.getFileName().toString(), "-o", "-4", "addr");
    assertTrue(inside.contains("lo    inet 127.0.0.1/8"), inside);
    assertTrue(inside.contains("eth0    inet " + ip + "/24"), inside);
    assertTrue(Files.exists(Path.of("/var/lib/cni/networks", net, ip)));
    assertTrue(Files.readString(podDir.resolve("net-info.json")).contains("\"ip\":\"" + ip));

    network.check(podDir);
    ip("-n", netns.getFileName().toString(), "link", "del", "eth0");
    NetException broken = assertThrows(NetException.class, () -> network.check(podDir));
    assertTrue(broken.getMessage().contains("CHECK failed"), broken.getMessage());

    network.tearDown(podDir);
    assertFalse(Files.exists(netns));
    assertFalse(Files.exists(Path.of("/var/lib/cni/networks", net, ip)));
    assertFalse(Files.exists(podDir.resolve("netns")));
    assertFalse(Files.exists(podDir.resolve("net")));
    assertTrue(debug.stream().anyMatch(l -> l.contains("ptp DEL took")), debug.toString());
  }

  @Test
  void aFailureHalfWayUndoesTheNetworksBeforeIt() throws Exception {
    NetException e = assertThrows(NetException.class,
        () -> network.setUp(request(net + ",default-restricted:IP=10.1.2.3")));
    assertTrue(e.getMessage().contains("host-local") || e.getMessage().contains("failed"),
        e.getMessage());
    assertFalse(Files.exists(Netns.pathFor(uuid)));
    assertFalse(Files.exists(podDir.resolve("netns")));
    assertFalse(Files.exists(podDir.resolve("net")));
    Path ipam = Path.of("/var/lib/cni/networks", net);
    try (Stream<Path> files = Files.isDirectory(ipam) ? Files.list(ipam) : Stream.empty()) {
      assertEquals(List.of(), files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("10.")).toList());
    }
  }
}
