package io.jrkt.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniTest {
  @TempDir
  Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void resultOfVersion010() throws NetException {
    CniResult r = CniResult.parse(b("{\"ip4\":{\"ip\":\"172.16.28.5/24\",\"gateway\":"
        + "\"172.16.28.1\"},\"dns\":{\"nameservers\":[\"10.0.0.53\"],\"search\":[\"x.example\"]}}"),
        "default");
    assertEquals("172.16.28.5", r.ip());
    assertEquals("255.255.255.0", r.mask());
    assertEquals("172.16.28.1", r.gateway());
    assertEquals(List.of("10.0.0.53"), r.nameservers());
    assertTrue(r.hasDns());
    Map<String, Object> prev = r.asPrevResult("0.1.0");
    assertEquals("{\"cniVersion\":\"0.4.0\",\"ips\":[{\"version\":\"4\",\"address\":"
        + "\"172.16.28.5/24\",\"gateway\":\"172.16.28.1\"}]}", Json.write(prev));
  }

  @Test
  void resultOfVersion040TakesTheFirstIpv4AndIsItsOwnPrevResult() throws NetException {
    String json = "{\"cniVersion\":\"0.4.0\",\"interfaces\":[{\"name\":\"veth1\"}],\"ips\":["
        + "{\"version\":\"6\",\"address\":\"fd00::2/64\"},{\"version\":\"4\",\"address\":"
        + "\"10.1.2.3/16\",\"gateway\":\"10.1.0.1\"}],\"dns\":{}}";
    CniResult r = CniResult.parse(b(json), "n");
    assertEquals("10.1.2.3", r.ip());
    assertEquals("255.255.0.0", r.mask());
    assertFalse(r.hasDns());
    assertEquals(json, Json.write(r.asPrevResult("0.4.0")));
    assertThrows(NetException.class, () -> CniResult.parse(b("nope"), "n"));
  }

  @Test
  void errorMessageIsTheMsgAndDetails() {
    assertEquals("failed to allocate (range is full)", CniRunner.errorMessage(
        b("{\"code\":11,\"msg\":\"failed to allocate\",\"details\":\"range is full\"}")));
    assertEquals("plain text", CniRunner.errorMessage(b("plain text\n")));
    assertEquals("no error message", CniRunner.errorMessage(b("")));
  }

  @Test
  void invocationEnvironmentFollowsTheSpec() {
    CniInvocation c = new CniInvocation("ADD", Path.of("/usr/lib/cni/ptp"), "u-1",
        "/run/netns/jrkt-u-1", "eth0", "IP=10.0.0.9", "/a:/b", b("{}"));
    assertEquals(Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "u-1", "CNI_NETNS",
        "/run/netns/jrkt-u-1", "CNI_IFNAME", "eth0", "CNI_ARGS", "IP=10.0.0.9", "CNI_PATH",
        "/a:/b"), c.environment());
    assertEquals("DEL", c.with("DEL").environment().get("CNI_COMMAND"));
    assertEquals(List.of("setpriv", "--pdeathsig=KILL", "--", "/usr/lib/cni/ptp"),
        c.argv(true));
    assertFalse(new CniInvocation("DEL", Path.of("/p"), "u", "", "eth0", "", "/a", b("{}"))
        .environment().containsKey("CNI_ARGS"));
    assertThrows(IllegalArgumentException.class,
        () -> new CniInvocation("ADDX", Path.of("/p"), "u", "", "eth0", "", "/a", b("{}")));
  }

  @Test
  void recordedCallsComeBackInOrderAndAreForgotten() throws Exception {
    NetRecord rec = new NetRecord(dir);
    rec.recordNetns(Path.of("/run/netns/jrkt-u"));
    CniInvocation add = new CniInvocation("ADD", Path.of("/usr/lib/cni/ptp"), "u",
        "/run/netns/jrkt-u", "eth0", "A=1", "/x:/y", b("{\"name\":\"default\"}"));
    rec.recordCall("00-default", add, "default");
    rec.recordCall("00-default.portmap", add, "default");
    rec.recordResult("00-default", b("{}"));
    assertEquals("/run/netns/jrkt-u", rec.netns().orElseThrow().toString());
    List<NetRecord.Call> calls = rec.calls();
    assertEquals(List.of("00-default", "00-default.portmap"),
        calls.stream().map(NetRecord.Call::name).toList());
    CniInvocation del = calls.get(0).invocation();
    assertEquals("DEL", del.command());
    assertEquals(add.with("DEL").environment(), del.environment());
    assertEquals("{\"name\":\"default\"}", new String(del.config(), StandardCharsets.UTF_8));
    assertEquals(List.of(), rec.createdChains("00-default"));
    rec.recordCreatedChain("00-default", "CNI-8f0b43d5758ec71b48158a33");
    rec.recordCreatedChain("00-default", "CNI-8f0b43d5758ec71b48158a33");
    assertEquals(List.of("CNI-8f0b43d5758ec71b48158a33"), rec.createdChains("00-default"));
    rec.forgetCall("00-default");
    assertEquals(1, rec.calls().size());
    assertEquals(List.of(), rec.createdChains("00-default"));
    rec.forgetNetns();
    rec.forgetAll();
    assertFalse(Files.exists(dir.resolve("net")));
    assertFalse(Files.exists(dir.resolve("netns")));
    assertThrows(NetException.class, () -> NetRecord.callText(new CniInvocation("ADD",
        Path.of("/p"), "u", "", "eth0", "A=1\nB=2", "/a", b("{}")), "n"));
  }

  @Test
  void portmapConfIsChainedAfterTheFirstNetwork() throws NetException {
    NetConf conf = NetConfLoader.builtin().get("default");
    CniResult r = CniResult.parse(b("{\"cniVersion\":\"0.4.0\",\"ips\":[{\"version\":\"4\","
        + "\"address\":\"172.16.28.9/24\"}]}"), "default");
    PodNetwork.Joined j = new PodNetwork.Joined(new Attachment(conf, "", 0),
        Path.of("/usr/lib/cni/ptp"), Path.of("net/00-default.conf"), r);
    String json = new String(CniPodNetwork.portmapConf(j, List.of(
        new PortMapping("http", "tcp", 80, 8080, ""),
        new PortMapping("dns", "udp", 53, 5353, "127.0.0.1"))), StandardCharsets.UTF_8);
    assertEquals("{\"cniVersion\":\"0.4.0\",\"name\":\"default\",\"type\":\"portmap\","
        + "\"snat\":true,\"capabilities\":{\"portMappings\":true},\"runtimeConfig\":"
        + "{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"},"
        + "{\"hostPort\":5353,\"containerPort\":53,\"protocol\":\"udp\",\"hostIP\":"
        + "\"127.0.0.1\"}]},\"prevResult\":{\"cniVersion\":\"0.4.0\",\"ips\":[{\"version\":"
        + "\"4\",\"address\":\"172.16.28.9/24\"}]}}", json);
  }

  @Test
  void pluginPathPutsNetDFirstAndHonoursTheEnvironment() throws Exception {
    PluginPath p = PluginPath.of(NetConfigDirs.of(dir), null);
    assertEquals(dir + ":/usr/lib/cni:/opt/cni/bin", p.cniPath());
    assertEquals(dir + ":/x:/y", PluginPath.of(NetConfigDirs.of(dir), "/x::/y").cniPath());
    Path plugin = Files.writeString(dir.resolve("myplugin"), "#!/bin/sh\n");
    plugin.toFile().setExecutable(true);
    assertEquals(plugin, p.find("myplugin").orElseThrow());
    NetException e = assertThrows(NetException.class, () -> p.require("no-such-plugin",
        NetConf.parse(b("{\"name\":\"n\",\"type\":\"no-such-plugin\"}"), "/n.conf")));
    assertTrue(e.getMessage().startsWith("network \"n\" (/n.conf): no CNI plugin "
        + "\"no-such-plugin\" in "), e.getMessage());
  }

  @Test
  void netnsRemovalRefusesPathsThatAreNotAPodsNetns() {
    assertTrue(Netns.isOurs(Netns.pathFor("abc")));
    assertFalse(Netns.isOurs(Path.of("/run/netns/other")));
    assertFalse(Netns.isOurs(Path.of("/tmp/jrkt-abc")));
    assertThrows(NetException.class, () -> Netns.remove(Path.of("/run/netns/cni-1234")));
  }

  @Test
  void forwardedPortsAreReadFromPortmapsChain() {
    String rules = "-N CNI-HOSTPORT-DNAT\n"
        + "-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment \"dnat name: \\\"default\\\" id: "
        + "\\\"u\\\"\" -m multiport --dports 8080,8443 -j CNI-DN-abc\n"
        + "-A CNI-HOSTPORT-DNAT -p udp -m multiport --dports 53 -j CNI-DN-def\n";
    assertEquals(List.of(new ForwardedPorts.Taken("tcp", 8080),
        new ForwardedPorts.Taken("tcp", 8443), new ForwardedPorts.Taken("udp", 53)),
        ForwardedPorts.parse(rules));
  }

  @Test
  void thePodsPluginChainsAreTheOnesThePluginsName() {
    // ptp's ipMasq chain of pod 5c89a40f-... on network "default", as iptables showed it.
    assertEquals("CNI-8f0b43d5758ec71b48158a33", PluginChains.chainName("", "default",
        "5c89a40f-44c1-421f-8cf8-97559d5a6a67"));
    String error = "running [/usr/sbin/iptables -t nat -D POSTROUTING ...]: exit status 2: "
        + "iptables v1.8.9 (nf_tables): Chain 'CNI-8f0b43d5758ec71b48158a33' does not exist";
    assertEquals(java.util.Optional.of("CNI-8f0b43d5758ec71b48158a33"),
        PluginChains.missingChain(error, "default", "5c89a40f-44c1-421f-8cf8-97559d5a6a67"));
    assertEquals(java.util.Optional.empty(),
        PluginChains.missingChain(error, "default", "another-pod"));
    assertTrue(PluginChains.isPodChain("CNI-8f0b43d5758ec71b48158a33", "default",
        "5c89a40f-44c1-421f-8cf8-97559d5a6a67"));
    assertFalse(PluginChains.isPodChain("CNI-8f0b43d5758ec71b48158a33", "default-restricted",
        "5c89a40f-44c1-421f-8cf8-97559d5a6a67"));
    assertFalse(PluginChains.isPodChain("POSTROUTING", "default",
        "5c89a40f-44c1-421f-8cf8-97559d5a6a67"));
  }

  @Test
  void checkConfIsTheAddConfWithItsResultAsPrevResult() throws NetException {
    byte[] conf = CniPodNetwork.checkConf(b("{\"cniVersion\":\"0.4.0\",\"name\":\"n\","
        + "\"type\":\"ptp\"}"), b("{\"cniVersion\":\"0.4.0\",\"ips\":[]}"), "n");
    assertEquals("{\"cniVersion\":\"0.4.0\",\"name\":\"n\",\"type\":\"ptp\","
        + "\"prevResult\":{\"cniVersion\":\"0.4.0\",\"ips\":[]}}",
        new String(conf, StandardCharsets.UTF_8));
    assertEquals(0, CniPodNetwork.checkConf(b("{\"cniVersion\":\"0.3.1\",\"name\":\"n\"}"),
        b("{}"), "n").length, "CHECK came with CNI 0.4.0");
    assertThrows(NetException.class, () -> CniPodNetwork.checkConf(b("{"), b("{}"), "n"));
  }
}
