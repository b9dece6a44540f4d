package io.jrkt.appc.json;

import io.jrkt.appc.AcIdentifier;
import io.jrkt.appc.Annotation;
import io.jrkt.appc.Annotations;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.Label;
import io.jrkt.appc.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Labels and annotations: both {@code [{"name": ..., "value": ...}]}. */
public final class NamedValuesJson {
  private NamedValuesJson() {}

  /** Reads {@code m[key]} as labels; messages are located under {@code path}. */
  public static Labels labels(Map<String, Object> m, String key, String path)
      throws AppcException {
    String where = Fields.child(path, key);
    List<Label> out = new ArrayList<>();
    List<Object> items = Fields.array(m, key, path);
    for (int i = 0; i < items.size(); i++) {
      String at = Fields.index(where, i);
      Map<String, Object> o = Fields.object(items.get(i), at);
      String name = name(o, at);
      String value = value(o, at);
      out.add(new Label(name, value));
    }
    String problem = Labels.problem(out);
    if (problem != null) {
      throw Fields.error(where, problem);
    }
    return Labels.of(out);
  }

  /** Reads {@code m[key]} as annotations; messages are located under {@code path}. */
  public static Annotations annotations(Map<String, Object> m, String key, String path)
      throws AppcException {
    String where = Fields.child(path, key);
    List<Annotation> out = new ArrayList<>();
    List<Object> items = Fields.array(m, key, path);
    for (int i = 0; i < items.size(); i++) {
      String at = Fields.index(where, i);
      Map<String, Object> o = Fields.object(items.get(i), at);
      out.add(new Annotation(name(o, at), value(o, at)));
    }
    String problem = Annotations.problem(out);
    if (problem != null) {
      throw Fields.error(where, problem);
    }
    return Annotations.of(out);
  }

  private static String name(Map<String, Object> o, String at) throws AppcException {
    return Fields.parsed(o, "name", at, AcIdentifier::parse).value();
  }

  private static String value(Map<String, Object> o, String at) throws AppcException {
    String v = Fields.string(o, "value", at);
    return v == null ? "" : v;
  }

  public static List<Object> toJson(Labels labels) {
    List<Object> out = new ArrayList<>(labels.size());
    for (Label l : labels.asList()) {
      out.add(pair(l.name(), l.value()));
    }
    return out;
  }

  public static List<Object> toJson(Annotations annotations) {
    List<Object> out = new ArrayList<>(annotations.size());
    for (Annotation a : annotations.asList()) {
      out.add(pair(a.name(), a.value()));
    }
    return out;
  }

  static Map<String, Object> pair(String name, String value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("value", value);
    return m;
  }
}
