package io.jrkt.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetConfTest {
  @TempDir
  Path dir;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void builtinNetworksAreRktsWithTheirSubnets() throws NetException {
    Map<String, NetConf> builtin = NetConfLoader.builtin();
    assertEquals(List.of("default", "default-restricted"), List.copyOf(builtin.keySet()));
    NetConf def = builtin.get("default");
    assertEquals("ptp", def.type());
    assertEquals(Optional.of("host-local"), def.ipamType());
    assertEquals(List.of(Ipv4Subnet.parse("172.16.28.0/24")), def.subnets());
    assertEquals(List.of(Ipv4Subnet.parse("172.31.0.0/16")),
        builtin.get("default-restricted").subnets());
    assertTrue(new String(def.bytes(), StandardCharsets.UTF_8).contains("\"ipMasq\":true"));
  }

  @Test
  void parseReadsRangesAndRefusesMissingNameOrTypeAndBadJson() throws NetException {
    NetConf c = NetConf.parse(b("{\"name\":\"n\",\"type\":\"bridge\",\"ipam\":{\"type\":"
        + "\"host-local\",\"ranges\":[[{\"subnet\":\"10.1.0.0/16\"},"
        + "{\"subnet\":\"fd00::/64\"}]]}}"),
        "f.conf");
    assertEquals(List.of(Ipv4Subnet.parse("10.1.0.0/16")), c.subnets());
    assertEquals("0.1.0", c.cniVersion());
    assertEquals(List.of("bridge", "host-local"), c.pluginTypes());
    NetException e = assertThrows(NetException.class, () -> NetConf.parse(b("{\"type\":\"x\"}"),
        "/etc/jrkt/net.d/a.conf"));
    assertEquals("/etc/jrkt/net.d/a.conf: network config has no \"name\"", e.getMessage());
    e = assertThrows(NetException.class, () -> NetConf.parse(b("{\"name\":"), "b.conf"));
    assertTrue(e.getMessage().startsWith("b.conf: invalid network config JSON: "),
        e.getMessage());
    assertThrows(NetException.class, () -> NetConf.parse(b("{\"name\":\"a\",\"type\":\"../x\"}"),
        "c.conf"));
  }

  @Test
  void userNetworkReplacesBuiltinAndFirstFileOfANameWins() throws IOException, NetException {
    Files.writeString(dir.resolve("10-a.conf"), "{\"name\":\"default\",\"type\":\"bridge\"}");
    Files.writeString(dir.resolve("20-b.conf"), "{\"name\":\"default\",\"type\":\"macvlan\"}");
    Files.writeString(dir.resolve("30-c.conf"), "{\"name\":\"other\",\"type\":\"ptp\"}");
    Files.writeString(dir.resolve("ignored.json"), "not json");
    Map<String, NetConf> user = NetConfLoader.user(NetConfigDirs.of(dir));
    assertEquals(List.of("default", "other"), List.copyOf(user.keySet()));
    List<Attachment> nets = NetConfLoader.select(NetListSpec.parse("default,other:IP=1.2.3.4"),
        NetConfLoader.builtin(), user, NetConfigDirs.of(dir));
    assertEquals("bridge", nets.get(0).conf().type());
    assertEquals("eth1", nets.get(1).ifName());
    assertEquals("IP=1.2.3.4", nets.get(1).args());
    assertEquals("01-other", nets.get(1).recordName());
    assertEquals(Map.of(), NetConfLoader.user(NetConfigDirs.of(dir.resolve("absent"))));
  }

  @Test
  void anEarlierDirectoryHidesANameInALaterOne() throws IOException, NetException {
    Path jrkt = Files.createDirectories(dir.resolve("jrkt/net.d"));
    Path rkt = Files.createDirectories(dir.resolve("rkt/net.d"));
    Files.writeString(jrkt.resolve("50-web.conf"), "{\"name\":\"web\",\"type\":\"bridge\"}");
    Files.writeString(rkt.resolve("10-web.conf"), "{\"name\":\"web\",\"type\":\"ptp\"}");
    Files.writeString(rkt.resolve("20-old.conf"), "{\"name\":\"old\",\"type\":\"ptp\"}");
    NetConfigDirs both = new NetConfigDirs(List.of(jrkt, dir.resolve("absent"), rkt));
    Map<String, NetConf> user = NetConfLoader.user(both);
    assertEquals(List.of("web", "old"), List.copyOf(user.keySet()));
    assertEquals("bridge", user.get("web").type());
    NetException e = assertThrows(NetException.class, () -> NetConfLoader.select(
        NetListSpec.parse("nope"), NetConfLoader.builtin(), user, both));
    Path absent = dir.resolve("absent");
    assertTrue(e.getMessage().endsWith("(no *.conf file in " + jrkt + " or " + absent + " or "
        + rkt + " names it)"), e.getMessage());
    assertEquals(List.of(jrkt, absent, rkt, Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin")),
        PluginPath.of(both, null).dirs());
  }

  @Test
  void unknownNetworkAndOverlappingSubnetsAreRefused() throws IOException, NetException {
    NetConfigDirs dirs = NetConfigDirs.of(dir);
    Files.writeString(dir.resolve("a.conf"), "{\"name\":\"a\",\"type\":\"ptp\",\"ipam\":"
        + "{\"type\":\"host-local\",\"subnet\":\"172.16.0.0/16\"}}");
    Map<String, NetConf> user = NetConfLoader.user(NetConfigDirs.of(dir));
    Map<String, NetConf> builtin = NetConfLoader.builtin();
    NetException e = assertThrows(NetException.class,
        () -> NetConfLoader.select(NetListSpec.parse("nope"), builtin, user, dirs));
    assertTrue(e.getMessage().startsWith("--net: network \"nope\" is not configured"));
    e = assertThrows(NetException.class,
        () -> NetConfLoader.select(NetListSpec.parse("a,default"), builtin, user, dirs));
    assertTrue(e.getMessage().contains("overlapping subnets"), e.getMessage());
    assertEquals(2, NetConfLoader.select(NetListSpec.parse("a,default-restricted"), builtin,
        user, dirs).size());
  }

  @Test
  void allIsEveryUserNetworkThenDefault() throws IOException, NetException {
    Files.writeString(dir.resolve("a.conf"), "{\"name\":\"a\",\"type\":\"ptp\"}");
    List<Attachment> nets = NetConfLoader.select(NetListSpec.parse("all"),
        NetConfLoader.builtin(), NetConfLoader.user(NetConfigDirs.of(dir)), NetConfigDirs.of(dir));
    assertEquals(List.of("a", "default"), nets.stream().map(n -> n.conf().name()).toList());
  }

  @Test
  void netListSpecSplitsNamesAndArgs() throws NetException {
    NetListSpec s = NetListSpec.parse("a:K=V;K2=V2,b");
    assertEquals(List.of(new NetListSpec.Entry("a", "K=V;K2=V2"), new NetListSpec.Entry("b", "")),
        s.entries());
    assertTrue(s.contained());
    assertFalse(NetListSpec.parse("host").contained());
    assertFalse(NetListSpec.parse("none").contained());
    assertEquals("default", NetListSpec.parse("").value());
    assertThrows(NetException.class, () -> NetListSpec.parse("a:novalue"));
  }

  @Test
  void subnetsOverlapAndMasks() {
    assertTrue(Ipv4Subnet.parse("10.0.0.0/8").overlaps(Ipv4Subnet.parse("10.2.3.0/24")));
    assertFalse(Ipv4Subnet.parse("10.0.0.0/24").overlaps(Ipv4Subnet.parse("10.0.1.0/24")));
    assertEquals("255.255.240.0", Ipv4Subnet.parse("10.0.0.0/20").dottedMask());
    assertEquals("10.0.0.0/20", Ipv4Subnet.parse("10.0.5.9/20").toString());
    assertThrows(IllegalArgumentException.class, () -> Ipv4Subnet.parse("10.0.0.256/8"));
    assertThrows(IllegalArgumentException.class, () -> Ipv4Subnet.parse("10.0.0.0/33"));
  }
}
