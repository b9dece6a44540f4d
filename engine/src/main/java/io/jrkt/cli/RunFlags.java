package io.jrkt.cli;

import io.jrkt.stage1.AppArgs;
import io.jrkt.stage1.ArgsException;
import io.jrkt.stage1.DnsConfig;
import io.jrkt.stage1.EnvVars;
import io.jrkt.stage1.ImageArgsParser;
import io.jrkt.stage1.KeyValue;
import io.jrkt.stage1.MountArg;
import io.jrkt.stage1.NetList;
import io.jrkt.stage1.PodSetup;
import io.jrkt.stage1.RunOptions;
import io.jrkt.stage1.Stage1Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pod-level flags of {@code run}, {@code prepare} and {@code run-prepared}, and how they
 * become a {@link PodSetup.Request} and the stage1's {@link RunOptions}.
 */
final class RunFlags {
  private static final String[] STAGE1_FLAGS = {"stage1-name", "stage1-path", "stage1-hash",
      "stage1-from-dir", "stage1-url"};

  private RunFlags() {}

  /** Flags that shape the pod: run and prepare. */
  static void definePod(Flags f) {
    f.string("pod-manifest", "", "the path to the pod manifest; the pod is run as it says "
            + "(no image arguments, volumes or ports)")
        .list("set-env", "an environment variable to set for apps, NAME=VALUE")
        .string("set-env-file", "", "the path to an environment variables file (NAME=VALUE lines)")
        .bool("inherit-env", "inherit all environment variables not set by apps")
        .list("volume", "volumes to mount into the pod: NAME,kind=host|empty,...")
        .list("mount", "mount point binding a volume to a path within every app: "
            + "volume=NAME,target=PATH")
        .list("port", "ports to expose on the host: NAME:[HOSTIP:]HOSTPORT")
        .string("uuid-file-save", "", "write out the pod UUID to the specified file")
        .bool("no-overlay", "disable the overlay filesystem")
        .bool("private-users", "run in user namespaces (not supported yet)")
        .string("pull-policy", "new", "when to fetch images: never, new, update")
        .bool("store-only", "deprecated: use --pull-policy=never")
        .bool("no-store", "deprecated: use --pull-policy=update")
        .string("stage1-name", null, "a stage1 image name: NAME[:VERSION] (from the store)")
        .string("stage1-path", null, "a stage1 image file (imported into the store once)")
        .string("stage1-hash", null, "a stage1 image id in the store")
        .string("stage1-from-dir", null, "a stage1 image file name in jrkt's directory")
        .string("stage1-url", null, "a stage1 image URL (file:// only for now)");
    KvmFlags.define(f);
    // Per-app flags are read after their image; here they only give a clear error.
    for (String name : ImageArgsParser.APP_FLAGS) {
      if (!f.isDefined(name)) {
        f.list(name, "per-app: must follow an image");
      }
    }
  }

  /** Flags passed to the stage1: run and run-prepared. */
  static void defineRun(Flags f) {
    f.optional("net", "default", "default", "the networks for the pod: default, host, none, "
            + "default-restricted, all, or NAME[:K=V;...][,NAME...]")
        .list("dns", "name servers for the pod's resolv.conf, or host, or none")
        .list("dns-search", "DNS search domains")
        .list("dns-opt", "DNS options")
        .string("dns-domain", "", "the DNS domain")
        .list("hosts-entry", "entries for the pod's /etc/hosts: IP=HOSTNAME, or host")
        .string("hostname", "", "the pod's hostname (default rkt-<uuid>)")
        .bool("interactive", "run the pod interactively (one app only)")
        .bool("mds-register", "register the pod with the metadata service (not supported yet)")
        .string("ipc", "", "IPC namespace: auto, private or parent");
  }

  /** The request of run or prepare. */
  static PodSetup.Request podRequest(Flags f, List<String> positional, boolean withRun)
      throws CliException {
    try {
      for (String name : ImageArgsParser.APP_FLAGS) {
        if (!name.equals("mount") && f.isSet(name)) {
          throw new ArgsException("--" + name + " must follow an image");
        }
      }
      if (f.getBool("private-users")) {
        throw new ArgsException("--private-users is not supported yet");
      }
      Stage1Request stage1 = stage1Request(f);
      String podManifest = f.getString("pod-manifest");
      Optional<Path> uuidFile = f.getString("uuid-file-save").isEmpty() ? Optional.empty()
          : Optional.of(Path.of(f.getString("uuid-file-save")));
      DnsConfig dns = withRun ? dns(f) : DnsConfig.NONE;
      if (!podManifest.isEmpty()) {
        List<String> conflicts = new ArrayList<>();
        for (String name : List.of("volume", "mount", "port", "set-env", "set-env-file",
            "inherit-env")) {
          if (f.isSet(name) && !(f.isBool(name) && !f.getBool(name))) {
            conflicts.add("--" + name);
          }
        }
        if (!positional.isEmpty()) {
          conflicts.add("image arguments");
        }
        if (!conflicts.isEmpty()) {
          throw new ArgsException("--pod-manifest cannot be combined with "
              + String.join(", ", conflicts) + " (the pod manifest says it all)");
        }
        return new PodSetup.Request(Optional.empty(), Optional.of(Path.of(podManifest)),
            stage1, uuidFile, dns).withNoOverlay(f.getBool("no-overlay"));
      }
      List<AppArgs> apps = ImageArgsParser.parse(positional);
      if (withRun && f.getBool("interactive") && apps.size() > 1) {
        throw new ArgsException("--interactive can only be used with one image");
      }
      List<MountArg> mounts = new ArrayList<>();
      for (String m : f.getList("mount")) {
        mounts.add(MountArg.parse(m));
      }
      List<KeyValue> setEnv = new ArrayList<>();
      for (String e : f.getList("set-env")) {
        setEnv.add(EnvVars.parseAssignment("--set-env", e));
      }
      List<KeyValue> fromFile = List.of();
      String envFile = f.getString("set-env-file");
      if (!envFile.isEmpty()) {
        fromFile = EnvVars.parseFile(envFile, readFile(envFile));
      }
      if (withRun && !f.getList("port").isEmpty() && !NetList.allowsPorts(net(f))) {
        throw new ArgsException("--port cannot be used with --net=" + net(f));
      }
      io.jrkt.stage1.PodArgs args = new io.jrkt.stage1.PodArgs(apps, mounts, f.getList("volume"),
          setEnv, fromFile, f.getBool("inherit-env"), f.getList("port"));
      return new PodSetup.Request(Optional.of(args), Optional.empty(), stage1, uuidFile, dns)
          .withNoOverlay(f.getBool("no-overlay"));
    } catch (ArgsException e) {
      throw new CliException(e.getMessage());
    }
  }

  static Stage1Request stage1Request(Flags f) throws ArgsException {
    String[] v = new String[STAGE1_FLAGS.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = f.getString(STAGE1_FLAGS[i]);
    }
    return Stage1Request.fromFlags(v[0], v[1], v[2], v[3], v[4]);
  }

  /** rkt's {@code --pull-policy} with its deprecated spellings. */
  static String pullPolicy(Flags f) throws CliException {
    if (f.getBool("store-only") && f.getBool("no-store")) {
      throw new CliException("--store-only and --no-store cannot be used together");
    }
    if (f.getBool("store-only")) {
      return "never";
    }
    if (f.getBool("no-store")) {
      return "update";
    }
    String p = f.getString("pull-policy");
    if (!p.equals("never") && !p.equals("new") && !p.equals("update")) {
      throw new CliException("invalid --pull-policy \"" + p + "\": must be one of never, new, "
          + "update");
    }
    return p;
  }

  static DnsConfig dns(Flags f) throws ArgsException {
    return DnsConfig.of(f.getList("dns"), f.getList("dns-search"), f.getList("dns-opt"),
        f.getString("dns-domain"), f.getList("hosts-entry"));
  }

  private static String net(Flags f) throws ArgsException {
    return NetList.parse(f.getString("net"));
  }

  /** The stage1's options from the run flags and the global ones. */
  static RunOptions runOptions(Context ctx, Flags f, DnsConfig dns) throws CliException {
    try {
      if (f.getBool("mds-register")) {
        throw new ArgsException("--mds-register is not supported yet (no metadata service)");
      }
      String ipc = f.getString("ipc");
      if (!ipc.isEmpty() && !ipc.equals("auto") && !ipc.equals("private")
          && !ipc.equals("parent")) {
        throw new ArgsException("--ipc=" + ipc + ": must be auto, private or parent");
      }
      String hostname = f.getString("hostname");
      return new RunOptions(ctx.debug(), net(f), f.getBool("interactive"), Optional.empty(),
          Optional.empty(), ctx.localConfig().toString(),
          hostname.isEmpty() ? Optional.empty() : Optional.of(hostname), dns.resolvMode(),
          dns.hostsMode(), ctx.insecure("capabilities"), ctx.insecure("paths"),
          ctx.insecure("seccomp"), false, ipc.isEmpty() ? Optional.empty() : Optional.of(ipc));
    } catch (ArgsException e) {
      throw new CliException(e.getMessage());
    }
  }

  private static String readFile(String file) throws ArgsException {
    try {
      return new String(Files.readAllBytes(Path.of(file)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ArgsException("--set-env-file: cannot read "
          + io.jrkt.stage1.IoErrors.describe(e));
    }
  }
}
