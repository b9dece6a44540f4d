package io.jrkt.appc.json;

import io.jrkt.appc.AcName;
import io.jrkt.appc.App;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.EnvVar;
import io.jrkt.appc.EventHandler;
import io.jrkt.appc.MountPoint;
import io.jrkt.appc.Port;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code app} section of image manifests and pod apps. */
public final class AppJson {
  private AppJson() {}

  public static App fromJson(Object parsed) throws AppcException {
    return fromJson(parsed, "app");
  }

  /** Reads an app; messages are located under {@code path} (e.g. {@code apps[0].app}). */
  public static App fromJson(Object parsed, String path) throws AppcException {
    Map<String, Object> m = Fields.object(parsed, path);
    App.Builder b = App.builder();

    // exec[0] and workingDirectory must be absolute: App checks that, see build() below.
    b.exec(Fields.strings(m, "exec", path));
    b.user(Fields.requiredString(m, "user", path));
    b.group(Fields.requiredString(m, "group", path));

    List<Object> gids = Fields.array(m, "supplementaryGIDs", path);
    List<Integer> supplementary = new ArrayList<>(gids.size());
    for (int i = 0; i < gids.size(); i++) {
      String at = Fields.index(Fields.child(path, "supplementaryGIDs"), i);
      Long gid = Fields.integer(gids.get(i), at, 0, Integer.MAX_VALUE);
      if (gid == null) {
        throw Fields.error(at, "must be a whole number, got null");
      }
      supplementary.add(gid.intValue());
    }
    b.supplementaryGids(supplementary);

    b.workingDirectory(Fields.string(m, "workingDirectory", path));

    b.environment(environment(m, path));
    b.isolators(IsolatorJson.fromJson(Fields.array(m, "isolators", path),
        Fields.child(path, "isolators")));
    b.mountPoints(mountPoints(m, path));
    b.ports(ports(m, path));
    b.eventHandlers(eventHandlers(m, path));
    b.userAnnotations(Fields.stringMap(m, "userAnnotations", path));
    b.userLabels(Fields.stringMap(m, "userLabels", path));
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // Rules App itself enforces; its messages start with the field name.
      throw new AppcException(path + "." + e.getMessage());
    }
  }

  private static List<EnvVar> environment(Map<String, Object> m, String path)
      throws AppcException {
    String where = Fields.child(path, "environment");
    List<Object> items = Fields.array(m, "environment", path);
    List<EnvVar> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String at = Fields.index(where, i);
      Map<String, Object> o = Fields.object(items.get(i), at);
      String value = Fields.string(o, "value", at);
      try {
        out.add(new EnvVar(Fields.string(o, "name", at), value == null ? "" : value));
      } catch (IllegalArgumentException e) {
        throw Fields.error(at, e);
      }
    }
    String problem = EnvVar.listProblem(out);
    if (problem != null) {
      throw new AppcException(where + problem);
    }
    return out;
  }

  private static List<MountPoint> mountPoints(Map<String, Object> m, String path)
      throws AppcException {
    String where = Fields.child(path, "mountPoints");
    List<Object> items = Fields.array(m, "mountPoints", path);
    List<MountPoint> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String at = Fields.index(where, i);
      Map<String, Object> o = Fields.object(items.get(i), at);
      AcName name = acName(o, "name", at);
      String mpPath = Fields.requiredString(o, "path", at);
      out.add(new MountPoint(name, mpPath, Boolean.TRUE.equals(Fields.bool(o, "readOnly", at))));
    }
    return out;
  }

  private static List<Port> ports(Map<String, Object> m, String path) throws AppcException {
    String where = Fields.child(path, "ports");
    List<Object> items = Fields.array(m, "ports", path);
    List<Port> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String at = Fields.index(where, i);
      out.add(portFromJson(items.get(i), at));
    }
    return out;
  }

  private static List<EventHandler> eventHandlers(Map<String, Object> m, String path)
      throws AppcException {
    String where = Fields.child(path, "eventHandlers");
    List<Object> items = Fields.array(m, "eventHandlers", path);
    List<EventHandler> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String at = Fields.index(where, i);
      Map<String, Object> o = Fields.object(items.get(i), at);
      String name = Fields.string(o, "name", at);
      List<String> exec = Fields.strings(o, "exec", at);
      try {
        out.add(new EventHandler(name, exec));
      } catch (IllegalArgumentException e) {
        throw Fields.error(at, e);
      }
    }
    return out;
  }

  /** A required AC Name member. */
  static AcName acName(Map<String, Object> o, String key, String path) throws AppcException {
    return Fields.parsed(o, key, path, AcName::parse);
  }

  public static Map<String, Object> toJson(App app) {
    Map<String, Object> m = new LinkedHashMap<>();
    // Key order and omissions as appc's Go struct writes them.
    m.put("exec", Fields.nullIfEmpty(app.exec()));
    List<Object> handlers = new ArrayList<>();
    for (EventHandler h : app.eventHandlers()) {
      Map<String, Object> hm = new LinkedHashMap<>();
      hm.put("name", h.name());
      hm.put("exec", h.exec());
      handlers.add(hm);
    }
    Fields.putIfNotEmpty(m, "eventHandlers", handlers);
    m.put("user", app.user());
    m.put("group", app.group());
    Fields.putIfNotEmpty(m, "supplementaryGIDs", app.supplementaryGids());
    Fields.putIfNotNull(m, "workingDirectory", app.workingDirectory());
    List<Object> env = new ArrayList<>();
    for (EnvVar e : app.environment()) {
      env.add(NamedValuesJson.pair(e.name(), e.value()));
    }
    Fields.putIfNotEmpty(m, "environment", env);
    List<Object> mps = new ArrayList<>();
    for (MountPoint mp : app.mountPoints()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("name", mp.name().value());
      o.put("path", mp.path());
      if (mp.readOnly()) {
        o.put("readOnly", true);
      }
      mps.add(o);
    }
    Fields.putIfNotEmpty(m, "mountPoints", mps);
    List<Object> ports = new ArrayList<>();
    for (Port p : app.ports()) {
      ports.add(portToJson(p));
    }
    Fields.putIfNotEmpty(m, "ports", ports);
    Fields.putIfNotEmpty(m, "isolators", IsolatorJson.toJson(app.isolators()));
    Fields.putIfNotEmpty(m, "userAnnotations", app.userAnnotations());
    Fields.putIfNotEmpty(m, "userLabels", app.userLabels());
    return m;
  }

  static Map<String, Object> portToJson(Port p) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("name", p.name().value());
    o.put("protocol", p.protocol());
    o.put("port", (long) p.port());
    o.put("count", (long) p.count());
    o.put("socketActivated", p.socketActivated());
    return o;
  }

  /** Reads a port object (also used for an exposed port's {@code podPort}). */
  static Port portFromJson(Object parsed, String at) throws AppcException {
    Map<String, Object> o = Fields.object(parsed, at);
    AcName name = acName(o, "name", at);
    String protocol = Fields.requiredString(o, "protocol", at);
    Long port = Fields.integer(o, "port", at, 1, 65535);
    if (port == null) {
      throw Fields.error(Fields.child(at, "port"), "must be set");
    }
    Long count = Fields.integer(o, "count", at, 0, 65535);
    boolean socketActivated = Boolean.TRUE.equals(Fields.bool(o, "socketActivated", at));
    try {
      return new Port(name, protocol, port.intValue(), count == null ? 0 : count.intValue(),
          socketActivated);
    } catch (IllegalArgumentException e) {
      throw Fields.error(at, e);
    }
  }
}
