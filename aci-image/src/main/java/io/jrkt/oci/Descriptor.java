package io.jrkt.oci;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.util.Map;
import java.util.Objects;

/**
 * A content descriptor: what a manifest or index says about a blob it names.
 *
 * @param platform for entries of an index; null elsewhere or when not given
 * @param refName the {@code org.opencontainers.image.ref.name} annotation, or null
 */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform,
    String refName) {
  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("negative size");
    }
  }

  /** An index entry's {@code platform}. */
  public record Platform(String os, String architecture, String variant) {
    @Override
    public String toString() {
      return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
  }

  static Descriptor fromJson(Object v, String what) throws OciFormatException {
    try {
      Map<String, Object> m = Json.asObject(v, what);
      String mediaType = m.get("mediaType") == null ? ""
          : Json.asString(m.get("mediaType"), what + ".mediaType");
      Digest digest;
      try {
        digest = Digest.parse(Json.asString(m.get("digest"), what + ".digest"));
      } catch (OciFormatException e) {
        throw new OciFormatException(what + ": " + e.getMessage(), e);
      }
      Object sizeValue = m.get("size");
      if (!(sizeValue instanceof Number) || ((Number) sizeValue).longValue() < 0) {
        throw new OciFormatException(what + ": size must be a non-negative number");
      }
      Platform platform = null;
      if (m.get("platform") != null) {
        Map<String, Object> p = Json.asObject(m.get("platform"), what + ".platform");
        platform = new Platform(optString(p, "os"), optString(p, "architecture"),
            optString(p, "variant"));
      }
      String refName = null;
      if (m.get("annotations") instanceof Map<?, ?> a && a.get(REF_NAME) instanceof String r) {
        refName = r;
      }
      return new Descriptor(mediaType, digest, ((Number) sizeValue).longValue(), platform,
          refName);
    } catch (JsonException e) {
      throw new OciFormatException(e.getMessage(), e);
    }
  }

  private static String optString(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v instanceof String s ? s : null;
  }

  /** Short form for messages: media type and digest. */
  public String describe() {
    return digest + (mediaType.isEmpty() ? "" : " (" + mediaType + ")");
  }
}
