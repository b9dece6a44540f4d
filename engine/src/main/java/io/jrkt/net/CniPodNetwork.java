package io.jrkt.net;

import io.jrkt.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** {@link PodNetwork} with CNI plugins, a netns per pod and the portmap plugin for ports. */
public final class CniPodNetwork implements PodNetwork {
  static final String PORTMAP = "portmap";

  private final String cniPathEnv;
  private final CniRunner runner;
  private final Consumer<String> debug;

  /** @param cniPathEnv {@code JRKT_CNI_PATH} (null: the default plugin directories) */
  public CniPodNetwork(String cniPathEnv, CniRunner runner, Consumer<String> debug) {
    this.cniPathEnv = cniPathEnv;
    this.runner = runner;
    this.debug = debug;
  }

  @Override
  public State setUp(Request r) throws NetException {
    if (!r.nets().contained()) {
      if (!r.ports().isEmpty()) {
        throw new NetException("--port cannot be used with --net=" + r.nets().value());
      }
      return new State(Optional.empty(), List.of());
    }
    long start = System.nanoTime();
    // Everything that can be checked is checked before anything is created.
    List<Attachment> nets = NetConfLoader.select(r.nets(), NetConfLoader.builtin(),
        NetConfLoader.user(r.netDirs()), r.netDirs());
    PluginPath path = PluginPath.of(r.netDirs(), cniPathEnv);
    List<Path> plugins = new ArrayList<>();
    for (Attachment a : nets) {
      for (String t : a.conf().pluginTypes().subList(1, a.conf().pluginTypes().size())) {
        path.require(t, a.conf());
      }
      plugins.add(path.require(a.conf().type(), a.conf()));
    }
    Path portmap = null;
    if (!r.ports().isEmpty()) {
      portmap = path.require(PORTMAP, nets.get(0).conf());
      List<ForwardedPorts.Taken> forwarded = ForwardedPorts.current();
      for (PortMapping p : r.ports()) {
        p.checkHostPortFree();
        if (forwarded.contains(new ForwardedPorts.Taken(p.protocol(), p.hostPort()))) {
          throw new NetException(p.flag() + ": host port " + p.hostPort() + "/" + p.protocol()
              + " is already in use (forwarded to another pod)");
        }
      }
    }
    NetRecord record = new NetRecord(r.podDir());
    Path netns = Netns.pathFor(r.podUuid());
    try {
      record.recordNetns(netns);
      long t0 = System.nanoTime();
      Netns.create(netns);
      debug.accept("network namespace " + netns + " took " + (System.nanoTime() - t0) / 1_000_000
          + " ms");
      List<Joined> joined = new ArrayList<>();
      for (int i = 0; i < nets.size(); i++) {
        Attachment a = nets.get(i);
        boolean ownMasquerade = Masquerade.takesOver(a.conf());
        CniInvocation add = new CniInvocation("ADD", plugins.get(i), r.podUuid(),
            netns.toString(), a.ifName(), a.args(), path.cniPath(),
            ownMasquerade ? Masquerade.pluginConfig(a.conf()) : a.conf().bytes());
        CniResult result = call(record, a.recordName(), add, a.conf().name());
        if (ownMasquerade && !result.ip().isEmpty()) {
          masquerade(record, a.recordName(), Masquerade.of(a.conf().name(), r.podUuid(),
              result));
        }
        joined.add(new Joined(a, plugins.get(i), record.dir().resolve(a.recordName() + ".conf"),
            result));
      }
      if (portmap != null) {
        Joined first = joined.get(0);
        byte[] conf = portmapConf(first, r.ports());
        CniInvocation add = new CniInvocation("ADD", portmap, r.podUuid(), netns.toString(),
            first.attachment().ifName(), first.attachment().args(), path.cniPath(), conf);
        call(record, first.attachment().recordName() + "." + PORTMAP, add,
            first.attachment().conf().name());
      }
      NetInfoFile.write(r.podDir(), joined);
      debug.accept("network set-up took " + (System.nanoTime() - start) / 1_000_000 + " ms");
      return new State(Optional.of(netns), joined);
    } catch (NetException e) {
      try {
        tearDown(r.podDir());
      } catch (NetException t) {
        e.addSuppressed(t);
      }
      throw e;
    }
  }

  private CniResult call(NetRecord record, String name, CniInvocation add, String netName)
      throws NetException {
    record.recordCall(name, add, netName);
    long t0 = System.nanoTime();
    byte[] out = runner.run(add, netName);
    debug.accept("network \"" + netName + "\": " + add.plugin().getFileName() + " ADD took "
        + (System.nanoTime() - t0) / 1_000_000 + " ms");
    record.recordResult(name, out);
    return CniResult.parse(out, netName);
  }

  private void masquerade(NetRecord record, String name, Masquerade m) throws NetException {
    record.recordMasquerade(name, m);
    long t0 = System.nanoTime();
    m.apply();
    debug.accept("masquerade of " + m.sourceIp() + " (one iptables-restore) took "
        + (System.nanoTime() - t0) / 1_000_000 + " ms");
  }

  @Override
  public void check(Path podDir) throws NetException {
    NetRecord record = new NetRecord(podDir);
    for (NetRecord.Call c : record.calls()) {
      Optional<byte[]> result = record.result(c.name());
      if (result.isEmpty()) {
        throw new NetException("network \"" + c.netName() + "\": its ADD never finished");
      }
      byte[] conf = checkConf(c.invocation().config(), result.get(), c.netName());
      if (conf.length > 0) {
        CniInvocation del = c.invocation();
        runner.run(new CniInvocation("CHECK", del.plugin(), del.containerId(), del.netns(),
            del.ifName(), del.args(), del.cniPath(), conf), c.netName());
      }
    }
  }

  /**
   * The config of a CHECK: the ADD's config with the ADD's result as {@code prevResult}; empty
   * for versions before 0.4.0, which have no CHECK.
   */
  static byte[] checkConf(byte[] addConf, byte[] addResult, String netName)
      throws NetException {
    try {
      Map<String, Object> m = io.jrkt.json.Json.asObject(Json.parse(addConf), "network config");
      Object v = m.get("cniVersion");
      String version = v instanceof String ? (String) v : "0.1.0";
      if (version.startsWith("0.1.") || version.startsWith("0.2.")
          || version.startsWith("0.3.")) {
        return new byte[0];
      }
      m.put("prevResult", Json.parse(addResult));
      return Json.write(m).getBytes(StandardCharsets.UTF_8);
    } catch (io.jrkt.json.JsonException e) {
      throw new NetException("network \"" + netName + "\": recorded config or result is not "
          + "JSON: " + e.getMessage(), e);
    }
  }

  /**
   * DEL, once more after re-creating a chain of the pod's that the plugin needs to delete. The
   * plugin's second DEL may leave that chain (its first one already removed the interface it
   * looks for before touching rules), so jrkt removes it: the chain is recorded before it is
   * made, and the record is dropped only once the chain is gone.
   */
  private void delete(NetRecord record, NetRecord.Call call) throws NetException {
    CniInvocation del = call.invocation();
    String netName = call.netName();
    try {
      runner.run(del, netName);
    } catch (NetException e) {
      Optional<String> chain = PluginChains.missingChain(e.getMessage(), netName,
          del.containerId());
      if (chain.isEmpty()) {
        throw e;
      }
      debug.accept("network \"" + netName + "\": re-creating the pod's chain " + chain.get()
          + " that the interrupted ADD never made, for DEL");
      record.recordCreatedChain(call.name(), chain.get());
      PluginChains.create(chain.get());
      runner.run(del, netName);
    }
    for (String chain : record.createdChains(call.name())) {
      if (!PluginChains.isPodChain(chain, netName, del.containerId())) {
        throw new NetException("network \"" + netName + "\": the record names chain " + chain
            + ", which is not one of pod " + del.containerId() + "'s; left alone");
      }
      if (PluginChains.removeIfPresent(chain)) {
        debug.accept("network \"" + netName + "\": removed the chain " + chain
            + " made for DEL, which the plugin left");
      }
    }
  }

  /** {@link #delete}, with the call's recorded masquerade removed beside it. */
  private void deleteWithMasquerade(NetRecord record, NetRecord.Call call) throws NetException {
    Optional<Masquerade> masquerade = record.masquerade(call.name());
    // Started first: the removal's process runs while the plugin deletes the interface.
    Masquerade.Removal removal = masquerade.isPresent() ? masquerade.get().startRemoval() : null;
    NetException failure = null;
    try {
      delete(record, call);
    } catch (NetException e) {
      failure = e;
    }
    if (removal != null) {
      try {
        removal.finish();
        record.forgetMasquerade(call.name());
      } catch (NetException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The portmap plugin's config, chained after the pod's first network. */
  static byte[] portmapConf(Joined net, List<PortMapping> ports) {
    String version = net.attachment().conf().cniVersion();
    Map<String, Object> prev = net.result().asPrevResult(version);
    Object prevVersion = prev.get("cniVersion");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cniVersion", prevVersion instanceof String ? prevVersion : version);
    m.put("name", net.attachment().conf().name());
    m.put("type", PORTMAP);
    m.put("snat", Boolean.TRUE);
    Map<String, Object> caps = new LinkedHashMap<>();
    caps.put("portMappings", Boolean.TRUE);
    m.put("capabilities", caps);
    List<Object> mappings = new ArrayList<>();
    for (PortMapping p : ports) {
      mappings.add(p.asCni());
    }
    Map<String, Object> rc = new LinkedHashMap<>();
    rc.put("portMappings", mappings);
    m.put("runtimeConfig", rc);
    m.put("prevResult", prev);
    return Json.write(m).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void tearDown(Path podDir) throws NetException {
    long start = System.nanoTime();
    NetRecord record = new NetRecord(podDir);
    List<NetRecord.Call> calls = record.calls();
    Optional<Path> netns = record.netns();
    // A netns that is gone (a reboot) or was never made: the plugins get none, and release
    // what lives outside it (addresses, rules) without looking for interfaces.
    boolean alive = netns.isPresent() && Netns.isMounted(netns.get());
    List<String> failures = new ArrayList<>();
    for (int i = calls.size() - 1; i >= 0; i--) {
      NetRecord.Call c = calls.get(i);
      CniInvocation del = alive ? c.invocation() : c.invocation().withNetns("");
      try {
        long t0 = System.nanoTime();
        deleteWithMasquerade(record, new NetRecord.Call(c.name(), c.netName(), del));
        debug.accept("network \"" + c.netName() + "\": " + del.plugin().getFileName()
            + " DEL took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        record.forgetCall(c.name());
      } catch (NetException e) {
        failures.add(e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      // The netns stays too: a plugin's DEL needs it to find and remove what it made there.
      throw new NetException(String.join("; ", failures)
          + " (the pod's network record stays for the next try)");
    }
    if (netns.isPresent()) {
      Netns.remove(netns.get());
      record.forgetNetns();
    }
    record.forgetAll();
    debug.accept("network teardown took " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }
}
