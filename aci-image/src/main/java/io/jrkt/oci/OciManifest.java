package io.jrkt.oci;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An image manifest: OCI image-spec {@code application/vnd.oci.image.manifest.v1+json} or Docker
 * {@code application/vnd.docker.distribution.manifest.v2+json}, which share their shape.
 */
public record OciManifest(String mediaType, Descriptor config, List<Descriptor> layers) {
  public OciManifest {
    layers = List.copyOf(layers);
  }

  /**
   * Parses a manifest; {@code declaredType} is the media type the manifest was served or
   * referenced with (may be null or empty), checked against the document's own field.
   */
  public static OciManifest parse(byte[] bytes, String declaredType) throws OciFormatException {
    Map<String, Object> m = object(bytes, "manifest");
    String mediaType = mediaType(m, declaredType, "manifest");
    if (MediaTypes.isIndex(mediaType)) {
      throw new OciFormatException("expected an image manifest, got an index (" + mediaType + ")");
    }
    if (!MediaTypes.isManifest(mediaType)) {
      throw new OciFormatException("unknown manifest media type \"" + mediaType + "\"");
    }
    if (!(m.get("schemaVersion") instanceof Long v) || v != 2) {
      throw new OciFormatException("manifest schemaVersion must be 2");
    }
    if (m.get("config") == null) {
      throw new OciFormatException("the manifest has no config");
    }
    Descriptor config = Descriptor.fromJson(m.get("config"), "manifest config");
    if (!MediaTypes.isConfig(config.mediaType())) {
      throw new OciFormatException("unknown config media type \"" + config.mediaType() + "\"");
    }
    List<Descriptor> layers = new ArrayList<>();
    List<Object> raw;
    try {
      raw = Json.asArray(m.get("layers"), "manifest layers");
    } catch (JsonException e) {
      throw new OciFormatException(e.getMessage(), e);
    }
    for (int i = 0; i < raw.size(); i++) {
      Descriptor d = Descriptor.fromJson(raw.get(i), "manifest layer " + (i + 1));
      if (!MediaTypes.isLayer(d.mediaType())) {
        throw new OciFormatException("layer " + (i + 1) + " " + d.digest()
            + ": unknown layer media type \"" + d.mediaType() + "\"");
      }
      layers.add(d);
    }
    return new OciManifest(mediaType, config, layers);
  }

  /** Bytes of all blobs the manifest names. */
  public long contentSize() {
    long total = config.size();
    for (Descriptor d : layers) {
      total += d.size();
    }
    return total;
  }

  static Map<String, Object> object(byte[] bytes, String what) throws OciFormatException {
    try {
      return Json.asObject(Json.parse(bytes), what);
    } catch (JsonException e) {
      throw new OciFormatException(what + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The document's media type, falling back to the declared one (old OCI documents lack it). */
  static String mediaType(Map<String, Object> m, String declared, String what)
      throws OciFormatException {
    Object own = m.get("mediaType");
    if (own != null && !(own instanceof String)) {
      throw new OciFormatException(what + " mediaType must be a string");
    }
    String type = (String) own;
    boolean hasDeclared = declared != null && !declared.isEmpty();
    if (type == null || type.isEmpty()) {
      if (hasDeclared) {
        return declared;
      }
      // An OCI document may omit its own type; tell the two kinds apart by their fields.
      return m.containsKey("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }
    return type;
  }
}
