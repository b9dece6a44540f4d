package io.jrkt.store;

import io.jrkt.appc.ImageId;
import io.jrkt.appc.Label;
import io.jrkt.appc.Labels;
import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of an info record, {@code cas/imageinfo/<id>}. It takes the place of rkt's
 * {@code aciinfo} table: one small file per image, written atomically after the blob, manifest
 * and tree are in place.
 */
final class ImageInfoJson {
  private ImageInfoJson() {}

  static byte[] toJson(ImageInfo i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id().value());
    m.put("name", i.name());
    List<Object> labels = new ArrayList<>();
    for (Label l : i.labels().asList()) {
      Map<String, Object> lm = new LinkedHashMap<>();
      lm.put("name", l.name());
      lm.put("value", l.value());
      labels.add(lm);
    }
    m.put("labels", labels);
    m.put("importTime", InstantText.format(i.importTime()));
    m.put("lastUsed", InstantText.format(i.lastUsed()));
    m.put("size", i.size());
    m.put("treeStoreSize", i.treeStoreSize());
    return (Json.writePretty(m) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** @throws IllegalArgumentException when the record is not a valid info record */
  static ImageInfo fromJson(byte[] json) {
    try {
      Map<String, Object> m = Json.asObject(Json.parse(json), "image info");
      ImageId id = new ImageId(Json.asString(m.get("id"), "id"));
      String name = Json.asString(m.get("name"), "name");
      List<Label> labels = new ArrayList<>();
      Object ls = m.get("labels");
      if (ls != null) {
        for (Object o : Json.asArray(ls, "labels")) {
          Map<String, Object> lm = Json.asObject(o, "label");
          labels.add(new Label(Json.asString(lm.get("name"), "label name"),
              Json.asString(lm.get("value"), "label value")));
        }
      }
      return new ImageInfo(id, name, Labels.of(labels),
          InstantText.parse(Json.asString(m.get("importTime"), "importTime")),
          InstantText.parse(Json.asString(m.get("lastUsed"), "lastUsed")),
          number(m.get("size"), "size"), number(m.get("treeStoreSize"), "treeStoreSize"));
    } catch (JsonException | DateTimeParseException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static long number(Object o, String what) {
    if (o instanceof Long) {
      return (Long) o;
    }
    throw new IllegalArgumentException(what + " must be an integer");
  }
}
