package io.jrkt.appc.json;

import io.jrkt.appc.AcIdentifier;
import io.jrkt.appc.AcName;
import io.jrkt.appc.AcVersion;
import io.jrkt.appc.App;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.ExposedPort;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.Mount;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.Port;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.appc.RuntimeImage;
import io.jrkt.appc.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of a pod manifest (appc 0.8.11, as rkt writes it). */
public final class PodManifestJson {
  private PodManifestJson() {}

  private static final String WHERE = "pod manifest";

  /** Validates and converts parsed JSON; messages start with {@code pod manifest: }. */
  public static PodManifest fromJson(Object parsed) throws AppcException {
    try {
      return read(parsed);
    } catch (AppcException e) {
      throw e.at(WHERE);
    }
  }

  private static PodManifest read(Object parsed) throws AppcException {
    Map<String, Object> m = Fields.object(parsed, "");
    Fields.requireKind(m, PodManifest.KIND);
    PodManifest.Builder b = PodManifest.builder();
    b.acVersion(Fields.parsed(m, "acVersion", "", AcVersion::check));
    List<Object> apps = Fields.array(m, "apps", "");
    for (int i = 0; i < apps.size(); i++) {
      b.addApp(runtimeApp(apps.get(i), Fields.index("apps", i)));
    }
    List<Object> volumes = Fields.array(m, "volumes", "");
    for (int i = 0; i < volumes.size(); i++) {
      b.addVolume(VolumeJson.fromJson(volumes.get(i), Fields.index("volumes", i)));
    }
    b.isolators(IsolatorJson.fromJson(Fields.array(m, "isolators", ""), "isolators"));
    b.annotations(NamedValuesJson.annotations(m, "annotations", ""));
    List<Object> ports = Fields.array(m, "ports", "");
    for (int i = 0; i < ports.size(); i++) {
      b.addPort(exposedPort(ports.get(i), Fields.index("ports", i)));
    }
    b.userAnnotations(Fields.stringMap(m, "userAnnotations", ""));
    b.userLabels(Fields.stringMap(m, "userLabels", ""));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new AppcException(e.getMessage());
    }
  }

  private static RuntimeApp runtimeApp(Object parsed, String at) throws AppcException {
    Map<String, Object> o = Fields.object(parsed, at);
    AcName name = AppJson.acName(o, "name", at);
    RuntimeImage image = runtimeImage(o.get("image"), Fields.child(at, "image"));
    Map<String, Object> appJson = Fields.optObject(o, "app", at);
    App app = appJson == null ? null : AppJson.fromJson(appJson, Fields.child(at, "app"));
    boolean readOnlyRootFs = Boolean.TRUE.equals(Fields.bool(o, "readOnlyRootFS", at));
    List<Mount> mounts = new ArrayList<>();
    List<Object> items = Fields.array(o, "mounts", at);
    for (int i = 0; i < items.size(); i++) {
      mounts.add(mount(items.get(i), Fields.index(Fields.child(at, "mounts"), i)));
    }
    return new RuntimeApp(name, image, app, readOnlyRootFs, mounts,
        NamedValuesJson.annotations(o, "annotations", at));
  }

  private static RuntimeImage runtimeImage(Object parsed, String at) throws AppcException {
    Map<String, Object> o = Fields.object(parsed, at);
    AcIdentifier name = Fields.parsed(o, "name", at,
        s -> s == null || s.isEmpty() ? null : AcIdentifier.parse(s));
    Fields.requiredString(o, "id", at);
    ImageId id = Fields.parsed(o, "id", at, ImageId::parse);
    return new RuntimeImage(name, id, NamedValuesJson.labels(o, "labels", at));
  }

  private static Mount mount(Object parsed, String at) throws AppcException {
    Map<String, Object> o = Fields.object(parsed, at);
    AcName volume = AppJson.acName(o, "volume", at);
    String path = Fields.requiredString(o, "path", at);
    Map<String, Object> appVolumeJson = Fields.optObject(o, "appVolume", at);
    Volume appVolume = appVolumeJson == null
        ? null : VolumeJson.fromJson(appVolumeJson, Fields.child(at, "appVolume"));
    try {
      return new Mount(volume, path, appVolume);
    } catch (IllegalArgumentException e) {
      throw Fields.error(at, e);
    }
  }

  private static ExposedPort exposedPort(Object parsed, String at) throws AppcException {
    Map<String, Object> o = Fields.object(parsed, at);
    AcName name = AppJson.acName(o, "name", at);
    Long hostPort = Fields.integer(o, "hostPort", at, 1, 65535);
    if (hostPort == null) {
      throw Fields.error(Fields.child(at, "hostPort"), "must be set");
    }
    String hostIp = Fields.string(o, "hostIP", at);
    Object podPortJson = o.get("podPort");
    Port podPort = podPortJson == null
        ? null : AppJson.portFromJson(podPortJson, Fields.child(at, "podPort"));
    try {
      return new ExposedPort(name, hostPort.intValue(), hostIp, podPort);
    } catch (IllegalArgumentException e) {
      throw Fields.error(at, e);
    }
  }

  public static Map<String, Object> toJson(PodManifest pm) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("acVersion", pm.acVersion());
    m.put("acKind", PodManifest.KIND);
    List<Object> apps = new ArrayList<>();
    for (RuntimeApp a : pm.apps()) {
      apps.add(runtimeAppToJson(a));
    }
    m.put("apps", Fields.nullIfEmpty(apps));
    List<Object> volumes = new ArrayList<>();
    for (Volume v : pm.volumes()) {
      volumes.add(VolumeJson.toJson(v));
    }
    m.put("volumes", Fields.nullIfEmpty(volumes));
    m.put("isolators", Fields.nullIfEmpty(IsolatorJson.toJson(pm.isolators())));
    m.put("annotations", Fields.nullIfEmpty(NamedValuesJson.toJson(pm.annotations())));
    List<Object> ports = new ArrayList<>();
    for (ExposedPort p : pm.ports()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", p.name().value());
      o.put("hostPort", (long) p.hostPort());
      Fields.putIfNotNull(o, "hostIP", p.hostIP());
      if (p.podPort() != null) {
        o.put("podPort", AppJson.portToJson(p.podPort()));
      }
      ports.add(o);
    }
    m.put("ports", Fields.nullIfEmpty(ports));
    Fields.putIfNotEmpty(m, "userAnnotations", pm.userAnnotations());
    Fields.putIfNotEmpty(m, "userLabels", pm.userLabels());
    return m;
  }

  private static Map<String, Object> runtimeAppToJson(RuntimeApp a) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", a.name().value());
    Map<String, Object> image = new LinkedHashMap<>();
    if (a.image().name() != null) {
      image.put("name", a.image().name().value());
    }
    image.put("id", a.image().id().value());
    Fields.putIfNotEmpty(image, "labels", NamedValuesJson.toJson(a.image().labels()));
    o.put("image", image);
    if (a.app() != null) {
      o.put("app", AppJson.toJson(a.app()));
    }
    if (a.readOnlyRootFS()) {
      o.put("readOnlyRootFS", true);
    }
    List<Object> mounts = new ArrayList<>();
    for (Mount mt : a.mounts()) {
      Map<String, Object> mo = new LinkedHashMap<>();
      mo.put("volume", mt.volume().value());
      mo.put("path", mt.path());
      if (mt.appVolume() != null) {
        mo.put("appVolume", VolumeJson.toJson(mt.appVolume()));
      }
      mounts.add(mo);
    }
    Fields.putIfNotEmpty(o, "mounts", mounts);
    Fields.putIfNotEmpty(o, "annotations", NamedValuesJson.toJson(a.annotations()));
    return o;
  }
}
