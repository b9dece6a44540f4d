package io.jrkt.net;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The masquerade of a pod's address on the built-in {@code default} network, made by jrkt in one
 * {@code iptables-restore} transaction instead of by the ptp plugin ({@code ipMasq}), which runs
 * iptables eight times: a pod start ~40 ms shorter, and a run killed in the middle leaves all of
 * it or none, never an empty chain. The rules are the plugin's own (its chain name, comment and
 * rule order), so the host looks the same either way.
 *
 * @param chain the plugin's chain name for the network and pod
 * @param comment the plugin's comment, {@code name: "NET" id: "POD"}
 * @param sourceIp the pod's address
 * @param subnet the network the address is in, e.g. {@code 172.16.28.0/24}
 */
record Masquerade(String chain, String comment, String sourceIp, String subnet) {
  private static final String MULTICAST = "224.0.0.0/4";

  Masquerade {
    for (String v : new String[] {chain, comment, sourceIp, subnet}) {
      if (v.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("masquerade field contains a newline: " + v);
      }
    }
  }

  /** Whether jrkt makes this network's masquerade itself: the built-in ptp with ipMasq. */
  static boolean takesOver(NetConf conf) {
    return conf.source().startsWith("builtin:") && conf.type().equals("ptp")
        && Boolean.TRUE.equals(fields(conf).get("ipMasq"));
  }

  /** The config the plugin gets when jrkt masquerades: the network's, with ipMasq off. */
  static byte[] pluginConfig(NetConf conf) {
    Map<String, Object> m = fields(conf);
    m.put("ipMasq", Boolean.FALSE);
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }

  /** The masquerade of the address the ADD gave the pod. */
  static Masquerade of(String netName, String containerId, CniResult result) {
    Ipv4Subnet net = Ipv4Subnet.parse(result.prefix());
    return new Masquerade(PluginChains.chainName("", netName, containerId),
        "name: \"" + netName + "\" id: \"" + containerId + "\"", result.ip(), net.toString());
  }

  /** The iptables-restore input that makes the chain, its two rules and the jump to it. */
  String addScript() {
    String c = " -m comment --comment " + quoted(comment);
    return "*nat\n"
        + ":" + chain + " - [0:0]\n"
        + "-A " + chain + " -d " + subnet + c + " -j ACCEPT\n"
        + "-A " + chain + " ! -d " + MULTICAST + c + " -j MASQUERADE\n"
        + "-A POSTROUTING -s " + sourceIp + "/32" + c + " -j " + chain + "\n"
        + "COMMIT\n";
  }

  /** The iptables-restore input that removes what {@link #addScript} made. */
  String removeScript() {
    return "*nat\n"
        + "-D POSTROUTING -s " + sourceIp + "/32 -m comment --comment " + quoted(comment)
        + " -j " + chain + "\n"
        + "-F " + chain + "\n"
        + "-X " + chain + "\n"
        + "COMMIT\n";
  }

  /** Makes the masquerade, all of it or nothing. */
  void apply() throws NetException {
    Iptables.Outcome o = Iptables.restore(addScript());
    if (o.code() != 0) {
      throw new NetException("cannot masquerade " + sourceIp + " (chain " + chain + "): "
          + o.output().lines().findFirst().orElse("iptables-restore exited " + o.code()));
    }
  }

  /**
   * Starts removing the masquerade; {@link Removal#finish} completes it. It may run beside the
   * plugin's DEL, which (given the config without ipMasq) does not touch these rules. A part
   * already gone (a reboot, a set-up killed before it was made) is fine: if the one transaction
   * fails, each part is removed on its own.
   */
  Removal startRemoval() throws NetException {
    return new Removal(Iptables.startRestore(removeScript()));
  }

  /** A removal under way. */
  final class Removal {
    private final Iptables.Running transaction;

    private Removal(Iptables.Running transaction) {
      this.transaction = transaction;
    }

    void finish() throws NetException {
      if (transaction.await().code() != 0) {
        removeEachPart();
      }
    }
  }

  private void removeEachPart() throws NetException {
    Iptables.Outcome rule = Iptables.nat("-D", "POSTROUTING", "-s", sourceIp + "/32", "-m",
        "comment", "--comment", comment, "-j", chain);
    if (rule.code() != 0 && !isAbsent(rule.output())) {
      throw new NetException("cannot remove the masquerade of " + sourceIp + ": "
          + rule.output());
    }
    for (String op : new String[] {"-F", "-X"}) {
      Iptables.Outcome o = Iptables.nat(op, chain);
      if (o.code() != 0 && !isAbsent(o.output())) {
        throw new NetException("cannot remove chain " + chain + ": " + o.output());
      }
    }
  }

  /** iptables' ways of saying that a rule or chain is not there. */
  private static boolean isAbsent(String output) {
    return output.contains("does a matching rule exist") || output.contains("does not exist")
        || output.contains("No chain/target/match");
  }

  /** The record kept in the pod's {@code net/} directory, KEY=VALUE lines. */
  String recordText() {
    return "chain=" + chain + "\ncomment=" + comment + "\nsource=" + sourceIp + "\nsubnet="
        + subnet + "\n";
  }

  static Masquerade parseRecord(String text, String where) throws NetException {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    for (String k : new String[] {"chain", "comment", "source", "subnet"}) {
      if (!kv.containsKey(k)) {
        throw new NetException("masquerade record " + where + " has no " + k);
      }
    }
    if (!kv.get("chain").startsWith("CNI-")) {
      throw new NetException("masquerade record " + where + " names chain " + kv.get("chain")
          + ", which is not a pod's");
    }
    return new Masquerade(kv.get("chain"), kv.get("comment"), kv.get("source"), kv.get("subnet"));
  }

  /** iptables-restore's quoting: double quotes, with inner ones and backslashes escaped. */
  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static Map<String, Object> fields(NetConf conf) {
    try {
      return Json.asObject(Json.parse(conf.bytes()), "network config");
    } catch (JsonException e) {
      throw new IllegalStateException("a parsed network config is no longer JSON", e);
    }
  }
}
