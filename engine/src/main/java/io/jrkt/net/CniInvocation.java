package io.jrkt.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One call of a CNI plugin: the command ({@code ADD}, {@code DEL}, {@code CHECK}), the
 * {@code CNI_*} environment and the config on stdin. Pure data; {@link CniRunner} runs it.
 */
public record CniInvocation(String command, Path plugin, String containerId, String netns,
    String ifName, String args, String cniPath, byte[] config) {

  public static final List<String> COMMANDS = List.of("ADD", "DEL", "CHECK", "VERSION");

  public CniInvocation {
    Objects.requireNonNull(plugin, "plugin");
    if (!COMMANDS.contains(command)) {
      throw new IllegalArgumentException("unknown CNI command " + command);
    }
    args = args == null ? "" : args;
    netns = netns == null ? "" : netns;
  }

  /** The {@code CNI_*} variables, in the spec's order; empty ones are left out. */
  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", containerId);
    if (!netns.isEmpty()) {
      env.put("CNI_NETNS", netns);
    }
    env.put("CNI_IFNAME", ifName);
    if (!args.isEmpty()) {
      env.put("CNI_ARGS", args);
    }
    env.put("CNI_PATH", cniPath);
    return env;
  }

  /** The same call with another command (DEL or CHECK after an ADD). */
  public CniInvocation with(String otherCommand) {
    return new CniInvocation(otherCommand, plugin, containerId, netns, ifName, args, cniPath,
        config);
  }

  /** The same call without a netns ({@code CNI_NETNS} unset). */
  public CniInvocation withNetns(String otherNetns) {
    return new CniInvocation(command, plugin, containerId, otherNetns, ifName, args, cniPath,
        config);
  }

  /** The plugin's argv: the plugin itself, killed if the caller dies first. */
  public List<String> argv(boolean withDeathSignal) {
    List<String> a = new ArrayList<>();
    if (withDeathSignal) {
      // A plugin must not outlive a killed stage0 and race with a gc that undoes its work.
      a.add("setpriv");
      a.add("--pdeathsig=KILL");
      a.add("--");
    }
    a.add(plugin.toString());
    return a;
  }
}
