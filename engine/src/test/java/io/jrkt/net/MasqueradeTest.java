package io.jrkt.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MasqueradeTest {
  private static final String POD = "6a1e0e4c-3b6f-4d5e-9a7c-1f2e3d4c5b6a";
  private static final Masquerade M = new Masquerade("CNI-0123456789abcdef01234567",
      "name: \"default\" id: \"" + POD + "\"", "172.16.28.7", "172.16.28.0/24");

  @Test
  void scriptsMatchTheGoldenFiles() throws IOException {
    assertEquals(golden("masquerade-add.golden"), M.addScript());
    assertEquals(golden("masquerade-remove.golden"), M.removeScript());
  }

  @Test
  void ofNamesChainAndCommentAsThePluginDoes() throws NetException {
    CniResult r = CniResult.parse(("{\"cniVersion\":\"0.4.0\",\"ips\":[{\"version\":\"4\","
        + "\"address\":\"172.16.28.7/24\",\"gateway\":\"172.16.28.1\"}]}")
        .getBytes(StandardCharsets.UTF_8), "default");
    Masquerade m = Masquerade.of("default", POD, r);
    assertEquals(PluginChains.chainName("", "default", POD), m.chain());
    assertEquals(28, m.chain().length());
    assertEquals("name: \"default\" id: \"" + POD + "\"", m.comment());
    assertEquals("172.16.28.7", m.sourceIp());
    assertEquals("172.16.28.0/24", m.subnet());
  }

  @Test
  void onlyTheBuiltinPtpWithIpMasqIsTakenOver() throws NetException {
    Map<String, NetConf> builtin = NetConfLoader.builtin();
    assertTrue(Masquerade.takesOver(builtin.get("default")));
    assertFalse(Masquerade.takesOver(builtin.get("default-restricted")));
    NetConf user = NetConf.parse(builtin.get("default").bytes(), "/etc/rkt/net.d/10-a.conf");
    assertFalse(Masquerade.takesOver(user), "a user's config goes to the plugin as it is");
  }

  @Test
  void thePluginGetsTheConfigWithIpMasqOffAndEverythingElseKept() throws Exception {
    NetConf def = NetConfLoader.builtin().get("default");
    Map<String, Object> sent = Json.asObject(Json.parse(Masquerade.pluginConfig(def)), "c");
    Map<String, Object> orig = Json.asObject(Json.parse(def.bytes()), "c");
    assertEquals(Boolean.FALSE, sent.get("ipMasq"));
    orig.put("ipMasq", Boolean.FALSE);
    assertEquals(orig, sent);
  }

  @Test
  void theRecordRoundTripsAndNamesOnlyPodChains() throws NetException {
    assertEquals(M, Masquerade.parseRecord(M.recordText(), "r"));
    String foreign = M.recordText().replace("chain=CNI-", "chain=DOCKER-");
    NetException e = assertThrows(NetException.class,
        () -> Masquerade.parseRecord(foreign, "net/00-default.masq"));
    assertTrue(e.getMessage().contains("not a pod's"), e.getMessage());
    assertThrows(NetException.class, () -> Masquerade.parseRecord("chain=CNI-x\n", "r"));
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = MasqueradeTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
