package io.jrkt.cli;

import io.jrkt.appc.Mount;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.appc.Volume;
import io.jrkt.json.Json;
import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The JSON shape of a pod in {@code list --format=json} and {@code status --format=json}: rkt's
 * {@code lib.Pod}, with Go's field order and omitempty rules. Pod times are Unix seconds, app
 * times Unix nanoseconds, as rkt wrote them.
 *
 * <p>App state for immutable pods: {@code exited} once the stage1 recorded an exit code, else
 * from the pod: prepared = {@code created}, running = {@code running}, ran and ended =
 * {@code exited}; {@code unknown} otherwise. Mutable pods' {@code rkt/status/<app>-created} and
 * {@code -started} markers give the app times when present, else the pod's times are used.
 */
final class PodJson {
  /** net-info.json keys in the order rkt's NetInfo struct marshals them. */
  private static final String[] NET_KEYS = {"netName", "netConf", "pluginPath", "ifName", "ip",
      "args", "mask"};

  private PodJson() {}

  static Map<String, Object> of(Pod pod) throws PodException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", pod.uuid().value());
    m.put("state", pod.state().label());
    List<Object> nets = networks(pod);
    if (!nets.isEmpty()) {
      m.put("networks", nets);
    }
    PodManifest manifest = readableManifest(pod);
    List<Object> names = new ArrayList<>();
    List<Object> apps = new ArrayList<>();
    if (manifest != null) {
      for (RuntimeApp app : manifest.apps()) {
        names.add(app.name().value());
        apps.add(app(pod, manifest, app));
      }
    }
    if (!names.isEmpty()) {
      m.put("app_names", names);
      m.put("apps", apps);
    }
    m.put("created_at", pod.created().getEpochSecond());
    pod.started().ifPresent(t -> m.put("started_at", t.getEpochSecond()));
    if (manifest != null) {
      putMap(m, "user_annotations", manifest.userAnnotations());
      putMap(m, "user_labels", manifest.userLabels());
    }
    return m;
  }

  /** The manifest, or null for a pod that has none yet (embryo, early prepare). */
  private static PodManifest readableManifest(Pod pod) throws PodException {
    try {
      return pod.manifest();
    } catch (io.jrkt.pod.PodNotFoundException e) {
      return null;
    }
  }

  private static Map<String, Object> app(Pod pod, PodManifest manifest, RuntimeApp app)
      throws PodException {
    String name = app.name().value();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    OptionalInt exitCode = pod.appExitCode(name);
    Optional<Instant> finished = pod.appStatusTime(name);
    m.put("state", appState(pod.state(), exitCode.isPresent()));
    Optional<Instant> created = pod.appStatusTime(name + "-created");
    m.put("created_at", nanos(created.orElse(pod.created())));
    Optional<Instant> started = pod.appStatusTime(name + "-started").or(pod::started);
    started.ifPresent(t -> m.put("started_at", nanos(t)));
    if (exitCode.isPresent() && finished.isPresent()) {
      m.put("finished_at", nanos(finished.get()));
    } else if (pod.state().exited()) {
      pod.gcMarkedAt().ifPresent(t -> m.put("finished_at", nanos(t)));
    }
    if (exitCode.isPresent()) {
      m.put("exit_code", (long) exitCode.getAsInt());
    }
    m.put("image_id", app.image().id().value());
    List<Object> mounts = new ArrayList<>();
    for (Mount mount : app.mounts()) {
      mounts.add(mount(manifest, mount));
    }
    if (!mounts.isEmpty()) {
      m.put("mounts", mounts);
    }
    if (app.app() != null) {
      putMap(m, "user_annotations", app.app().userAnnotations());
      putMap(m, "user_labels", app.app().userLabels());
    }
    return m;
  }

  static String appState(PodState pod, boolean hasExitCode) {
    if (hasExitCode) {
      return "exited";
    }
    switch (pod) {
      case PREPARED:
        return "created";
      case RUNNING:
        return "running";
      case EXITED:
      case EXITED_GARBAGE:
      case EXITED_DELETING:
        return "exited";
      default:
        return "unknown";
    }
  }

  private static Map<String, Object> mount(PodManifest manifest, Mount mount) {
    Volume vol = mount.appVolume() != null ? mount.appVolume()
        : manifest.volume(mount.volume()).orElse(null);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", mount.volume().value());
    m.put("container_path", mount.path());
    m.put("host_path", vol == null || vol.source() == null ? "" : vol.source());
    m.put("read_only", vol != null && Boolean.TRUE.equals(vol.readOnly()));
    return m;
  }

  private static List<Object> networks(Pod pod) {
    List<Object> out = new ArrayList<>();
    for (Object entry : pod.networksJson()) {
      if (!(entry instanceof Map)) {
        continue;
      }
      Map<?, ?> raw = (Map<?, ?>) entry;
      Map<String, Object> n = new LinkedHashMap<>();
      for (String k : NET_KEYS) {
        Object v = raw.get(k);
        n.put(k, v == null ? "" : v);
      }
      out.add(n);
    }
    return out;
  }

  private static void putMap(Map<String, Object> m, String key, Map<String, String> value) {
    if (value != null && !value.isEmpty()) {
      m.put(key, new java.util.TreeMap<String, Object>(value)); // Go sorts map keys
    }
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** Compact or tab-indented, as rkt's {@code json} and {@code json-pretty} formats. */
  static String write(Object value, boolean pretty) {
    return pretty ? Json.writePretty(value) : Json.write(value);
  }
}
