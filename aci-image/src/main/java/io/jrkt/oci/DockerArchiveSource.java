package io.jrkt.oci;

import io.jrkt.aci.ImageException;
import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code docker save} archive: {@code manifest.json} lists, per image, its config file, repo
 * tags and layer tars. Such an archive has no registry manifest, so one is made (Docker schema 2,
 * from the digests of the config and layer files as unpacked); its digest is the image id, the
 * same for the same archive content.
 */
public final class DockerArchiveSource extends UnpackedArchiveSource {
  private final Map<String, ArchiveUnpacker.Entry> byDigest = new LinkedHashMap<>();

  /** @param ref a repo tag ({@code name:tag}) to pick; null for the first image */
  public DockerArchiveSource(String argument, Path archive, String ref) {
    super(argument, archive, ref);
  }

  @Override
  public FetchedManifest manifest() throws ImageException, IOException {
    ArchiveUnpacker.Entry list = files.get("manifest.json");
    if (list == null || list.size() > MAX_JSON) {
      throw new OciImageException(argument, "not a docker archive: manifest.json is missing");
    }
    try {
      List<Object> images = Json.asArray(Json.parse(Files.readAllBytes(list.file())),
          "manifest.json");
      Map<String, Object> chosen = null;
      String chosenTag = null;
      for (Object o : images) {
        Map<String, Object> img = Json.asObject(o, "manifest.json entry");
        List<Object> tags = Json.asArray(img.get("RepoTags"), "RepoTags");
        String first = tags.isEmpty() ? null : Json.asString(tags.get(0), "RepoTags entry");
        if (ref == null) {
          chosen = img;
          chosenTag = first;
          break;
        }
        for (Object t : tags) {
          if (ref.equals(t)) {
            chosen = img;
            chosenTag = (String) t;
          }
        }
        if (chosen != null) {
          break;
        }
      }
      if (chosen == null) {
        throw new OciImageException(argument, ref == null ? "manifest.json lists no image"
            : "the archive has no image tagged \"" + ref + "\"");
      }
      naming = naming(chosenTag);
      return synthesize(chosen);
    } catch (JsonException e) {
      throw new OciImageException(argument, "manifest.json: " + e.getMessage(), e);
    }
  }

  private ImageNaming naming(String repoTag) {
    if (repoTag == null) {
      return new ImageNaming(null, LayoutSource.localName(archive), null, argument);
    }
    int colon = repoTag.lastIndexOf(':');
    if (colon > repoTag.lastIndexOf('/')) {
      return new ImageNaming(null, repoTag.substring(0, colon), repoTag.substring(colon + 1),
          argument);
    }
    return new ImageNaming(null, repoTag, null, argument);
  }

  private FetchedManifest synthesize(Map<String, Object> img)
      throws JsonException, ImageException {
    String configName = Json.asString(img.get("Config"), "Config");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 2L);
    m.put("mediaType", MediaTypes.DOCKER_MANIFEST);
    m.put("config", descriptor(MediaTypes.DOCKER_CONFIG, configName));
    List<Object> layers = new ArrayList<>();
    for (Object l : Json.asArray(img.get("Layers"), "Layers")) {
      layers.add(descriptor(MediaTypes.DOCKER_LAYER, Json.asString(l, "Layers entry")));
    }
    m.put("layers", layers);
    byte[] bytes = Json.writePretty(m).getBytes(StandardCharsets.UTF_8);
    try {
      return new FetchedManifest(bytes, Digest.ofBytes(bytes), OciManifest.parse(bytes, null));
    } catch (OciFormatException e) {
      throw new OciImageException(argument, e.getMessage(), e);
    }
  }

  private Map<String, Object> descriptor(String mediaType, String name)
      throws OciImageException {
    ArchiveUnpacker.Entry e = files.get(name);
    if (e == null) {
      throw new OciImageException(argument, "manifest.json names \"" + name
          + "\", which the archive does not hold");
    }
    byDigest.put(e.digest().key(), e);
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mediaType", mediaType);
    d.put("size", e.size());
    d.put("digest", e.digest().toString());
    return d;
  }

  @Override
  public byte[] smallBlob(Descriptor d, int maxBytes) throws ImageException, IOException {
    return UnpackedBlobs.read(argument, byDigest.get(d.digest().key()), d, maxBytes);
  }

  @Override
  public void fetchBlob(Descriptor d, Path dest, FetchProgress progress)
      throws ImageException, IOException {
    UnpackedBlobs.link(argument, byDigest.get(d.digest().key()), d, dest, progress);
  }
}
