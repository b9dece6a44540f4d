package io.jrkt.api;

import io.jrkt.api.v1alpha.App;
import io.jrkt.api.v1alpha.AppState;
import io.jrkt.api.v1alpha.Image;
import io.jrkt.api.v1alpha.ImageFormat;
import io.jrkt.api.v1alpha.ImageType;
import io.jrkt.api.v1alpha.KeyValue;
import io.jrkt.api.v1alpha.Network;
import io.jrkt.api.v1alpha.Pod;
import io.jrkt.api.v1alpha.PodState;
import io.jrkt.appc.Annotation;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.pod.NetInfo;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodNotFoundException;
import io.jrkt.pod.PodUuid;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds the API's {@link Pod} message from a pod directory snapshot, following rkt's mapping
 * (see docs/devel/api-service.md): state, pid, cgroup, apps with their image and exit code,
 * networks, manifest, annotations (plus the stage1's) and times in nanoseconds.
 */
final class PodViews {
  /** The appc schema version reported as every app image's base format version. */
  static final String APPC_VERSION = "0.8.11";
  static final String STAGE1_NAME = "jrkt.io/stage1-name";
  static final String STAGE1_VERSION = "jrkt.io/stage1-version";
  static final String STAGE1_FLAVOR = "jrkt.io/stage1-flavor";

  private PodViews() {}

  /**
   * The pod as the API shows it, with its manifest; empty when the pod vanished while being read.
   */
  static Optional<Pod> view(io.jrkt.pod.Pod p) {
    PodState state = state(p.state());
    Pod.Builder b = Pod.newBuilder().setId(p.uuid().value()).setState(state).setPid(-1);
    if (state == PodState.POD_STATE_EMBRYO) {
      return Optional.of(b.build());
    }
    PodManifest manifest = null;
    try {
      byte[] bytes = p.manifestBytes();
      b.setManifest(ByteString.copyFrom(bytes));
      manifest = p.manifest();
    } catch (PodNotFoundException e) {
      // A pod being prepared has no manifest yet; one that is gone altogether is skipped.
      if (!Files.isDirectory(p.dir())) {
        return Optional.empty();
      }
    } catch (PodException e) {
      // A damaged manifest: the pod is still shown, in its real state, without apps.
    }
    try {
      b.setCreatedAt(nanos(p.created()));
    } catch (PodException e) {
      return Optional.empty();
    }
    p.started().ifPresent(t -> b.setStartedAt(nanos(t)));
    p.gcMarkedAt().ifPresent(t -> b.setGcMarkedAt(nanos(t)));
    boolean running = p.state() == io.jrkt.pod.PodState.RUNNING;
    OptionalInt pid = running ? p.pid() : readInt(p.dir().resolve("pid"));
    if (pid.isPresent()) {
      b.setPid(pid.getAsInt());
    }
    if (running) {
      b.setCgroup(cgroup(p.dir(), pid));
    }
    if (p.state().afterRun()) {
      for (NetInfo n : p.networks()) {
        b.addNetworks(Network.newBuilder().setName(n.netName()).setIpv4(n.ip()));
      }
    }
    if (manifest != null) {
      for (Annotation a : manifest.annotations().asList()) {
        b.addAnnotations(kv(a.name(), a.value()));
      }
      for (RuntimeApp app : manifest.apps()) {
        b.addApps(app(p, app));
      }
    }
    stage1Annotations(p.dir(), b);
    return Optional.of(b.build());
  }

  private static App app(io.jrkt.pod.Pod p, RuntimeApp app) {
    String name = app.name().value();
    App.Builder a = App.newBuilder().setName(name).setImage(appImage(p.dir(), app))
        .setExitCode(-1);
    if (p.state() == io.jrkt.pod.PodState.RUNNING) {
      a.setState(AppState.APP_STATE_RUNNING);
    } else if (p.state().afterRun()) {
      a.setState(AppState.APP_STATE_EXITED);
    }
    if (p.state().afterRun()) {
      // As rkt: a missing status file (the app still runs, or was killed) reads as 0.
      a.setExitCode(p.appExitCode(name).orElse(0));
    }
    for (Annotation an : app.annotations().asList()) {
      a.addAnnotations(kv(an.name(), an.value()));
    }
    return a.build();
  }

  /** The app's image: name and version from the image manifest copied into the pod. */
  private static Image appImage(Path podDir, RuntimeApp app) {
    String name = app.image().name() == null ? "" : app.image().name().value();
    String version = app.image().labels().get("version").orElse(null);
    Path m = podDir.resolve("appsinfo").resolve(app.name().value()).resolve("manifest");
    try {
      ImageManifest im = ImageManifest.parse(Files.readAllBytes(m));
      name = im.name().value();
      version = im.labels().get("version").orElse(null);
    } catch (IOException | AppcException e) {
      // Not (yet) copied or unreadable: what the pod manifest says is all there is.
    }
    return Image.newBuilder()
        .setBaseFormat(ImageFormat.newBuilder().setType(ImageType.IMAGE_TYPE_APPC)
            .setVersion(APPC_VERSION))
        .setId(app.image().id().value()).setName(name)
        .setVersion(version == null ? "latest" : version).build();
  }

  /** jrkt's own: which stage1 the pod runs on (rkt left clients guessing, rkt#3167). */
  private static void stage1Annotations(Path podDir, Pod.Builder b) {
    try {
      ImageManifest s1 = ImageManifest.parse(Files.readAllBytes(podDir.resolve("stage1")
          .resolve("manifest")));
      b.addAnnotations(kv(STAGE1_NAME, s1.name().value()));
      s1.labels().get("version").ifPresent(v -> b.addAnnotations(kv(STAGE1_VERSION, v)));
    } catch (IOException | AppcException e) {
      return;
    }
    try {
      String flavor = Files.readSymbolicLink(podDir.resolve("flavor")).toString();
      b.addAnnotations(kv(STAGE1_FLAVOR, flavor));
    } catch (IOException | UnsupportedOperationException e) {
      // No flavor link (not yet run, or a stage1 that writes none).
    }
  }

  /**
   * The running pod's cgroup: {@code /} + the {@code subcgroup} file, else the name=systemd
   * cgroup of the pod's first process without a trailing {@code /init.scope}.
   */
  static String cgroup(Path podDir, OptionalInt pid) {
    try {
      String sub = Files.readString(podDir.resolve("subcgroup"), StandardCharsets.UTF_8).trim();
      if (!sub.isEmpty()) {
        return sub.startsWith("/") ? sub : "/" + sub;
      }
    } catch (IOException e) {
      // Fall through to the process's cgroup.
    }
    if (pid.isEmpty()) {
      return "";
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid.getAsInt()),
          "cgroup"))) {
        String cg = systemdCgroup(line);
        if (cg != null) {
          return cg;
        }
      }
    } catch (IOException e) {
      return "";
    }
    return "";
  }

  /** The path of a {@code /proc/PID/cgroup} line of the name=systemd hierarchy, else null. */
  static String systemdCgroup(String line) {
    String[] f = line.split(":", 3);
    if (f.length != 3 || !f[1].equals("name=systemd")) {
      return null;
    }
    String path = f[2];
    return path.endsWith("/init.scope") ? path.substring(0, path.length() - 11) : path;
  }

  static PodState state(io.jrkt.pod.PodState s) {
    switch (s) {
      case EMBRYO: return PodState.POD_STATE_EMBRYO;
      case PREPARING: return PodState.POD_STATE_PREPARING;
      case ABORTED_PREPARE: return PodState.POD_STATE_ABORTED_PREPARE;
      case PREPARED: return PodState.POD_STATE_PREPARED;
      case RUNNING: return PodState.POD_STATE_RUNNING;
      case DELETING:
      case EXITED_DELETING:
        return PodState.POD_STATE_DELETING;
      case EXITED: return PodState.POD_STATE_EXITED;
      case EXITED_GARBAGE:
      case GARBAGE:
        return PodState.POD_STATE_GARBAGE;
      default: return PodState.POD_STATE_UNDEFINED;
    }
  }

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(v).build();
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static OptionalInt readInt(Path f) {
    try {
      String s = new String(Files.readAllBytes(f), StandardCharsets.US_ASCII).trim();
      return s.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(s));
    } catch (NoSuchFileException e) {
      return OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** Cache key part: the manifest's mtime, or -1 when it has none. */
  static long manifestStamp(Path podDir) {
    try {
      return Files.getLastModifiedTime(podDir.resolve("pod"), LinkOption.NOFOLLOW_LINKS)
          .toMillis();
    } catch (IOException e) {
      return -1;
    }
  }

  static Optional<PodUuid> uuid(String s) {
    try {
      return Optional.of(PodUuid.parse(s));
    } catch (PodException e) {
      return Optional.empty();
    }
  }
}
