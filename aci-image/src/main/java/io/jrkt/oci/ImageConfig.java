package io.jrkt.oci;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The parts of an image config (OCI {@code application/vnd.oci.image.config.v1+json}, Docker
 * {@code application/vnd.docker.container.image.v1+json}) that make the app.
 *
 * @param entrypoint null when not set (distinct from empty, as docker2aci kept it)
 * @param cmd null when not set
 */
public record ImageConfig(String os, String architecture, String variant, List<String> entrypoint,
    List<String> cmd, List<String> env, String workingDir, String user,
    List<String> exposedPorts, List<String> volumes, Map<String, String> labels,
    String created, String author) {

  public static ImageConfig parse(byte[] bytes) throws OciFormatException {
    Map<String, Object> m = OciManifest.object(bytes, "image config");
    try {
      Map<String, Object> c = m.get("config") == null ? Map.of()
          : Json.asObject(m.get("config"), "image config.config");
      return new ImageConfig(string(m, "os"), string(m, "architecture"), string(m, "variant"),
          strings(c, "Entrypoint"), strings(c, "Cmd"), orEmpty(strings(c, "Env")),
          string(c, "WorkingDir"), string(c, "User"), keys(c, "ExposedPorts"),
          keys(c, "Volumes"), labels(c), string(m, "created"), string(m, "author"));
    } catch (JsonException e) {
      throw new OciFormatException("image config: " + e.getMessage(), e);
    }
  }

  private static String string(Map<String, Object> m, String key) throws JsonException {
    Object v = m.get(key);
    return v == null ? null : Json.asString(v, key);
  }

  private static List<String> strings(Map<String, Object> m, String key) throws JsonException {
    Object v = m.get(key);
    if (v == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object o : Json.asArray(v, key)) {
      out.add(Json.asString(o, key + " element"));
    }
    return List.copyOf(out);
  }

  private static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }

  /** The keys of an object-valued set ({@code {"80/tcp": {}}}), sorted. */
  private static List<String> keys(Map<String, Object> m, String key) throws JsonException {
    Object v = m.get(key);
    if (v == null) {
      return List.of();
    }
    return List.copyOf(new TreeSet<>(Json.asObject(v, key).keySet()));
  }

  private static Map<String, String> labels(Map<String, Object> c) throws JsonException {
    Object v = c.get("Labels");
    if (v == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : Json.asObject(v, "Labels").entrySet()) {
      out.put(e.getKey(), Json.asString(e.getValue(), "label " + e.getKey()));
    }
    return out;
  }
}
