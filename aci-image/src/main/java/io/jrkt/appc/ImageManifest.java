package io.jrkt.appc;

import io.jrkt.appc.json.ImageManifestJson;
import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An image manifest (the {@code manifest} file of an ACI): name, labels, the optional app, the
 * annotations, dependencies and path whitelist. Immutable and valid by construction.
 */
public final class ImageManifest {
  public static final String KIND = "ImageManifest";

  private final String acVersion;
  private final AcIdentifier name;
  private final Labels labels;
  private final App app;
  private final Annotations annotations;
  private final List<Dependency> dependencies;
  private final List<String> pathWhitelist;

  private ImageManifest(Builder b) {
    if (!AcVersion.isValid(b.acVersion)) {
      throw new IllegalArgumentException(
          "acVersion: " + Names.quote(b.acVersion) + " is not a SemVer version");
    }
    this.acVersion = b.acVersion;
    if (b.name == null) {
      throw new IllegalArgumentException("name: must be set");
    }
    this.name = b.name;
    this.labels = Objects.requireNonNull(b.labels, "labels");
    this.app = b.app;
    this.annotations = Objects.requireNonNull(b.annotations, "annotations");
    this.dependencies = List.copyOf(b.dependencies);
    this.pathWhitelist = List.copyOf(b.pathWhitelist);
  }

  /** Parses and validates a manifest; messages start with {@code image manifest: }. */
  public static ImageManifest parse(byte[] json) throws AppcException {
    Object parsed;
    try {
      parsed = Json.parse(json);
    } catch (JsonException e) {
      throw new AppcException("image manifest: not valid JSON: " + e.getMessage(), e);
    }
    return ImageManifestJson.fromJson(parsed);
  }

  /** The manifest as JSON, in the shape and key order rkt writes (pretty = tab-indented). */
  public String toJson(boolean pretty) {
    Object m = ImageManifestJson.toJson(this);
    return pretty ? Json.writePretty(m) : Json.write(m);
  }

  public String acVersion() {
    return acVersion;
  }

  public AcIdentifier name() {
    return name;
  }

  public Labels labels() {
    return labels;
  }

  public Optional<App> app() {
    return Optional.ofNullable(app);
  }

  public Annotations annotations() {
    return annotations;
  }

  public List<Dependency> dependencies() {
    return dependencies;
  }

  public List<String> pathWhitelist() {
    return pathWhitelist;
  }

  /** The {@code version} label. */
  public Optional<String> version() {
    return labels.get("version");
  }

  /**
   * Checks what running the image needs: {@code os} and {@code arch} labels naming a linux
   * platform.
   */
  public void requireOsArch() throws AppcException {
    Optional<String> os = labels.get("os");
    Optional<String> arch = labels.get("arch");
    String where = "image " + name;
    if (os.isEmpty()) {
      throw new AppcException(where + ": the manifest has no os label");
    }
    if (arch.isEmpty()) {
      throw new AppcException(where + ": the manifest has no arch label");
    }
    if (!os.get().equals("linux")) {
      throw new AppcException(where + ": os " + Names.quote(os.get())
          + " is not supported (only linux)");
    }
    if (!OsArch.LINUX_ARCHS.contains(arch.get())) {
      throw new AppcException(where + ": arch " + Names.quote(arch.get())
          + " is not supported for linux (must be one of: "
          + String.join(", ", OsArch.LINUX_ARCHS) + ")");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public static Builder builder(AcIdentifier name) {
    return new Builder().name(name);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.acVersion = acVersion;
    b.name = name;
    b.labels = labels;
    b.app = app;
    b.annotations = annotations;
    b.dependencies = new ArrayList<>(dependencies);
    b.pathWhitelist = new ArrayList<>(pathWhitelist);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ImageManifest)) {
      return false;
    }
    ImageManifest m = (ImageManifest) o;
    return acVersion.equals(m.acVersion) && name.equals(m.name) && labels.equals(m.labels)
        && Objects.equals(app, m.app) && annotations.equals(m.annotations)
        && dependencies.equals(m.dependencies) && pathWhitelist.equals(m.pathWhitelist);
  }

  @Override
  public int hashCode() {
    return Objects.hash(acVersion, name, labels, app, annotations, dependencies, pathWhitelist);
  }

  @Override
  public String toString() {
    return "ImageManifest[" + name + (labels.isEmpty() ? "" : " " + labels) + "]";
  }

  /** Mutable staging for an {@link ImageManifest}; {@link #build()} validates. */
  public static final class Builder {
    private String acVersion = AcVersion.APPC;
    private AcIdentifier name;
    private Labels labels = Labels.empty();
    private App app;
    private Annotations annotations = Annotations.empty();
    private List<Dependency> dependencies = new ArrayList<>();
    private List<String> pathWhitelist = new ArrayList<>();

    private Builder() {}

    public Builder acVersion(String v) {
      this.acVersion = v;
      return this;
    }

    public Builder name(AcIdentifier name) {
      this.name = name;
      return this;
    }

    public Builder labels(Labels labels) {
      this.labels = labels;
      return this;
    }

    public Builder label(String name, String value) {
      this.labels = labels.with(name, value);
      return this;
    }

    /** The app section; null for none. */
    public Builder app(App app) {
      this.app = app;
      return this;
    }

    public Builder annotations(Annotations annotations) {
      this.annotations = annotations;
      return this;
    }

    public Builder annotation(String name, String value) {
      this.annotations = annotations.with(name, value);
      return this;
    }

    public Builder dependencies(List<Dependency> deps) {
      this.dependencies = new ArrayList<>(deps);
      return this;
    }

    public Builder addDependency(Dependency dep) {
      dependencies.add(dep);
      return this;
    }

    public Builder pathWhitelist(List<String> paths) {
      this.pathWhitelist = new ArrayList<>(paths);
      return this;
    }

    /** @throws IllegalArgumentException when the manifest would be invalid */
    public ImageManifest build() {
      return new ImageManifest(this);
    }
  }
}
