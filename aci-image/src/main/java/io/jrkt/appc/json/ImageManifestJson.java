package io.jrkt.appc.json;

import io.jrkt.appc.AcIdentifier;
import io.jrkt.appc.AcVersion;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.Dependency;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of an image manifest (appc 0.8.11). */
public final class ImageManifestJson {
  private ImageManifestJson() {}

  private static final String WHERE = "image manifest";

  /** Validates and converts parsed JSON; messages start with {@code image manifest: }. */
  public static ImageManifest fromJson(Object parsed) throws AppcException {
    try {
      return read(parsed);
    } catch (AppcException e) {
      throw e.at(WHERE);
    }
  }

  private static ImageManifest read(Object parsed) throws AppcException {
    Map<String, Object> m = Fields.object(parsed, "");
    Fields.requireKind(m, ImageManifest.KIND);
    String version = Fields.parsed(m, "acVersion", "", AcVersion::check);
    AcIdentifier name = Fields.parsed(m, "name", "", AcIdentifier::parse);
    ImageManifest.Builder b = ImageManifest.builder(name).acVersion(version);
    b.labels(NamedValuesJson.labels(m, "labels", ""));
    Map<String, Object> app = Fields.optObject(m, "app", "");
    if (app != null) {
      b.app(AppJson.fromJson(app, "app"));
    }
    b.annotations(NamedValuesJson.annotations(m, "annotations", ""));
    List<Object> deps = Fields.array(m, "dependencies", "");
    for (int i = 0; i < deps.size(); i++) {
      b.addDependency(dependency(deps.get(i), Fields.index("dependencies", i)));
    }
    b.pathWhitelist(Fields.strings(m, "pathWhitelist", ""));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new AppcException(e.getMessage());
    }
  }

  private static Dependency dependency(Object parsed, String at) throws AppcException {
    Map<String, Object> o = Fields.object(parsed, at);
    AcIdentifier name = Fields.parsed(o, "imageName", at, AcIdentifier::parse);
    ImageId imageId = Fields.parsed(o, "imageID", at,
        s -> s == null || s.isEmpty() ? null : ImageId.parse(s));
    Labels labels = NamedValuesJson.labels(o, "labels", at);
    Long size = Fields.integer(o, "size", at, 0, Long.MAX_VALUE);
    return new Dependency(name, imageId, labels, size);
  }

  public static Map<String, Object> toJson(ImageManifest im) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("acKind", ImageManifest.KIND);
    m.put("acVersion", im.acVersion());
    m.put("name", im.name().value());
    Fields.putIfNotEmpty(m, "labels", NamedValuesJson.toJson(im.labels()));
    im.app().ifPresent(a -> m.put("app", AppJson.toJson(a)));
    Fields.putIfNotEmpty(m, "annotations", NamedValuesJson.toJson(im.annotations()));
    List<Object> deps = new ArrayList<>();
    for (Dependency d : im.dependencies()) {
      deps.add(dependencyToJson(d));
    }
    Fields.putIfNotEmpty(m, "dependencies", deps);
    Fields.putIfNotEmpty(m, "pathWhitelist", im.pathWhitelist());
    return m;
  }

  private static Map<String, Object> dependencyToJson(Dependency d) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("imageName", d.imageName().value());
    if (d.imageId() != null) {
      o.put("imageID", d.imageId().value());
    }
    Fields.putIfNotEmpty(o, "labels", NamedValuesJson.toJson(d.labels()));
    Fields.putIfNotNull(o, "size", d.size());
    return o;
  }
}
