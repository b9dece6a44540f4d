package io.jrkt.store;

import io.jrkt.appc.ImageId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shared content blobs of OCI images ({@code cas/blob/sha256/}): config and layer blobs
 * stored once whatever number of images name them, and the OCI manifests themselves. A blob goes
 * when no stored image names it any more. Callers hold {@link StoreLayout#contentBlobLock()}.
 */
final class ContentBlobs {
  private final StoreLayout layout;
  private final ImageRecords records;

  ContentBlobs(StoreLayout layout, ImageRecords records) {
    this.layout = layout;
    this.records = records;
  }

  /** Keys named by stored OCI images (their manifests, configs and layers). */
  Set<String> referenced() throws IOException {
    Set<String> keys = new HashSet<>();
    for (ImageId id : records.ids()) {
      if (!id.isOci() || !Files.exists(layout.info(id))) {
        continue;
      }
      keys.add(id.value());
      try {
        keys.addAll(OciLayers.contentKeys(OciLayers.manifest(layout, id)));
      } catch (ImageNotFoundException e) {
        // Removed meanwhile: its blobs are not needed.
      } catch (StoreException e) {
        // A damaged manifest: keep everything rather than guess.
        throw new IOException(e.getMessage(), e);
      }
    }
    return keys;
  }

  /**
   * Removes the blobs among {@code candidates} (all sha256 blobs when null) that no stored image
   * names; returns the removed keys.
   */
  List<String> removeUnreferenced(Set<String> candidates) throws IOException {
    Set<String> keep = referenced();
    List<String> removed = new ArrayList<>();
    for (String key : candidates != null ? candidates : all()) {
      if (!keep.contains(key) && Files.deleteIfExists(layout.contentBlob(key))) {
        removed.add(key);
      }
    }
    return removed;
  }

  private List<String> all() throws IOException {
    List<String> keys = new ArrayList<>();
    try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(layout.blobRoot("sha256"))) {
      for (Path prefix : prefixes) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(prefix)) {
          for (Path f : files) {
            String key = f.getFileName().toString();
            if (StoreLayout.isImageKey(key) && key.startsWith(ImageId.SHA256_PREFIX)) {
              keys.add(key);
            }
          }
        }
      }
    } catch (NoSuchFileException e) {
      return keys;
    }
    return keys;
  }
}
