package io.jrkt.stage1;

import java.util.Objects;
import java.util.Optional;

/**
 * The pod-level options that stage0 only passes on to the stage1's run entrypoint.
 *
 * @param net the network list as given to {@code --net} ({@code default} when absent)
 * @param privateUsers the uid range {@code <shift>:<count>} when user namespaces are used
 * @param localConfig the local configuration directory; always passed
 * @param hostname empty: the stage1's default ({@code rkt-<uuid>})
 * @param resolvMode {@code --dns-conf-mode} resolv part: host, stage0, none or default
 * @param hostsMode {@code --dns-conf-mode} hosts part: host, stage0 or default
 * @param ipc empty when not given; auto, private or parent
 */
public record RunOptions(
    boolean debug,
    String net,
    boolean interactive,
    Optional<String> privateUsers,
    Optional<String> mdsToken,
    String localConfig,
    Optional<String> hostname,
    String resolvMode,
    String hostsMode,
    boolean disableCapabilities,
    boolean disablePaths,
    boolean disableSeccomp,
    boolean mutable,
    Optional<String> ipc) {

  public RunOptions {
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(localConfig, "localConfig");
    Objects.requireNonNull(resolvMode, "resolvMode");
    Objects.requireNonNull(hostsMode, "hostsMode");
    if (net.isEmpty()) {
      net = "default";
    }
  }

  /** Defaults: default network, nothing else set. */
  public static RunOptions defaults(String localConfig) {
    return new RunOptions(false, "default", false, Optional.empty(), Optional.empty(),
        localConfig, Optional.empty(), "default", "default", false, false, false, false,
        Optional.empty());
  }
}
