package io.jrkt.stage1;

import io.jrkt.appc.AcName;
import io.jrkt.appc.Annotations;
import io.jrkt.appc.App;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.EnvVar;
import io.jrkt.appc.ExposedPort;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.Isolator;
import io.jrkt.appc.Mount;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.Port;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.appc.RuntimeImage;
import io.jrkt.appc.Volume;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the pod manifest of a run/prepare from the command line and the apps' image manifests.
 * Pure: the host environment ({@code --inherit-env}) and everything else come in as arguments.
 *
 * <p>Per app: the name is {@code --name} or derived from the image name (two apps with the same
 * name are an error, as in rkt; there is no automatic suffix); the app section is the image's
 * with the flags applied: {@code --exec} replaces the whole argv, arguments after {@code --}
 * replace {@code exec[1..]}; the environment is the image's, then {@code --set-env-file}, then
 * {@code --set-env}, then (only what is still missing) the inherited environment, then
 * {@code --environment}; isolator flags replace the image's isolators of the same kind.
 */
public final class PodManifestGenerator {
  public static final String MUTABLE_ANNOTATION = "coreos.com/rkt/stage1/mutable";
  public static final String STAGE1_NAME_ANNOTATION = "jrkt.io/stage1-name";
  /** The kubelet's way to pick a stage1 for a {@code --pod-manifest} pod. */
  public static final String STAGE1_OVERRIDE_ANNOTATION =
      "rkt.alpha.kubernetes.io/stage1-name-override";
  private static final String STDIO_ANNOTATION_PREFIX = "coreos.com/rkt/stage2/";

  private final String acVersion;
  private final Map<String, String> hostEnv;

  /**
   * @param acVersion what to write as the manifest's acVersion (rkt wrote its own version)
   * @param hostEnv the environment {@code --inherit-env} takes variables from
   */
  public PodManifestGenerator(String acVersion, Map<String, String> hostEnv) {
    this.acVersion = acVersion;
    this.hostEnv = hostEnv;
  }

  /**
   * The manifest for {@code args}; {@code images} are the apps' images, in the same order.
   *
   * @param stage1Name the name of the chosen stage1 image, recorded as an annotation
   */
  public PodManifest generate(PodArgs args, List<ResolvedImage> images, String stage1Name)
      throws ArgsException {
    if (images.size() != args.apps().size()) {
      throw new IllegalArgumentException(args.apps().size() + " apps but " + images.size()
          + " images");
    }
    List<Volume> volumes = volumes(args.volumes());
    Map<AcName, String> nameUsedBy = new HashMap<>();
    PodManifest.Builder pod = PodManifest.builder().acVersion(acVersion).volumes(volumes);
    for (int i = 0; i < images.size(); i++) {
      AppArgs a = args.apps().get(i);
      ResolvedImage img = images.get(i);
      RuntimeApp app = app(args, a, img, volumes);
      String before = nameUsedBy.putIfAbsent(app.name(), a.image());
      if (before != null) {
        throw new ArgsException("app name \"" + app.name() + "\" is used by two images ("
            + before + " and " + a.image() + "); give one of them --name");
      }
      pod.addApp(app);
    }
    pod.ports(ports(args.ports(), pod.build().apps()));
    pod.annotations(podAnnotations(Annotations.empty(), stage1Name));
    return build(pod);
  }

  /**
   * A {@code --pod-manifest} manifest, used as given except for what stage0 always sets: the
   * acVersion and the mutable and stage1-name annotations.
   */
  public PodManifest complete(PodManifest given, String stage1Name) throws ArgsException {
    if (given.apps().isEmpty()) {
      throw new ArgsException("--pod-manifest: the pod manifest has no apps");
    }
    return build(given.toBuilder().acVersion(acVersion)
        .annotations(podAnnotations(given.annotations(), stage1Name)));
  }

  private static Annotations podAnnotations(Annotations given, String stage1Name) {
    return given.with(MUTABLE_ANNOTATION, "false").with(STAGE1_NAME_ANNOTATION, stage1Name);
  }

  private static PodManifest build(PodManifest.Builder pod) throws ArgsException {
    try {
      return pod.build();
    } catch (IllegalArgumentException e) {
      throw new ArgsException("pod manifest: " + e.getMessage());
    }
  }

  private RuntimeApp app(PodArgs pod, AppArgs a, ResolvedImage img, List<Volume> volumes)
      throws ArgsException {
    ImageManifest m = img.manifest();
    String where = "image " + a.image();
    try {
      m.requireOsArch();
    } catch (AppcException e) {
      throw new ArgsException(e.getMessage());
    }
    AcName name;
    try {
      name = a.name().orElseGet(() -> AcName.fromImageName(m.name()));
    } catch (IllegalArgumentException e) {
      throw new ArgsException(where + ": cannot derive an app name from " + m.name()
          + "; give --name");
    }
    App app = appSection(pod, a, m, where);
    List<Mount> mounts = new ArrayList<>();
    for (MountArg ma : pod.mounts()) {
      mounts.add(mount(ma, volumes, "--mount"));
    }
    for (MountArg ma : a.mounts()) {
      mounts.add(mount(ma, volumes, "--mount (after " + a.image() + ")"));
    }
    Annotations annotations = Annotations.empty();
    try {
      for (KeyValue kv : a.annotations()) {
        annotations = annotations.with(kv.key(), kv.value());
      }
      for (KeyValue kv : a.stdio()) {
        annotations = annotations.with(STDIO_ANNOTATION_PREFIX + kv.key(), kv.value());
      }
    } catch (IllegalArgumentException e) {
      throw new ArgsException(where + ": --annotation: " + e.getMessage());
    }
    RuntimeImage image = new RuntimeImage(m.name(), img.id(), m.labels());
    return new RuntimeApp(name, image, app, a.readOnlyRootfs(), mounts, annotations);
  }

  private App appSection(PodArgs pod, AppArgs a, ImageManifest m, String where)
      throws ArgsException {
    App base = m.app().orElse(null);
    if (base == null) {
      if (a.exec().isEmpty()) {
        throw new ArgsException(where + " has no app section; give --exec=BINARY");
      }
      // As rkt: the app runs as the caller, which run/prepare require to be root.
      base = App.builder().exec(a.exec().get()).user("0").group("0").build();
    }
    App.Builder b = base.toBuilder();
    List<String> exec = new ArrayList<>(base.exec());
    if (a.exec().isPresent()) {
      exec = new ArrayList<>(List.of(a.exec().get()));
      exec.addAll(a.args().orElse(List.of()));
    } else if (a.args().isPresent()) {
      if (exec.isEmpty()) {
        throw new ArgsException(where + " has no exec to pass arguments to; give --exec=BINARY");
      }
      // As rkt: app arguments are appended to the image's exec, not put in place of its args.
      exec.addAll(a.args().get());
    }
    if (exec.isEmpty()) {
      throw new ArgsException(where + " has an empty \"exec\" (try --exec=BINARY)");
    }
    if (!exec.get(0).startsWith("/")) {
      throw new ArgsException(where + ": exec \"" + exec.get(0) + "\" must be an absolute path");
    }
    b.exec(exec);
    a.user().ifPresent(b::user);
    a.group().ifPresent(b::group);
    a.workingDir().ifPresent(b::workingDirectory);
    a.supplementaryGids().ifPresent(b::supplementaryGids);
    b.environment(environment(pod, a, base.environment()));
    b.isolators(isolators(base.isolators(), a.isolators(), where));
    if (!a.userAnnotations().isEmpty()) {
      Map<String, String> ua = new LinkedHashMap<>(base.userAnnotations());
      a.userAnnotations().forEach(kv -> ua.put(kv.key(), kv.value()));
      b.userAnnotations(ua);
    }
    if (!a.userLabels().isEmpty()) {
      Map<String, String> ul = new LinkedHashMap<>(base.userLabels());
      a.userLabels().forEach(kv -> ul.put(kv.key(), kv.value()));
      b.userLabels(ul);
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ArgsException(where + ": " + e.getMessage());
    }
  }

  private List<EnvVar> environment(PodArgs pod, AppArgs a, List<EnvVar> image)
      throws ArgsException {
    EnvVars env = new EnvVars();
    for (EnvVar v : image) {
      env.set(v.name(), v.value());
    }
    env.setAll(pod.setEnvFile());
    env.setAll(pod.setEnv());
    if (pod.inheritEnv()) {
      env.addMissing(hostEnv);
    }
    env.setAll(a.environment());
    List<EnvVar> out = new ArrayList<>();
    for (KeyValue kv : env.asList()) {
      try {
        out.add(new EnvVar(kv.key(), kv.value()));
      } catch (IllegalArgumentException e) {
        throw new ArgsException("environment of " + a.image() + ": " + e.getMessage());
      }
    }
    return out;
  }

  static List<Isolator> isolators(List<Isolator> image, IsolatorArgs o, String where)
      throws ArgsException {
    List<Isolator> isos = new ArrayList<>(image);
    try {
      if (o.memory().isPresent()) {
        put(isos, Isolator.resource(Isolator.MEMORY, o.memory().get(), o.memory().get()));
      }
      if (o.cpu().isPresent()) {
        put(isos, Isolator.resource(Isolator.CPU, o.cpu().get(), o.cpu().get()));
      }
      if (o.cpuShares().isPresent()) {
        put(isos, Isolator.cpuShares(o.cpuShares().get()));
      }
      if (o.oomScoreAdj().isPresent()) {
        put(isos, Isolator.oomScoreAdj(o.oomScoreAdj().get()));
      }
      if (o.capsRetain().isPresent()) {
        remove(isos, Isolator.CAPABILITIES_REMOVE);
        put(isos, Isolator.set(Isolator.CAPABILITIES_RETAIN, o.capsRetain().get(), null));
      }
      if (o.capsRemove().isPresent()) {
        remove(isos, Isolator.CAPABILITIES_RETAIN);
        put(isos, Isolator.set(Isolator.CAPABILITIES_REMOVE, o.capsRemove().get(), null));
      }
      if (o.seccomp().isPresent()) {
        SeccompArg s = o.seccomp().get();
        remove(isos, Isolator.SECCOMP_RETAIN);
        remove(isos, Isolator.SECCOMP_REMOVE);
        put(isos, Isolator.set(s.isolatorName(), s.syscalls(), s.errno().orElse(null)));
      }
    } catch (IllegalArgumentException e) {
      throw new ArgsException(where + ": " + e.getMessage());
    }
    return isos;
  }

  private static void put(List<Isolator> isos, Isolator iso) {
    for (int i = 0; i < isos.size(); i++) {
      if (isos.get(i).name().equals(iso.name())) {
        isos.set(i, iso);
        return;
      }
    }
    isos.add(iso);
  }

  private static void remove(List<Isolator> isos, String name) {
    isos.removeIf(i -> i.name().equals(name));
  }

  private static List<Volume> volumes(List<String> specs) throws ArgsException {
    List<Volume> out = new ArrayList<>();
    for (String s : specs) {
      Volume v;
      try {
        v = Volume.parseCli(s);
      } catch (AppcException e) {
        throw new ArgsException("--volume: " + e.getMessage());
      }
      for (Volume before : out) {
        if (before.name().equals(v.name())) {
          throw new ArgsException("--volume: the name \"" + v.name() + "\" is given twice");
        }
      }
      out.add(v);
    }
    return out;
  }

  private static Mount mount(MountArg ma, List<Volume> volumes, String flag)
      throws ArgsException {
    for (Volume v : volumes) {
      if (v.name().equals(ma.volume())) {
        return new Mount(ma.volume(), ma.target());
      }
    }
    throw new ArgsException(flag + " volume=" + ma.volume() + ",target=" + ma.target()
        + ": no --volume named \"" + ma.volume() + "\"");
  }

  /** Parses {@code NAME:[HOSTIP:]HOSTPORT}; NAME must be a port of one of the apps. */
  static List<ExposedPort> ports(List<String> specs, List<RuntimeApp> apps)
      throws ArgsException {
    List<ExposedPort> out = new ArrayList<>();
    for (String s : specs) {
      String where = "--port=" + s;
      int first = s.indexOf(':');
      int last = s.lastIndexOf(':');
      if (first <= 0 || last == s.length() - 1) {
        throw new ArgsException(where + ": want NAME:[HOSTIP:]HOSTPORT");
      }
      String name = s.substring(0, first);
      String hostIp = first == last ? null : s.substring(first + 1, last);
      String portText = s.substring(last + 1);
      if (!AcName.isValid(name)) {
        throw new ArgsException(where + ": \"" + name + "\" is not a valid port name");
      }
      int port;
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new ArgsException(where + ": host port \"" + portText + "\" is not a number");
      }
      AcName portName = new AcName(name);
      if (!hasPort(apps, portName)) {
        throw new ArgsException(where + ": no app of the pod has a port named \"" + name + "\"");
      }
      try {
        out.add(new ExposedPort(portName, port, hostIp));
      } catch (IllegalArgumentException e) {
        throw new ArgsException(where + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static boolean hasPort(List<RuntimeApp> apps, AcName name) {
    for (RuntimeApp ra : apps) {
      if (ra.app() != null) {
        for (Port p : ra.app().ports()) {
          if (p.name().equals(name)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The stage1 a {@code --pod-manifest} pod asks for through the kubelet's annotation. */
  public static Optional<String> stage1Override(PodManifest pod) {
    return pod.annotations().get(STAGE1_OVERRIDE_ANNOTATION);
  }
}
