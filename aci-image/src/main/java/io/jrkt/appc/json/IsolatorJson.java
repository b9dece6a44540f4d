package io.jrkt.appc.json;

import io.jrkt.appc.AcIdentifier;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.Isolator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Isolators: {@code [{"name": ..., "value": <any JSON>}]}. */
public final class IsolatorJson {
  private IsolatorJson() {}

  /**
   * Reads an isolator list at {@code path}; a bad value is reported as
   * {@code path[i] (name): problem}.
   */
  public static List<Isolator> fromJson(List<Object> items, String path) throws AppcException {
    List<Isolator> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String at = Fields.index(path, i);
      Map<String, Object> o = Fields.object(items.get(i), at);
      String name = Fields.parsed(o, "name", at, AcIdentifier::parse).value();
      try {
        out.add(Isolator.parse(name, o.get("value")));
      } catch (AppcException e) {
        throw e.at(at + " (" + name + ")");
      }
    }
    String problem = Isolator.listProblem(out);
    if (problem != null) {
      throw new AppcException(path + problem);
    }
    return out;
  }

  public static Map<String, Object> toJson(Isolator isolator) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", isolator.name());
    m.put("value", isolator.value());
    return m;
  }

  public static List<Object> toJson(List<Isolator> isolators) {
    List<Object> out = new ArrayList<>(isolators.size());
    for (Isolator i : isolators) {
      out.add(toJson(i));
    }
    return out;
  }
}
