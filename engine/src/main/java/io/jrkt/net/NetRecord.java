package io.jrkt.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pod directory's record of what its networking must undo, written before each thing is
 * created so that a teardown after any failure, a kill or a reboot finds all of it:
 *
 * <ul>
 *   <li>{@code netns}: the path of the pod's network namespace;
 *   <li>{@code net/<NN>-<name>.conf}: the exact config a plugin got on stdin;
 *   <li>{@code net/<NN>-<name>.call}: the rest of the call, {@code KEY=VALUE} lines
 *       ({@code plugin}, {@code netns}, {@code ifname}, {@code args}, {@code cnipath},
 *       {@code containerid}, {@code name}); a chained port-forwarding call is
 *       {@code <NN>-<name>.portmap.*};
 *   <li>{@code net/<NN>-<name>.result}: the ADD result, once there is one;
 *   <li>{@code net/<NN>-<name>.chains}: iptables chains jrkt itself made for that call's DEL
 *       (one per line), to be removed after it;
 *   <li>{@code net/<NN>-<name>.masq}: the masquerade jrkt makes for the network
 *       ({@link Masquerade}), written before it is made, undone before the call's DEL.
 * </ul>
 *
 * Files are written to a temporary name and renamed, so a reader never sees half of one. A call
 * file exists only once its config does; teardown undoes calls in reverse order and removes
 * each record as its DEL succeeds.
 */
public final class NetRecord {
  public static final String NETNS_FILE = "netns";
  public static final String DIR = "net";

  private final Path podDir;

  public NetRecord(Path podDir) {
    this.podDir = podDir;
  }

  public Path dir() {
    return podDir.resolve(DIR);
  }

  /** Records the netns path; creates {@code net/}. */
  public void recordNetns(Path netns) throws NetException {
    try {
      Files.createDirectories(dir());
    } catch (IOException e) {
      throw new NetException("cannot create " + dir() + ": " + e, e);
    }
    write(podDir.resolve(NETNS_FILE), netns.toString() + "\n");
  }

  public Optional<Path> netns() throws NetException {
    try {
      String s = Files.readString(podDir.resolve(NETNS_FILE)).trim();
      return s.isEmpty() ? Optional.empty() : Optional.of(Path.of(s));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new NetException("cannot read " + podDir.resolve(NETNS_FILE) + ": " + e, e);
    }
  }

  public void forgetNetns() throws NetException {
    delete(podDir.resolve(NETNS_FILE));
  }

  /** Records a call before it is made. */
  public void recordCall(String name, CniInvocation call, String netName) throws NetException {
    write(dir().resolve(name + ".conf"), call.config());
    write(dir().resolve(name + ".call"), callText(call, netName));
  }

  public void recordResult(String name, byte[] result) throws NetException {
    write(dir().resolve(name + ".result"), result);
  }

  /** A recorded call, as DEL needs it. */
  public record Call(String name, String netName, CniInvocation invocation) {}

  /** The recorded calls, in the order they were made. */
  public List<Call> calls() throws NetException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(), "*.call")) {
      for (Path p : ds) {
        String f = p.getFileName().toString();
        names.add(f.substring(0, f.length() - ".call".length()));
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new NetException("cannot list " + dir() + ": " + e, e);
    }
    names.sort(null);
    List<Call> out = new ArrayList<>();
    for (String n : names) {
      out.add(readCall(n));
    }
    return out;
  }

  /** A call's recorded ADD result; empty when the ADD never finished. */
  public Optional<byte[]> result(String name) throws NetException {
    try {
      return Optional.of(Files.readAllBytes(dir().resolve(name + ".result")));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new NetException("cannot read " + dir().resolve(name + ".result") + ": " + e, e);
    }
  }

  /** Records, before it is made, a chain jrkt makes for the call's DEL. */
  public void recordCreatedChain(String name, String chain) throws NetException {
    List<String> chains = new ArrayList<>(createdChains(name));
    if (!chains.contains(chain)) {
      chains.add(chain);
    }
    write(dir().resolve(name + ".chains"), String.join("\n", chains) + "\n");
  }

  /** The chains recorded by {@link #recordCreatedChain}. */
  public List<String> createdChains(String name) throws NetException {
    Path file = dir().resolve(name + ".chains");
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .map(String::strip).filter(l -> !l.isEmpty()).toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new NetException("cannot read " + file + ": " + e, e);
    }
  }

  /** Records, before it is made, the masquerade jrkt makes for the call's network. */
  void recordMasquerade(String name, Masquerade m) throws NetException {
    write(dir().resolve(name + ".masq"), m.recordText());
  }

  /** The masquerade recorded for the call, if any. */
  Optional<Masquerade> masquerade(String name) throws NetException {
    Path file = dir().resolve(name + ".masq");
    try {
      return Optional.of(Masquerade.parseRecord(Files.readString(file), file.toString()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new NetException("cannot read " + file + ": " + e, e);
    }
  }

  void forgetMasquerade(String name) throws NetException {
    delete(dir().resolve(name + ".masq"));
  }

  /** Removes a call's record files, the call file last. */
  public void forgetCall(String name) throws NetException {
    delete(dir().resolve(name + ".masq"));
    delete(dir().resolve(name + ".chains"));
    delete(dir().resolve(name + ".result"));
    delete(dir().resolve(name + ".conf"));
    delete(dir().resolve(name + ".call"));
  }

  /** Removes {@code net/} once empty of calls (other files in it are leftovers of ours). */
  public void forgetAll() throws NetException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir())) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir());
    } catch (NoSuchFileException e) {
      // nothing recorded
    } catch (IOException e) {
      throw new NetException("cannot remove " + dir() + ": " + e, e);
    }
  }

  static String callText(CniInvocation c, String netName) throws NetException {
    Map<String, String> kv = new LinkedHashMap<>();
    kv.put("name", netName);
    kv.put("plugin", c.plugin().toString());
    kv.put("containerid", c.containerId());
    kv.put("netns", c.netns());
    kv.put("ifname", c.ifName());
    kv.put("args", c.args());
    kv.put("cnipath", c.cniPath());
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : kv.entrySet()) {
      if (e.getValue().indexOf('\n') >= 0) {
        throw new NetException("network \"" + netName + "\": " + e.getKey()
            + " contains a newline");
      }
      sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
    }
    return sb.toString();
  }

  private Call readCall(String name) throws NetException {
    Path callFile = dir().resolve(name + ".call");
    Map<String, String> kv = new LinkedHashMap<>();
    byte[] conf;
    try {
      for (String line : Files.readAllLines(callFile, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          kv.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      conf = Files.readAllBytes(dir().resolve(name + ".conf"));
    } catch (IOException e) {
      throw new NetException("cannot read the network record " + callFile + ": " + e, e);
    }
    for (String k : List.of("name", "plugin", "containerid", "ifname", "cnipath")) {
      if (!kv.containsKey(k)) {
        throw new NetException("network record " + callFile + " has no " + k);
      }
    }
    CniInvocation inv = new CniInvocation("DEL", Path.of(kv.get("plugin")),
        kv.get("containerid"), kv.getOrDefault("netns", ""), kv.get("ifname"),
        kv.getOrDefault("args", ""), kv.get("cnipath"), conf);
    return new Call(name, kv.get("name"), inv);
  }

  private static void write(Path file, String text) throws NetException {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(Path file, byte[] data) throws NetException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.write(tmp, data);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new NetException("cannot write " + file + ": " + e, e);
    }
  }

  private static void delete(Path p) throws NetException {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new NetException("cannot remove " + p + ": " + e, e);
    }
  }
}
