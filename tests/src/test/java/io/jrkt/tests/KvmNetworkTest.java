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
    stage1 = jrkt.bin().resolve("stage1-kvm.aci");
    assumeTrue(Files.isRegularFile(stage1), stage1 + " is not built (module stage1-kvm)");
    assumeTrue(Jrkt.exec(List.of("qemu-system-x86_64", "--version")) == 0,
        "qemu-system-x86_64 is not installed on this host");
    assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/ptp")),
        "containernetworking-plugins are not installed");
    assumeTrue(Jrkt.exec(List.of("sh", "-c", "tar -tf " + stage1
        + " | grep -q '^rootfs/kernel/vmlinux$'")) == 0, stage1 + " was built without a kernel");
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
}
