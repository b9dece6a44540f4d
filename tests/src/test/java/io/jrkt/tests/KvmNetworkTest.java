package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The network of VM pods (stage1-kvm, {@code --kvm-accel=auto}: TCG where KVM is not usable):
 * on the default CNI network the guest takes the pod's eth0 address and answers the host on it;
 * gc leaves no network namespace behind; {@code --net=none} keeps a VM with loopback only. All
 * traffic stays between the host and the pod's network namespace.
 */
class KvmNetworkTest extends FunctionalTest {
  private static final String KVM = "--stage1-name=coreos.com/rkt/stage1-kvm";
  private static final String AUTO = "--kvm-accel=auto";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private Path stage1;
  private int uuidFiles;

  @BeforeAll
  void findStage1() {
    stage1 = KvmStage1.assumeRunnable(jrkt);
    assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/ptp")),
        "containernetworking-plugins are not installed");
  }

  private Path uuidFile() {
    return jrkt.work().resolve("kvmnet-uuid-" + (++uuidFiles));
  }

  private List<String> runArgs(Path uuidFile, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Jrkt.INSECURE, "run", KVM, AUTO,
        "--uuid-file-save=" + uuidFile));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private Path podDir(String uuid) {
    return jrkt.data().resolve("pods/run").resolve(uuid);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Sends an HTTP request to host:port until the guest answers; returns the answer. */
  private static String httpGet(String host, int port) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 2000);
        s.setSoTimeout(10000);
        OutputStream out = s.getOutputStream();
        out.write("GET /index.html HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        last = e;
        sleep(200);
      }
    }
    throw new AssertionError("nothing answered on " + host + ":" + port + ": " + last);
  }

  /** enter; when it fails or hangs, the failure shows the guest's console. */
  private Result enter(String uuid, String... command) {
    List<String> args = new ArrayList<>(List.of("enter", uuid));
    args.addAll(List.of(command));
    try {
      return jrkt.run(args);
    } catch (AssertionError e) {
      Path console = podDir(uuid).resolve("vm/console.log");
      throw new AssertionError(e.getMessage() + "\nguest console:\n"
          + (Files.exists(console) ? Jrkt.read(console) : "(none)"), e);
    }
  }

  @Test
  void theGuestTakesThePodsAddressAndAnswersTheHostAndAForwardedPortAndGcLeavesNoNetns()
      throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path aci = Aci.busybox("example.com/kvm-httpd").port("http", "tcp", 80).shell("mkdir -p /tmp/www; "
        + "echo hello-from-the-vm > /tmp/www/index.html; exec busybox httpd -f -p 80 -h /tmp/www")
        .write(jrkt.work(), "kvm-httpd.aci");
    Path uuidFile = uuidFile();
    Jrkt.Running running = jrkt.start(runArgs(uuidFile, "--port=http:" + port,
        "--hostname=web-1", "--dns=10.0.0.53", "--dns-search=a.example",
        "--hosts-entry=10.9.9.9=db", aci.toString()));
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String uuid = null;
    String networks = null;
    while (networks == null) {
      if (!running.process().isAlive()) {
        throw new AssertionError("the pod ended early:\n" + running.await(Duration.ofSeconds(1)));
      }
      assertTrue(System.nanoTime() < deadline, "the pod got no network in time");
      if (Files.exists(uuidFile) && !Jrkt.read(uuidFile).isBlank()) {
        uuid = Jrkt.read(uuidFile).trim();
        if (Files.exists(podDir(uuid).resolve("pid"))) {
          networks = status(uuid).get("networks");
        }
      }
      sleep(100);
    }
    try {
      assertTrue(networks.startsWith("default:ip4=172.16.28."), networks);
      String ip = networks.substring("default:ip4=".length());

      String answer = httpGet(ip, 80);
      assertTrue(answer.startsWith("HTTP/1.") && answer.contains("hello-from-the-vm"), answer);
      String forwarded = httpGet("127.0.0.1", port);
      assertTrue(forwarded.contains("hello-from-the-vm"), forwarded);
      // It is the guest that has the address, eth0's MAC and the default route.
      Result inside = enter(uuid, "/bin/sh", "-c",
          "busybox ip -o -4 addr show eth0; busybox ip route; busybox ip -o link show eth0; "
              + "busybox ip -o link show lo").ok();
      assertTrue(inside.out().contains("inet " + ip + "/24"), inside.toString());
      assertTrue(inside.out().contains("default via 172.16.28.1 dev eth0"), inside.toString());
      assertTrue(inside.out().contains("<LOOPBACK,UP,LOWER_UP>"), inside.toString());
      // The apps get the pod's hostname, hosts and resolv.conf, as in the other stage1s.
      Result etc = enter(uuid, "/bin/sh", "-c",
          "cat /etc/hostname; echo ---; cat /etc/resolv.conf; echo ---; cat /etc/hosts").ok();
      assertTrue(etc.out().startsWith("web-1\n---\n# Generated by rkt run\nsearch a.example\n"
          + "nameserver 10.0.0.53\n---\n"), etc.toString());
      assertTrue(etc.out().contains("10.9.9.9 db\n") && etc.out().endsWith("127.0.0.1 web-1\n"),
          etc.toString());
      String netns = Jrkt.read(podDir(uuid).resolve("netns")).trim();
      String hostSide = NetworkTest.sh("ip", "-n", netns.substring(netns.lastIndexOf('/') + 1),
          "-o", "link", "show", "eth0");
      String mac = hostSide.replaceAll("(?s).*link/ether ([0-9a-f:]{17}).*", "$1");
      assertTrue(mac.length() == 17 && inside.out().contains("link/ether " + mac), hostSide
          + "\n" + inside);
      assertTrue(NetworkTest.sh("ip", "-n", netns.substring(netns.lastIndexOf('/') + 1), "-o",
          "link", "show", "tap0").contains("tap0"), "the tap device is in the pod's netns");

      jrkt.run("stop", uuid).ok();
      running.await(Jrkt.TIMEOUT).exits(143);
      assertFalse(NetworkTest.sh("ip", "-n", netns.substring(netns.lastIndexOf('/') + 1), "-o",
          "link").contains("tap0"), "the tap device ends with qemu");
      jrkt.run("gc", "--grace-period=0s").ok();
      assertFalse(Files.exists(Path.of(netns)), "gc removed the pod's netns " + netns);
      assertFalse(Files.exists(podDir(uuid)), "gc removed the pod directory");
      assertFalse(Files.exists(Path.of("/var/lib/cni/networks/default").resolve(ip)),
          "gc released the pod's address");
      assertFalse(NetworkTest.sh("ip", "-o", "-4", "addr").contains(" " + ip + "/"),
          "no host interface keeps the pod's address");
      String nat = NetworkTest.sh("iptables", "-w", "-t", "nat", "-S");
      assertFalse(nat.contains(uuid) || nat.contains("--dport " + port), nat);
    } finally {
      if (running.process().isAlive()) {
        running.process().destroyForcibly();
      }
    }
  }

  @Test
  void netNoneKeepsAVmWithLoopbackOnly() {
    Path aci = Aci.busybox("example.com/kvm-nonet").shell("busybox ip -o link; cat /etc/hosts")
        .write(jrkt.work(), "kvm-nonet.aci");
    Path uuidFile = uuidFile();
    Result r = jrkt.run(runArgs(uuidFile, "--net=none", aci.toString())).ok();

    assertTrue(r.out().contains("lo: <LOOPBACK,UP,LOWER_UP>"), r.toString());
    assertFalse(r.out().contains("eth0"), r.toString());
    String uuid = Jrkt.read(uuidFile).trim();
    assertFalse(Files.exists(podDir(uuid).resolve("vm/net")), "no NIC set-up for the guest");
    assertTrue(r.out().contains("127.0.0.1 localhost localhost.localdomain\n")
        && r.out().endsWith("127.0.0.1 rkt-" + uuid + "\n"), "the default hosts: " + r);
  }

  /** Starts an httpd VM pod with these flags on h; returns it once status shows n networks. */
  private record Served(Jrkt.Running running, String uuid, List<String> ips) {}

  private Served httpdVm(Jrkt h, int networks, List<String> globals, String... flags) {
    Path aci = Aci.busybox("example.com/kvm-httpd2").shell("mkdir -p /tmp/www; "
        + "echo hello-from-the-vm > /tmp/www/index.html; exec busybox httpd -f -p 80 -h /tmp/www")
        .write(jrkt.work(), "kvm-httpd2.aci");
    Path uuidFile = uuidFile();
    List<String> args = new ArrayList<>(globals);
    args.addAll(runArgs(uuidFile, flags));
    args.add(aci.toString());
    Jrkt.Running running = h.start(args);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      if (!running.process().isAlive()) {
        throw new AssertionError("the pod ended early:\n" + running.await(Duration.ofSeconds(1)));
      }
      assertTrue(System.nanoTime() < deadline, "the pod got no network in time");
      if (Files.exists(uuidFile) && !Jrkt.read(uuidFile).isBlank()) {
        String uuid = Jrkt.read(uuidFile).trim();
        if (Files.exists(h.data().resolve("pods/run").resolve(uuid).resolve("pid"))) {
          String nets = h.run("status", uuid).ok().lines().stream()
              .filter(l -> l.startsWith("networks=")).findFirst().orElse("networks=");
          List<String> ips = new ArrayList<>();
          for (String n : nets.substring("networks=".length()).split(", ")) {
            if (n.contains(":ip4=")) {
              ips.add(n.substring(n.indexOf(":ip4=") + 5));
            }
          }
          if (ips.size() == networks) {
            return new Served(running, uuid, ips);
          }
        }
      }
      sleep(100);
    }
  }

  private static String podNetns(Path podDir) {
    String netns = Jrkt.read(podDir.resolve("netns")).trim();
    return netns.substring(netns.lastIndexOf('/') + 1);
  }

  @Test
  void aVmOnTwoNetworksHasANicOnEachAndAnswersOnBoth() {
    Served pod = httpdVm(jrkt, 2, List.of(), "--net=default,default-restricted");
    try {
      String ip0 = pod.ips().get(0);
      String ip1 = pod.ips().get(1);
      assertTrue(ip0.startsWith("172.16.28.") && ip1.startsWith("172.31."), pod.ips().toString());
      assertTrue(httpGet(ip0, 80).contains("hello-from-the-vm"));
      assertTrue(httpGet(ip1, 80).contains("hello-from-the-vm"));
      Result inside = enter(pod.uuid(), "/bin/sh", "-c",
          "busybox ip -o -4 addr; busybox ip route; busybox ip -o link").ok();
      assertTrue(inside.out().matches("(?s).*eth0\\s+inet " + ip0.replace(".", "\\.") + "/24.*"),
          inside.toString());
      assertTrue(inside.out().matches("(?s).*eth1\\s+inet " + ip1.replace(".", "\\.") + "/16.*"),
          inside.toString());
      // the default route comes from the network that has one
      assertTrue(inside.out().contains("default via 172.16.28.1 dev eth0"), inside.toString());
      assertFalse(inside.out().contains("default via 172.31."), inside.toString());
      // each NIC carries its pod interface's MAC
      String ns = podNetns(podDir(pod.uuid()));
      for (String eth : List.of("eth0", "eth1")) {
        String hostSide = NetworkTest.sh("ip", "-n", ns, "-o", "link", "show", eth);
        String mac = hostSide.replaceAll("(?s).*link/ether ([0-9a-f:]{17}).*", "$1");
        assertTrue(mac.length() == 17 && inside.out().matches("(?s).*" + eth + ":[^\\n]*link/ether "
            + mac + ".*"), hostSide + "\n" + inside);
      }
      assertTrue(NetworkTest.sh("ip", "-n", ns, "-o", "link").contains("tap1"),
          "a tap device per network");

      jrkt.run("stop", pod.uuid()).ok();
      pod.running().await(Jrkt.TIMEOUT).exits(143);
      jrkt.run("gc", "--grace-period=0s").ok();
      assertFalse(Files.exists(Path.of("/run/netns", ns)), "gc removed the pod's netns " + ns);
      for (String ip : pod.ips()) {
        assertFalse(NetworkTest.sh("ip", "-o", "-4", "addr").contains(" " + ip + "/"), ip);
      }
      assertFalse(Files.exists(Path.of("/var/lib/cni/networks/default-restricted").resolve(ip1)),
          "gc released " + ip1);
    } finally {
      if (pod.running().process().isAlive()) {
        pod.running().process().destroyForcibly();
      }
    }
  }

  /**
   * A dual-stack network (ptp, host-local with an IPv4 and a ULA IPv6 range). The ptp plugin
   * turns on IPv6 forwarding where it runs, so the pod is started from a network namespace the
   * test makes (its host side and that setting stay there), and the traffic goes from there to
   * the pod.
   */
  @Test
  void aDualStackNetworkGivesTheGuestItsIpv6AddressAndRoutes() throws IOException {
    int octet = 100 + new java.util.Random().nextInt(100);
    String name = "kvm6-" + octet;
    String ns = "jrkt-test-" + name + "-" + ProcessHandle.current().pid();
    assertEquals("", NetworkTest.sh("ip", "netns", "add", ns));
    Jrkt h = Jrkt.create(getClass(), jrkt.work(), List.of("nsenter", "--net=/run/netns/" + ns,
        "--"));
    Path netD = Files.createDirectories(h.work().resolve("local-config/net.d"));
    Files.writeString(netD.resolve("10-" + name + ".conf"), "{\"cniVersion\":\"0.4.0\","
        + "\"name\":\"" + name + "\",\"type\":\"ptp\",\"ipam\":{\"type\":\"host-local\","
        + "\"ranges\":[[{\"subnet\":\"10." + octet + ".6.0/24\"}],[{\"subnet\":\"fd00:6b76:"
        + octet + "::/64\"}]],\"routes\":[{\"dst\":\"fd00:6b77::/48\"}]}}");
    Served pod = null;
    try {
      pod = httpdVm(h, 1, List.of("--local-config=" + netD.getParent()), "--net=" + name);
      String podNs = podNetns(h.data().resolve("pods/run").resolve(pod.uuid()));
      String v6 = NetworkTest.sh("ip", "-n", podNs, "-o", "-6", "addr", "show", "dev", "eth0",
          "scope", "global").replaceAll("(?s).*inet6 ([0-9a-f:]+)/64.*", "$1");
      assertTrue(v6.startsWith("fd00:6b76:" + octet + "::"), v6);
      List<String> enter = List.of("enter", pod.uuid(), "/bin/sh", "-c",
          "busybox ip -o -6 addr show dev eth0; busybox ip -6 route");
      Result inside = h.run(enter).ok();
      assertTrue(inside.out().contains("inet6 " + v6 + "/64 scope global"), inside.toString());
      assertFalse(inside.out().contains("tentative"), "usable at once: " + inside);
      assertTrue(inside.out().contains("fd00:6b77::/48 via fd00:6b76:" + octet + "::1 dev eth0"),
          "the network's route: " + inside);
      // from the test's namespace (the network's host side) to the guest, over IPv6
      String page = "";
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (!page.contains("hello-from-the-vm") && System.nanoTime() < deadline) {
        // (busybox wget cannot take an IPv6 address; its nc can)
        page = NetworkTest.sh("nsenter", "--net=/run/netns/" + ns, "--", "sh", "-c",
            "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 5 " + v6 + " 80");
        if (!page.contains("hello-from-the-vm")) {
          sleep(300);
        }
      }
      assertTrue(page.contains("hello-from-the-vm"), page);

      h.run("stop", pod.uuid()).ok();
      pod.running().await(Jrkt.TIMEOUT).exits(143);
      h.run("gc", "--grace-period=0s").ok();
      assertFalse(Files.exists(Path.of("/run/netns", podNs)), "gc removed the pod's netns");
      assertFalse(Files.exists(Path.of("/var/lib/cni/networks", name, v6)), "gc released " + v6);
    } finally {
      if (pod != null && pod.running().process().isAlive()) {
        pod.running().process().destroyForcibly();
      }
      h.run("gc", "--grace-period=0s");
      h.close();
      NetworkTest.sh("ip", "netns", "del", ns);
      // host-local's state directory of the network this test made (no address left in it)
      NetworkTest.sh("rm", "-rf", "/var/lib/cni/networks/" + name);
    }
  }
}
