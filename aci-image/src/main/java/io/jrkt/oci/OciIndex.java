package io.jrkt.oci;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An OCI image index or a Docker manifest list: entries naming manifests, usually one per
 * platform. An OCI layout's {@code index.json} is one too, its entries tagged by ref name.
 */
public record OciIndex(String mediaType, List<Descriptor> manifests) {
  public OciIndex {
    manifests = List.copyOf(manifests);
  }

  public static OciIndex parse(byte[] bytes, String declaredType) throws OciFormatException {
    Map<String, Object> m = OciManifest.object(bytes, "index");
    String mediaType = OciManifest.mediaType(m, declaredType, "index");
    if (!MediaTypes.isIndex(mediaType)) {
      throw new OciFormatException("expected an image index, got \"" + mediaType + "\"");
    }
    List<Object> raw;
    try {
      raw = Json.asArray(m.get("manifests"), "index manifests");
    } catch (JsonException e) {
      throw new OciFormatException(e.getMessage(), e);
    }
    List<Descriptor> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      out.add(Descriptor.fromJson(raw.get(i), "index entry " + (i + 1)));
    }
    return new OciIndex(mediaType, out);
  }

  /**
   * The entry for {@code os}/{@code architecture}; entries without a platform are skipped, as
   * are attestation manifests (they carry platform unknown/unknown).
   */
  public Descriptor select(String os, String architecture) throws OciFormatException {
    List<String> seen = new ArrayList<>();
    for (Descriptor d : manifests) {
      if (d.platform() == null) {
        continue;
      }
      seen.add(d.platform().toString());
      if (os.equals(d.platform().os()) && architecture.equals(d.platform().architecture())) {
        return d;
      }
    }
    throw new OciFormatException("the image index has no manifest for " + os + "/"
        + architecture + (seen.isEmpty() ? " (no entry names a platform)"
            : " (it has: " + String.join(", ", seen) + ")"));
  }

  /**
   * The entry tagged {@code ref} ({@code org.opencontainers.image.ref.name}); with a null ref the
   * only entry, or the one tagged {@code latest}.
   */
  public Descriptor byRef(String ref, String where) throws OciFormatException {
    if (ref == null) {
      if (manifests.size() == 1) {
        return manifests.get(0);
      }
      for (Descriptor d : manifests) {
        if ("latest".equals(d.refName())) {
          return d;
        }
      }
      throw new OciFormatException(where + " holds " + manifests.size()
          + " images; name one with :REF (" + refNames() + ")");
    }
    for (Descriptor d : manifests) {
      if (ref.equals(d.refName()) || d.digest().matches(ref)) {
        return d;
      }
    }
    throw new OciFormatException(where + " has no image \"" + ref + "\" (" + refNames() + ")");
  }

  private String refNames() {
    List<String> names = new ArrayList<>();
    for (Descriptor d : manifests) {
      names.add(d.refName() == null ? d.digest().toString() : d.refName());
    }
    return names.isEmpty() ? "it is empty" : "it has: " + String.join(", ", names);
  }
}
