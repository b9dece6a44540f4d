package io.jrkt.appc;

import io.jrkt.appc.json.PodManifestJson;
import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A pod manifest (the {@code pod} file of a pod directory): the apps, the pod volumes, pod
 * isolators, annotations and exposed ports. Immutable; app and volume names are unique and every
 * mount refers to a declared volume or carries its own.
 */
public final class PodManifest {
  public static final String KIND = "PodManifest";

  private final String acVersion;
  private final List<RuntimeApp> apps;
  private final List<Volume> volumes;
  private final List<Isolator> isolators;
  private final Annotations annotations;
  private final List<ExposedPort> ports;
  private final Map<String, String> userAnnotations;
  private final Map<String, String> userLabels;

  private PodManifest(Builder b) {
    if (!AcVersion.isValid(b.acVersion)) {
      throw new IllegalArgumentException(
          "acVersion: " + Names.quote(b.acVersion) + " is not a SemVer version");
    }
    this.acVersion = b.acVersion;
    this.apps = List.copyOf(b.apps);
    this.volumes = List.copyOf(b.volumes);
    this.isolators = List.copyOf(b.isolators);
    this.annotations = Objects.requireNonNull(b.annotations, "annotations");
    this.ports = List.copyOf(b.ports);
    this.userAnnotations = sorted(b.userAnnotations);
    this.userLabels = sorted(b.userLabels);
    String problem = problem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private String problem() {
    Map<AcName, Integer> appIndex = new HashMap<>();
    for (int i = 0; i < apps.size(); i++) {
      Integer before = appIndex.putIfAbsent(apps.get(i).name(), i);
      if (before != null) {
        return "apps[" + i + "].name: " + Names.quote(apps.get(i).name().value())
            + " is already the name of apps[" + before + "]";
      }
    }
    Map<AcName, Integer> volumeIndex = new HashMap<>();
    for (int i = 0; i < volumes.size(); i++) {
      Integer before = volumeIndex.putIfAbsent(volumes.get(i).name(), i);
      if (before != null) {
        return "volumes[" + i + "].name: " + Names.quote(volumes.get(i).name().value())
            + " is already the name of volumes[" + before + "]";
      }
    }
    for (int i = 0; i < apps.size(); i++) {
      List<Mount> mounts = apps.get(i).mounts();
      for (int j = 0; j < mounts.size(); j++) {
        Mount m = mounts.get(j);
        if (m.appVolume() == null && !volumeIndex.containsKey(m.volume())) {
          return "apps[" + i + "].mounts[" + j + "]: volume " + Names.quote(m.volume().value())
              + " is neither in volumes nor given as appVolume";
        }
      }
    }
    String p = Isolator.listProblem(isolators);
    return p == null ? null : "isolators" + p;
  }

  private static Map<String, String> sorted(Map<String, String> m) {
    if (m.isEmpty()) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(m)));
  }

  /** Parses and validates a pod manifest; messages start with {@code pod manifest: }. */
  public static PodManifest parse(byte[] json) throws AppcException {
    Object parsed;
    try {
      parsed = Json.parse(json);
    } catch (JsonException e) {
      throw new AppcException("pod manifest: not valid JSON: " + e.getMessage(), e);
    }
    return PodManifestJson.fromJson(parsed);
  }

  /**
   * The manifest as JSON in rkt's shape: {@code apps}, {@code volumes}, {@code isolators},
   * {@code annotations} and {@code ports} always present, null when empty.
   */
  public String toJson(boolean pretty) {
    Object m = PodManifestJson.toJson(this);
    return pretty ? Json.writePretty(m) : Json.write(m);
  }

  public String acVersion() {
    return acVersion;
  }

  public List<RuntimeApp> apps() {
    return apps;
  }

  public Optional<RuntimeApp> app(AcName name) {
    for (RuntimeApp a : apps) {
      if (a.name().equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  public List<Volume> volumes() {
    return volumes;
  }

  public Optional<Volume> volume(AcName name) {
    for (Volume v : volumes) {
      if (v.name().equals(name)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  public List<Isolator> isolators() {
    return isolators;
  }

  public Annotations annotations() {
    return annotations;
  }

  public List<ExposedPort> ports() {
    return ports;
  }

  public Map<String, String> userAnnotations() {
    return userAnnotations;
  }

  public Map<String, String> userLabels() {
    return userLabels;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.acVersion = acVersion;
    b.apps = new ArrayList<>(apps);
    b.volumes = new ArrayList<>(volumes);
    b.isolators = new ArrayList<>(isolators);
    b.annotations = annotations;
    b.ports = new ArrayList<>(ports);
    b.userAnnotations = new LinkedHashMap<>(userAnnotations);
    b.userLabels = new LinkedHashMap<>(userLabels);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PodManifest)) {
      return false;
    }
    PodManifest p = (PodManifest) o;
    return acVersion.equals(p.acVersion) && apps.equals(p.apps) && volumes.equals(p.volumes)
        && isolators.equals(p.isolators) && annotations.equals(p.annotations)
        && ports.equals(p.ports) && userAnnotations.equals(p.userAnnotations)
        && userLabels.equals(p.userLabels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(acVersion, apps, volumes, isolators, annotations, ports);
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    for (RuntimeApp a : apps) {
      names.add(a.name().value());
    }
    return "PodManifest" + names;
  }

  /** Mutable staging for a {@link PodManifest}; {@link #build()} validates. */
  public static final class Builder {
    private String acVersion = AcVersion.APPC;
    private List<RuntimeApp> apps = new ArrayList<>();
    private List<Volume> volumes = new ArrayList<>();
    private List<Isolator> isolators = new ArrayList<>();
    private Annotations annotations = Annotations.empty();
    private List<ExposedPort> ports = new ArrayList<>();
    private Map<String, String> userAnnotations = new LinkedHashMap<>();
    private Map<String, String> userLabels = new LinkedHashMap<>();

    private Builder() {}

    public Builder acVersion(String v) {
      this.acVersion = v;
      return this;
    }

    public Builder apps(List<RuntimeApp> apps) {
      this.apps = new ArrayList<>(apps);
      return this;
    }

    public Builder addApp(RuntimeApp app) {
      apps.add(app);
      return this;
    }

    /** Replaces the app of the same name (keeping its position), or appends. */
    public Builder setApp(RuntimeApp app) {
      for (int i = 0; i < apps.size(); i++) {
        if (apps.get(i).name().equals(app.name())) {
          apps.set(i, app);
          return this;
        }
      }
      apps.add(app);
      return this;
    }

    public Builder removeApp(AcName name) {
      apps.removeIf(a -> a.name().equals(name));
      return this;
    }

    public Builder volumes(List<Volume> volumes) {
      this.volumes = new ArrayList<>(volumes);
      return this;
    }

    public Builder addVolume(Volume volume) {
      volumes.add(volume);
      return this;
    }

    public Builder isolators(List<Isolator> isolators) {
      this.isolators = new ArrayList<>(isolators);
      return this;
    }

    public Builder annotations(Annotations annotations) {
      this.annotations = annotations;
      return this;
    }

    /** Sets an annotation: replaced in place when present, appended otherwise. */
    public Builder addAnnotation(String name, String value) {
      this.annotations = annotations.with(name, value);
      return this;
    }

    public Builder ports(List<ExposedPort> ports) {
      this.ports = new ArrayList<>(ports);
      return this;
    }

    public Builder addPort(ExposedPort port) {
      ports.add(port);
      return this;
    }

    public Builder userAnnotations(Map<String, String> m) {
      this.userAnnotations = new LinkedHashMap<>(m);
      return this;
    }

    public Builder userLabels(Map<String, String> m) {
      this.userLabels = new LinkedHashMap<>(m);
      return this;
    }

    /** @throws IllegalArgumentException when the manifest would be invalid (message says where) */
    public PodManifest build() {
      return new PodManifest(this);
    }
  }
}
