package io.jrkt.stage1;

import java.util.ArrayList;
import java.util.List;

/**
 * The argument list of the stage1 {@code run} entrypoint (after argv[0]), as rkt 1.30 built it
 * for each stage1 interface version, with warnings for options the stage1 is too old for.
 */
public record Stage1RunArgs(List<String> args, List<String> warnings) {
  public Stage1RunArgs {
    args = List.copyOf(args);
    warnings = List.copyOf(warnings);
  }

  /**
   * Builds {@code [--debug] --net=LIST [--interactive] [--private-users=R] [--mds-token=T]
   * --local-config=DIR [--hostname=H] [--dns-conf-mode=resolv=R,hosts=H]
   * [--disable-capabilities-restriction] [--disable-paths] [--disable-seccomp] [--mutable]
   * [--ipc=MODE] UUID}, dropping what {@code interfaceVersion} does not know.
   */
  public static Stage1RunArgs build(int interfaceVersion, RunOptions o, String podUuid) {
    if (interfaceVersion < 1) {
      throw new IllegalArgumentException("stage1 interface version must be >= 1, got "
          + interfaceVersion);
    }
    List<String> a = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (o.debug()) {
      a.add("--debug");
    }
    a.add("--net=" + o.net());
    if (o.interactive()) {
      a.add("--interactive");
    }
    o.privateUsers().ifPresent(r -> a.add("--private-users=" + r));
    o.mdsToken().ifPresent(t -> a.add("--mds-token=" + t));
    if (!o.localConfig().isEmpty()) {
      a.add("--local-config=" + o.localConfig());
    }
    if (o.hostname().isPresent()) {
      if (interfaceVersion >= 2) {
        a.add("--hostname=" + o.hostname().get());
      } else {
        warnings.add("--hostname is not supported by this stage1 (interface version "
            + interfaceVersion + ")");
      }
    }
    if (!o.resolvMode().equals("default") || !o.hostsMode().equals("default")) {
      if (interfaceVersion >= 4) {
        a.add("--dns-conf-mode=resolv=" + o.resolvMode() + ",hosts=" + o.hostsMode());
      } else {
        warnings.add("--dns-conf-mode is not supported by this stage1 (interface version "
            + interfaceVersion + ")");
      }
    }
    if (interfaceVersion >= 3) {
      if (o.disableCapabilities()) {
        a.add("--disable-capabilities-restriction");
      }
      if (o.disablePaths()) {
        a.add("--disable-paths");
      }
      if (o.disableSeccomp()) {
        a.add("--disable-seccomp");
      }
    }
    if (o.mutable()) {
      a.add("--mutable");
    }
    if (o.ipc().isPresent()) {
      if (interfaceVersion >= 6) {
        a.add("--ipc=" + o.ipc().get());
      } else {
        warnings.add("--ipc is not supported by this stage1 (interface version "
            + interfaceVersion + ")");
      }
    }
    a.add(podUuid);
    return new Stage1RunArgs(a, warnings);
  }
}
