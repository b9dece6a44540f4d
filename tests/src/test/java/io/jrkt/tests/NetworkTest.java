package io.jrkt.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pod networking through the real CLI, the nspawn stage1 and Debian's CNI plugins: each
 * {@code --net} form, DNS and hosts flags, traffic between pods and from the host's loopback
 * through a forwarded port, bad input, and gc leaving no netns, veth, IPAM file or iptables
 * rule behind, also after crashes. All traffic stays between the host and the pods' namespaces.
 *
 * <p>{@code -Djrkt.net.crashLoop=N} sets the number of pods of the crash loop (default 20).
 */
class NetworkTest extends FunctionalTest {
  private static final Path IPAM_DIR = Path.of("/var/lib/cni/networks");
  private static final Pattern IP4 = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/(\\d+)");
  private Path stage1;
  private Path localConfig;
  private String ipForward;
  private int uuidFiles;
  /** Distinct per run so that concurrent test runs do not collide in subnets. */
  private final int octet = 100 + new Random().nextInt(100);

  @BeforeAll
  void setUp() throws IOException {
    Path repo = Path.of(System.getProperty("jrkt.bin")).toAbsolutePath().normalize().getParent();
    stage1 = repo.resolve("stage1-nspawn/target/stage1-coreos.aci");
    assumeTrue(Files.isRegularFile(stage1), "the nspawn stage1 is not built: " + stage1);
    assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/ptp")),
        "containernetworking-plugins are not installed");
    localConfig = Files.createDirectories(jrkt.work().resolve("local-config"));
    Files.createDirectories(localConfig.resolve("net.d"));
    // The default network's plugins turn on forwarding; restored as found afterwards.
    ipForward = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")).trim();
  }

  @AfterAll
  void restoreHostState() throws IOException {
    if (ipForward != null) {
      jrkt.run("gc", "--grace-period=0s", "--expire-prepared=0s");
      Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), ipForward);
    }
    // host-local's per-network directories of this run's networks, once they hold no address.
    for (String net : List.of("na-", "nb-", "dira-", "dirb-", "dnsnet-", "failing-", "k8s-")) {
      Path dir = IPAM_DIR.resolve(net + octet);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> files = Files.list(dir)) {
          List<Path> all = files.toList();
          if (all.stream().allMatch(f -> f.getFileName().toString().equals("lock")
              || f.getFileName().toString().startsWith("last_reserved_ip"))) {
            for (Path f : all) {
              Files.delete(f);
            }
            Files.delete(dir);
          }
        }
      }
    }
  }

  // ---- helpers ----

  private List<String> runArgs(Path uuidFile, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(Jrkt.INSECURE, "--local-config=" + localConfig,
        "run", "--stage1-path=" + stage1, "--uuid-file-save=" + uuidFile));
    cmd.addAll(args);
    return cmd;
  }

  private Path uuidFile() {
    return jrkt.work().resolve("net-uuid-" + (++uuidFiles));
  }

  private Jrkt.PodRun pod(String... args) {
    Path uuidFile = uuidFile();
    Result r = jrkt.run(runArgs(uuidFile, List.of(args)));
    return new Jrkt.PodRun(r, Files.exists(uuidFile) ? Jrkt.read(uuidFile).trim() : null);
  }

  private record Background(Jrkt.Running running, String uuid) {}

  /** Starts a pod and waits until {@code readyFile} (a volume path on the host) exists. */
  private Background podInBackground(Path readyFile, String... args) {
    Path uuidFile = uuidFile();
    Jrkt.Running running = jrkt.start(runArgs(uuidFile, List.of(args)));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!Files.exists(readyFile)) {
      if (!running.process().isAlive()) {
        throw new AssertionError("the pod ended early:\n" + running.await(Duration.ofSeconds(1)));
      }
      if (System.nanoTime() > deadline) {
        running.process().destroyForcibly();
        throw new AssertionError(readyFile + " did not appear");
      }
      sleep(20);
    }
    return new Background(running, Jrkt.read(uuidFile).trim());
  }

  private Path image(String name, String script) {
    return Aci.busybox("example.com/net-" + name).shell(script).write(jrkt.work(),
        name + ".aci");
  }

  private Path netConf(String file, String json) {
    try {
      return Files.writeString(localConfig.resolve("net.d").resolve(file), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void removeNetConf(String file) {
    try {
      Files.deleteIfExists(localConfig.resolve("net.d").resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String ptpConf(String name, String subnet, String extra) {
    return "{\"cniVersion\":\"0.4.0\",\"name\":\"" + name + "\",\"type\":\"ptp\"" + extra
        + ",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"" + subnet + "\"}}";
  }

  private Path podDir(String uuid) {
    for (String state : List.of("run", "exited-garbage", "prepared", "garbage")) {
      Path p = jrkt.data().resolve("pods").resolve(state).resolve(uuid);
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    throw new AssertionError("no pod directory for " + uuid);
  }

  private static List<String[]> addresses(String ipAddrOutput) {
    List<String[]> out = new ArrayList<>();
    Matcher m = IP4.matcher(ipAddrOutput);
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(2)});
    }
    return out;
  }

  static String sh(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** What pod networking leaves on the host, counted. */
  record HostState(long netns, long veths, long ipamFiles, long natRules, long filterRules,
      long podChains) {
    static HostState now() {
      return new HostState(count(Path.of("/run/netns"), "jrkt-"),
          sh("ip", "-o", "link", "show", "type", "veth").lines().count(),
          countIpamFiles(), rules("nat"), rules("filter"), countPodChains());
    }

    private static long count(Path dir, String prefix) {
      if (!Files.isDirectory(dir)) {
        return 0;
      }
      try (Stream<Path> s = Files.list(dir)) {
        return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static long countIpamFiles() {
      long n = 0;
      for (String net : List.of("default", "default-restricted")) {
        Path d = IPAM_DIR.resolve(net);
        if (Files.isDirectory(d)) {
          try (Stream<Path> s = Files.list(d)) {
            n += s.filter(p -> p.getFileName().toString().matches("\\d+\\.\\d+\\.\\d+\\.\\d+"))
                .count();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
      return n;
    }

    /**
     * The plugins' per-pod nat chains (ptp's masquerade chain, portmap's DNAT chain), empty or
     * not; portmap's shared CNI-HOSTPORT-* chains stay by design.
     */
    private static long countPodChains() {
      return sh("iptables", "-w", "-t", "nat", "-S").lines()
          .filter(l -> l.startsWith("-N CNI-") && !l.startsWith("-N CNI-HOSTPORT-")).count();
    }

    /** iptables rules that mention the default networks' addresses. */
    private static long rules(String table) {
      return sh("iptables", "-w", "-t", table, "-S").lines()
          .filter(l -> l.contains("172.16.28.") || l.contains("172.31.")).count();
    }
  }

  /** Nothing recorded for the pod is left on the host. */
  private static void assertTornDown(String uuid, String ip) {
    assertFalse(Files.exists(Path.of("/run/netns/jrkt-" + uuid)), "netns of " + uuid);
    for (String table : List.of("nat", "filter")) {
      String rules = sh("iptables", "-w", "-t", table, "-S");
      assertFalse(rules.contains(uuid), table + " rules still name " + uuid + ":\n" + rules);
      if (ip != null) {
        assertFalse(rules.contains(ip + "/32") || rules.contains(ip + ":"),
            table + " rules still name " + ip + ":\n" + rules);
      }
    }
    if (ip != null) {
      assertFalse(Files.exists(IPAM_DIR.resolve("default").resolve(ip)), "IPAM file of " + ip);
    }
  }

  // ---- the --net forms ----

  @Test
  void defaultNetworkGivesAnAddressLoopbackAndListShowsIt() {
    Path aci = image("default", "busybox ip -o -4 addr; busybox ip route; "
        + "busybox ip -o link show lo");
    Jrkt.PodRun run = pod(aci.toString());
    run.result().ok();
    String uuid = run.requireUuid();
    String out = run.result().out();
    List<String[]> addrs = addresses(out);
    assertEquals(2, addrs.size(), out);
    assertEquals("127.0.0.1", addrs.get(0)[0]);
    String ip = addrs.get(1)[0];
    assertTrue(ip.startsWith("172.16.28.") && addrs.get(1)[1].equals("24"), out);
    assertTrue(out.contains("eth0"), out);
    assertTrue(out.contains("default via 172.16.28.1"), out);
    assertTrue(out.contains("<LOOPBACK,UP,LOWER_UP>"), "loopback is up: " + out);

    String listed = jrkt.run("list", "--no-legend").ok().out();
    assertTrue(listed.contains("default:ip4=" + ip), listed);
    assertEquals("default:ip4=" + ip, status(uuid).get("networks"));
    String info = Jrkt.read(podDir(uuid).resolve("net-info.json"));
    assertTrue(info.startsWith("[{\"netName\":\"default\",\"netConf\":"), info);
    assertTrue(info.contains("\"ifName\":\"eth0\",\"ip\":\"" + ip
        + "\",\"args\":\"\",\"mask\":\"255.255.255.0\"}"), info);
    assertEquals("/run/netns/jrkt-" + uuid, Jrkt.read(podDir(uuid).resolve("netns")).trim());
    assertTrue(Files.exists(IPAM_DIR.resolve("default").resolve(ip)));
    // The masquerade (jrkt's own for the built-in network) is the ptp plugin's: its chain, its
    // comment, its rules in its order.
    String comment = "-m comment --comment \"name: \\\"default\\\" id: \\\"" + uuid
        + "\\\"\"";
    List<String> nat = sh("iptables", "-w", "-t", "nat", "-S").lines()
        .filter(l -> l.contains(uuid)).toList();
    assertEquals(3, nat.size(), String.join("\n", nat));
    String chain = nat.stream().filter(l -> l.startsWith("-A POSTROUTING")).findFirst()
        .orElseThrow().replaceFirst(".* -j ", "");
    assertTrue(chain.matches("CNI-[0-9a-f]{24}"), chain);
    assertEquals(List.of("-A POSTROUTING -s " + ip + "/32 " + comment + " -j " + chain,
        "-A " + chain + " -d 172.16.28.0/24 " + comment + " -j ACCEPT",
        "-A " + chain + " ! -d 224.0.0.0/4 " + comment + " -j MASQUERADE"), nat);
    assertTrue(Files.exists(podDir(uuid).resolve("net/00-default.masq")));

    jrkt.run("rm", uuid).ok();
    assertTornDown(uuid, ip);
    assertFalse(sh("iptables", "-w", "-t", "nat", "-S").lines()
        .anyMatch(l -> l.equals("-N " + chain)), "chain " + chain + " is left");
  }

  @Test
  void hostNetworkIsTheHostsAndRecordsNothing() throws IOException {
    String hostNs = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    Jrkt.PodRun run = pod("--net=host", image("host", "busybox readlink /proc/self/ns/net")
        .toString());
    run.result().ok();
    assertEquals(hostNs, run.result().out().trim());
    Path dir = podDir(run.requireUuid());
    assertFalse(Files.exists(dir.resolve("net-info.json")));
    assertFalse(Files.exists(dir.resolve("netns")));
    assertEquals("", status(run.requireUuid()).getOrDefault("networks", ""));
  }

  @Test
  void flyKeepsTheHostNetworkWhateverNetSays() throws IOException {
    String hostNs = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    Path uuidFile = uuidFile();
    Result r = jrkt.run(Jrkt.INSECURE, "--local-config=" + localConfig, "run", Jrkt.FLY,
        "--uuid-file-save=" + uuidFile, "--net=default",
        image("fly", "busybox readlink /proc/self/ns/net").toString());
    r.ok();
    assertEquals(hostNs, r.out().trim());
    String uuid = Jrkt.read(uuidFile).trim();
    assertFalse(Files.exists(podDir(uuid).resolve("netns")));
    assertFalse(Files.exists(podDir(uuid).resolve("net-info.json")));
  }

  @Test
  void noneHasOnlyLoopback() throws IOException {
    String hostNs = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
    Jrkt.PodRun run = pod("--net=none", image("none",
        "busybox readlink /proc/self/ns/net; busybox ip -o link").toString());
    run.result().ok();
    List<String> lines = run.result().lines();
    assertNotEquals(hostNs, lines.get(0));
    assertEquals(2, lines.size(), run.result().out());
    assertTrue(lines.get(1).startsWith("1: lo: <LOOPBACK,UP,LOWER_UP>"), run.result().out());
    assertFalse(Files.exists(podDir(run.requireUuid()).resolve("net-info.json")));
  }

  @Test
  void defaultRestrictedHasNoDefaultRoute() {
    Jrkt.PodRun run = pod("--net=default-restricted", image("restricted",
        "busybox ip -o -4 addr show eth0; busybox ip route").toString());
    run.result().ok();
    String out = run.result().out();
    assertTrue(addresses(out).get(0)[0].startsWith("172.31."), out);
    assertFalse(out.contains("default via"), out);
    String uuid = run.requireUuid();
    String ip = addresses(out).get(0)[0];
    assertEquals("default-restricted:ip4=" + ip, status(uuid).get("networks"));
    assertFalse(sh("iptables", "-w", "-t", "nat", "-S").contains(uuid),
        "no masquerade for the restricted network");
  }

  @Test
  void namedNetworksGetTheirArgumentsAndAllJoinsEveryNetwork() {
    String a = "10." + octet + ".1.0/24";
    String b = "10." + octet + ".2.0/24";
    netConf("10-na.conf", ptpConf("na-" + octet, a, ""));
    netConf("20-nb.conf", ptpConf("nb-" + octet, b, ""));
    try {
      String wanted = "10." + octet + ".2.77";
      Jrkt.PodRun run = pod("--net=na-" + octet + ",nb-" + octet + ":IgnoreUnknown=1;IP="
          + wanted, image("named", "busybox ip -o -4 addr").toString());
      run.result().ok();
      String out = run.result().out();
      assertTrue(out.contains("eth0    inet 10." + octet + ".1."), out);
      assertTrue(out.contains("eth1    inet " + wanted + "/24"), "CNI_ARGS IP= honoured: "
          + out);
      String info = Jrkt.read(podDir(run.requireUuid()).resolve("net-info.json"));
      assertTrue(info.contains("\"args\":\"IgnoreUnknown=1;IP=" + wanted + "\""), info);

      Jrkt.PodRun all = pod("--net=all", image("all", "busybox ip -o -4 addr").toString());
      all.result().ok();
      String allOut = all.result().out();
      assertTrue(allOut.contains("eth0    inet 10." + octet + ".1."), allOut);
      assertTrue(allOut.contains("eth1    inet 10." + octet + ".2."), allOut);
      assertTrue(allOut.contains("eth2    inet 172.16.28."), allOut);
      jrkt.run("rm", run.requireUuid(), all.requireUuid()).ok();
      assertFalse(Files.exists(IPAM_DIR.resolve("nb-" + octet).resolve(wanted)));
    } finally {
      removeNetConf("10-na.conf");
      removeNetConf("20-nb.conf");
    }
  }

  @Test
  void withoutLocalConfigNetworksComeFromEtcJrktThenEtcRkt() throws IOException {
    Path etcJrkt = Path.of("/etc/jrkt");
    Path etcRkt = Path.of("/etc/rkt");
    // The host's own configuration is never touched: the test runs only where neither
    // directory of networks exists, and removes exactly what it made.
    assumeTrue(!Files.exists(etcJrkt) && !Files.exists(etcRkt.resolve("net.d")),
        "the host has its own /etc/jrkt or /etc/rkt/net.d");
    boolean madeEtcRkt = !Files.exists(etcRkt);
    Path jrktNetD = Files.createDirectories(etcJrkt.resolve("net.d"));
    Path rktNetD = Files.createDirectories(etcRkt.resolve("net.d"));
    try {
      String a = "10." + octet + ".3.0/24";
      String b = "10." + octet + ".4.0/24";
      Files.writeString(jrktNetD.resolve("50-a.conf"), ptpConf("dira-" + octet, a, ""));
      // The same name in /etc/rkt/net.d is hidden (on b's subnet, it would make the two clash).
      Files.writeString(rktNetD.resolve("10-a.conf"), ptpConf("dira-" + octet, b, ""));
      Files.writeString(rktNetD.resolve("20-b.conf"), ptpConf("dirb-" + octet, b, ""));
      Path uuidFile = uuidFile();
      Result r = jrkt.run(Jrkt.INSECURE, "run", "--stage1-path=" + stage1,
          "--uuid-file-save=" + uuidFile, "--net=dira-" + octet + ",dirb-" + octet,
          image("dirs", "busybox ip -o -4 addr").toString());
      r.ok();
      assertTrue(r.out().contains("eth0    inet 10." + octet + ".3."), r.out());
      assertTrue(r.out().contains("eth1    inet 10." + octet + ".4."), r.out());
      jrkt.run("rm", Jrkt.read(uuidFile).trim()).ok();
      // Given --local-config, only its net.d counts.
      Result given = jrkt.run(Jrkt.INSECURE, "--local-config=" + localConfig, "run",
          "--stage1-path=" + stage1, "--net=dira-" + octet, image("dirs-refused", "true").toString());
      assertEquals(254, given.exit(), given.toString());
      assertTrue(given.err().contains("network \"dira-" + octet + "\" is not configured (no"
          + " *.conf file in " + localConfig.resolve("net.d") + " names it)"), given.err());
    } finally {
      Files.deleteIfExists(jrktNetD.resolve("50-a.conf"));
      Files.deleteIfExists(rktNetD.resolve("10-a.conf"));
      Files.deleteIfExists(rktNetD.resolve("20-b.conf"));
      Files.delete(jrktNetD);
      Files.delete(etcJrkt);
      Files.delete(rktNetD);
      if (madeEtcRkt) {
        Files.delete(etcRkt);
      }
    }
  }

  @Test
  void theKubernetesExampleNetworkWorks() throws IOException {
    Path repo = Path.of(System.getProperty("jrkt.bin")).toAbsolutePath().normalize().getParent();
    String example = Jrkt.read(repo.resolve("net.d-examples/10-rkt.kubernetes.io.conf"));
    // The example as it is, but on a bridge and subnet of this test's own.
    String bridge = "jrktbr" + octet;
    netConf("40-k8s.conf", example.replace("\"cni0\"", "\"" + bridge + "\"")
        .replace("10.22.0.0/16", "10." + octet + ".20.0/24")
        .replace("\"rkt.kubernetes.io\"", "\"k8s-" + octet + "\""));
    try {
      Jrkt.PodRun run = pod("--net=k8s-" + octet, image("k8s",
          "busybox ip -o -4 addr show eth0; busybox ping -c 1 -W 3 10." + octet + ".20.1")
          .toString());
      run.result().ok();
      assertTrue(run.result().out().contains("inet 10." + octet + ".20."), run.result().out());
      assertTrue(run.result().out().contains("1 packets received"), run.result().out());
      jrkt.run("rm", run.requireUuid()).ok();
      assertTornDown(run.requireUuid(), null);
    } finally {
      removeNetConf("40-k8s.conf");
      // The bridge plugin leaves its bridge; this one is the test's.
      sh("ip", "link", "del", bridge);
    }
  }

  @Test
  void runPreparedSetsUpTheNetworkItIsGiven() {
    String uuid = jrkt.run(Jrkt.INSECURE, "prepare", "--quiet", "--stage1-path=" + stage1,
        image("prepared", "busybox ip -o -4 addr show eth0").toString()).ok().out().trim();
    Result r = jrkt.run(Jrkt.INSECURE, "--local-config=" + localConfig, "run-prepared",
        "--net=default-restricted", uuid);
    r.ok();
    assertTrue(r.out().contains("inet 172.31."), r.out());
    assertTrue(status(uuid).get("networks").startsWith("default-restricted:ip4=172.31."));
    jrkt.run("rm", uuid).ok();
    assertTornDown(uuid, null);
  }

  // ---- DNS, hosts, hostname ----

  @Test
  void dnsFlagsWriteResolvConf() {
    Path aci = image("dns", "cat /etc/resolv.conf");
    Jrkt.PodRun run = pod("--dns=10.0.0.53", "--dns=10.0.0.54", "--dns-search=a.example",
        "--dns-opt=ndots:3", "--dns-domain=b.example", aci.toString());
    run.result().ok();
    assertEquals("# Generated by rkt run\nsearch a.example\nnameserver 10.0.0.53\n"
        + "nameserver 10.0.0.54\noptions ndots:3\ndomain b.example\n", run.result().out());

    Jrkt.PodRun host = pod("--dns=host", aci.toString());
    host.result().ok();
    assertEquals(Jrkt.read(Path.of("/etc/resolv.conf")), host.result().out());

    Jrkt.PodRun none = pod("--dns=none", image("dns-none",
        "test -e /etc/resolv.conf && echo present || echo absent").toString());
    none.result().ok();
    assertEquals("absent\n", none.result().out());
  }

  @Test
  void aNetworksDnsAnswerBecomesResolvConfUnlessDnsIsNone() {
    netConf("30-dns.conf", ptpConf("dnsnet-" + octet, "10." + octet + ".3.0/24",
        ",\"dns\":{\"nameservers\":[\"10." + octet + ".3.1\"],\"search\":[\"pods.example\"]}"));
    try {
      Path aci = image("cni-dns", "cat /etc/resolv.conf 2>/dev/null || echo absent");
      Jrkt.PodRun run = pod("--net=dnsnet-" + octet, aci.toString());
      run.result().ok();
      assertEquals("# Generated by rkt run\nsearch pods.example\nnameserver 10." + octet
          + ".3.1\n", run.result().out());
      Jrkt.PodRun none = pod("--net=dnsnet-" + octet, "--dns=none", aci.toString());
      none.result().ok();
      assertEquals("absent\n", none.result().out());
    } finally {
      removeNetConf("30-dns.conf");
    }
  }

  @Test
  void hostnameAndHostsEntries() {
    Path aci = image("hosts", "busybox hostname; cat /etc/hostname; echo ---; cat /etc/hosts");
    Jrkt.PodRun run = pod("--hostname=web-1", "--hosts-entry=10.9.9.9=db",
        "--hosts-entry=10.9.9.9=db.example", aci.toString());
    run.result().ok();
    String out = run.result().out();
    assertTrue(out.startsWith("web-1\nweb-1\n---\n127.0.0.1 localhost"), out);
    assertTrue(out.contains("# Added by rkt run --hosts-entry\n10.9.9.9 db db.example\n"), out);
    assertTrue(out.endsWith("127.0.0.1 web-1\n"), out);

    Jrkt.PodRun dflt = pod(aci.toString());
    dflt.result().ok();
    String name = "rkt-" + dflt.requireUuid();
    assertTrue(dflt.result().out().startsWith(name + "\n" + name + "\n---\n"
        + "127.0.0.1 localhost localhost.localdomain\n"), dflt.result().out());
    assertTrue(dflt.result().out().contains("127.0.0.1 " + name + "\n"), dflt.result().out());

    Jrkt.PodRun host = pod("--hosts-entry=host", image("hosts-host", "cat /etc/hosts")
        .toString());
    host.result().ok();
    assertEquals(Jrkt.read(Path.of("/etc/hosts")), host.result().out());

    Jrkt.PodRun own = pod(Aci.busybox("example.com/net-own-hosts")
        .file("etc/hosts", "10.1.1.1 mine\n").shell("cat /etc/hosts")
        .write(jrkt.work(), "own-hosts.aci").toString());
    own.result().ok();
    assertEquals("10.1.1.1 mine\n", own.result().out(), "an image's own hosts file is kept");
  }

  // ---- traffic ----

  @Test
  void twoPodsOnDefaultPingEachOther() throws IOException {
    Path shared = Files.createDirectories(jrkt.work().resolve("ping"));
    Path aci = image("pinger", "busybox ip -o -4 addr show eth0 > /shared/$ROLE.tmp; "
        + "mv /shared/$ROLE.tmp /shared/$ROLE; "
        + "while [ ! -e /shared/$PEER ]; do sleep 0.1; done; "
        + "PEERIP=$(busybox sed -n 's/.*inet \\([0-9.]*\\)\\/.*/\\1/p' /shared/$PEER); "
        + "busybox ping -c 2 -W 3 $PEERIP > /shared/$ROLE.ping 2>&1; echo $? > /shared/$ROLE.rc;"
        + " while [ ! -e /shared/$PEER.rc ]; do sleep 0.1; done");
    List<String> vol = List.of("--volume=shared,kind=host,source=" + shared,
        "--mount=volume=shared,target=/shared");
    List<String> a = new ArrayList<>(vol);
    a.addAll(List.of(aci.toString(), "--environment=ROLE=a", "--environment=PEER=b"));
    List<String> b = new ArrayList<>(vol);
    b.addAll(List.of(aci.toString(), "--environment=ROLE=b", "--environment=PEER=a"));
    Jrkt.Running first = jrkt.start(runArgs(uuidFile(), a));
    Jrkt.Running second = jrkt.start(runArgs(uuidFile(), b));
    first.await(Duration.ofSeconds(60)).ok();
    second.await(Duration.ofSeconds(60)).ok();
    for (String role : List.of("a", "b")) {
      assertEquals("0", Jrkt.read(shared.resolve(role + ".rc")).trim(),
          Jrkt.read(shared.resolve(role + ".ping")));
    }
    assertTrue(Jrkt.read(shared.resolve("a.ping")).contains("2 packets received"));
  }

  @Test
  void aForwardedPortAnswersOnTheHostsLoopbackAndGcRemovesTheRules() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path ready = jrkt.work().resolve("httpd-ready");
    Files.createDirectories(ready);
    Path aci = Aci.busybox("example.com/net-httpd").port("http", "tcp", 80)
        .file("www/index.html", "hello from the pod\n")
        .shell("touch /ready/up; exec busybox httpd -f -p 80 -h /www")
        .write(jrkt.work(), "httpd.aci");
    Background pod = podInBackground(ready.resolve("up"), "--port=http:" + port,
        "--volume=ready,kind=host,source=" + ready, "--mount=volume=ready,target=/ready",
        aci.toString());
    String ip = status(pod.uuid()).get("networks").replace("default:ip4=", "");
    try {
      assertEquals("hello from the pod\n", httpGet("127.0.0.1", port));
      assertEquals("hello from the pod\n", httpGet(ip, 80));
      // The port is taken now: a second pod asking for it is refused.
      Result busy = pod("--port=http:" + port, aci.toString()).result();
      busy.rejected();
      assertTrue(busy.err().contains("host port " + port + "/tcp is already in use"),
          busy.err());
    } finally {
      jrkt.run("stop", "--force", pod.uuid());
      pod.running().await(Duration.ofSeconds(20));
    }
    assertTrue(sh("iptables", "-w", "-t", "nat", "-S").contains("--dport " + port));
    jrkt.run("gc", "--grace-period=0s").ok();
    String nat = sh("iptables", "-w", "-t", "nat", "-S");
    assertFalse(nat.contains("--dport " + port), nat);
    assertTornDown(pod.uuid(), ip);
  }

  private static String httpGet(String host, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 5000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET /index.html HTTP/1.0\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.0 200") || response.startsWith("HTTP/1.1 200"),
          response);
      return response.substring(response.indexOf("\r\n\r\n") + 4);
    }
  }

  // ---- bad input: 254, one line, nothing left ----

  private void assertRefusedCleanly(String expected, String... args) {
    HostState before = HostState.now();
    Jrkt.PodRun run = pod(args);
    run.result().rejected();
    assertTrue(run.result().err().contains(expected), run.result().err());
    assertEquals(before, HostState.now());
    if (run.uuid() != null) {
      Path dir = podDir(run.uuid());
      assertFalse(Files.exists(dir.resolve("netns")), "netns record left");
      assertFalse(Files.exists(dir.resolve("net")), "net/ records left");
      assertFalse(Files.exists(Path.of("/run/netns/jrkt-" + run.uuid())));
    }
  }

  @Test
  void badNetworkInputIsRefusedWithNothingHalfConfigured() throws IOException {
    String aci = image("bad", "true").toString();
    netConf("50-broken.conf", "{\"name\": \"broken\", ");
    try {
      assertRefusedCleanly("50-broken.conf: invalid network config JSON", "--net=default", aci);
    } finally {
      removeNetConf("50-broken.conf");
    }
    netConf("51-noplugin.conf", "{\"name\":\"noplugin\",\"type\":\"no-such-plugin\"}");
    try {
      assertRefusedCleanly("no CNI plugin \"no-such-plugin\"", "--net=noplugin", aci);
    } finally {
      removeNetConf("51-noplugin.conf");
    }
    assertRefusedCleanly("network \"nosuchnet\" is not configured", "--net=nosuchnet", aci);
    assertRefusedCleanly("must be KEY=VALUE", "--net=default:novalue", aci);
    netConf("52-clash.conf", ptpConf("clash", "172.16.0.0/16", ""));
    try {
      assertRefusedCleanly("overlapping subnets", "--net=default,clash", aci);
    } finally {
      removeNetConf("52-clash.conf");
    }
    Path withPort = Aci.busybox("example.com/net-port").port("http", "tcp", 80).shell("true")
        .write(jrkt.work(), "port.aci");
    assertRefusedCleanly("no app of the pod has a port named \"nope\"", "--port=nope:18080",
        withPort.toString());
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      assertRefusedCleanly("is already in use",
          "--port=http:127.0.0.1:" + taken.getLocalPort(), withPort.toString());
    }
    // A plugin that fails half-way (ADD of the second network) leaves nothing of the first.
    netConf("53-failing.conf", "{\"cniVersion\":\"0.4.0\",\"name\":\"failing-" + octet
        + "\",\"type\":"
        + "\"ptp\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10." + octet
        + ".9.0/30\"}}");
    try {
      assertRefusedCleanly("failed", "--net=default,failing-" + octet + ":IP=10.99.99.99", aci);
    } finally {
      removeNetConf("53-failing.conf");
    }
  }

  // ---- leak-free gc ----

  @Test
  void aMissingPluginKeepsThePodUntilItIsBack() throws IOException {
    Path netD = localConfig.resolve("net.d");
    // The built-in default network finds its plugin in net.d first (rkt's lookup order).
    Path ptp = Files.copy(Path.of("/usr/lib/cni/ptp"), netD.resolve("ptp"),
        StandardCopyOption.REPLACE_EXISTING);
    String uuid;
    String ip;
    try {
      Jrkt.PodRun run = pod(image("gone", "true").toString());
      run.result().ok();
      uuid = run.requireUuid();
      ip = status(uuid).get("networks").replace("default:ip4=", "");
      assertTrue(Jrkt.read(podDir(uuid).resolve("net-info.json")).contains(ptp.toString()));
    } finally {
      Files.move(ptp, jrkt.work().resolve("ptp-aside"), StandardCopyOption.REPLACE_EXISTING);
    }
    Result gc = jrkt.run("gc", "--grace-period=0s");
    assertEquals(254, gc.exit(), gc.toString());
    assertTrue(gc.err().contains("is missing"), gc.err());
    assertTrue(Files.isDirectory(podDir(uuid).resolve("net")), "the record is kept");
    assertTrue(Files.exists(IPAM_DIR.resolve("default").resolve(ip)),
        "the address stays allocated until DEL");
    assertTrue(Files.exists(Path.of("/run/netns/jrkt-" + uuid)),
        "the netns stays for the plugin's DEL");

    Files.move(jrkt.work().resolve("ptp-aside"), ptp);
    try {
      jrkt.run("gc", "--grace-period=0s").ok();
      assertTornDown(uuid, ip);
    } finally {
      Files.deleteIfExists(ptp);
    }
  }

  @Test
  void afterARebootGcReleasesTheAddressesOfPodsWhoseNetnsIsGone() {
    String uuid = exitedDefaultPod("reboot");
    String ip = status(uuid).get("networks").replace("default:ip4=", "");
    // What a reboot does to the pod's networking: the netns (and with it the veth) and the
    // iptables rules are gone, the host-local address file on disk is not.
    assertEquals("", sh("umount", "/run/netns/jrkt-" + uuid).trim());
    assertEquals("", sh("rm", "/run/netns/jrkt-" + uuid).trim());
    removeMasquerade(uuid);
    assertTrue(Files.exists(IPAM_DIR.resolve("default").resolve(ip)));

    jrkt.run("gc", "--grace-period=0s").ok();
    assertTornDown(uuid, ip);
  }

  @Test
  void aPodWhoseMasqueradeChainIsMissingLeavesNoChainAfterGc() {
    // The state of a ptp ADD killed after the pod's interface got its address but before its
    // masquerade chain was made: the plugin's DEL fails on the missing chain, jrkt makes it for
    // the DEL and must remove it again.
    String uuid = exitedDefaultPod("nochain");
    String ip = status(uuid).get("networks").replace("default:ip4=", "");
    String chain = removeMasquerade(uuid);
    assertTrue(Files.exists(Path.of("/run/netns/jrkt-" + uuid)), "the netns is still there");

    jrkt.run("--debug", "gc", "--grace-period=0s").ok();
    assertTornDown(uuid, ip);
    assertFalse(sh("iptables", "-w", "-t", "nat", "-S").lines()
        .anyMatch(l -> l.equals("-N " + chain)), "chain " + chain + " is left");
  }

  /** Runs a /bin/true pod on the default network; returns its UUID. */
  private String exitedDefaultPod(String name) {
    Jrkt.PodRun run = pod(image(name, "true").toString());
    run.result().ok();
    return run.requireUuid();
  }

  /** Removes the pod's masquerade (its POSTROUTING rule and its chain); returns the chain. */
  private static String removeMasquerade(String uuid) {
    String chain = sh("iptables", "-w", "-t", "nat", "-S").lines()
        .filter(l -> l.startsWith("-A CNI-") && l.contains(uuid)).map(l -> l.split(" ")[1])
        .findFirst().orElseThrow();
    for (String rule : sh("iptables", "-w", "-t", "nat", "-S").lines()
        .filter(l -> l.contains(uuid) && l.startsWith("-A POSTROUTING")).toList()) {
      List<String> del = new ArrayList<>(List.of("iptables", "-w", "-t", "nat"));
      del.addAll(splitRule(rule.replaceFirst("^-A", "-D")));
      assertEquals("", sh(del.toArray(new String[0])).trim());
    }
    sh("iptables", "-w", "-t", "nat", "-F", chain);
    sh("iptables", "-w", "-t", "nat", "-X", chain);
    return chain;
  }

  /** An {@code iptables -S} rule as arguments, quoted comments kept whole. */
  private static List<String> splitRule(String rule) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+)").matcher(rule);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1).replace("\\\"", "\"") : m.group(2));
    }
    return out;
  }

  @Test
  void podsKilledAtRandomMomentsOfSetUpLeaveNothingAfterGc() {
    int pods = Integer.getInteger("jrkt.net.crashLoop", 200);
    jrkt.run("gc", "--grace-period=0s", "--expire-prepared=0s");
    HostState before = HostState.now();
    Path aci = image("crash", "true");
    jrkt.fetch(aci);
    Random random = new Random();
    // The network set-up lies somewhere inside a whole run (its middle third on a quiet
    // machine, later on a busy one): kills land at random moments of a run as long as one
    // measured now, so that some come before the set-up, some during it and some after.
    long w0 = System.nanoTime();
    jrkt.run(runArgs(uuidFile(), List.of(aci.toString()))).ok();
    int whole = (int) Math.max(20, (System.nanoTime() - w0) / 1_000_000);
    long t0 = System.nanoTime();
    for (int i = 0; i < pods; i++) {
      Jrkt.Running r = jrkt.start(runArgs(uuidFile(), List.of(aci.toString())));
      sleep(random.nextInt(whole));
      r.kill9();
    }
    sleep(1000);
    int caught = jrkt.podsWithNetworkRecords().size();
    HostState killed = HostState.now();
    long t1 = System.nanoTime();
    Result gc = jrkt.run("gc", "--grace-period=0s", "--expire-prepared=0s");
    long gcMillis = (System.nanoTime() - t1) / 1_000_000;
    gc.ok();
    HostState after = HostState.now();
    System.out.println("crash loop: a whole run " + whole + " ms; " + pods + " pods killed in "
        + (t1 - t0) / 1_000_000 + " ms (" + caught + " with network records), gc " + gcMillis
        + " ms; before " + before + ", after the kills " + killed + ", after gc " + after);
    assertTrue(caught > 0, "no pod was killed after its network set-up began");
    assertEquals(before, after);
  }
}
