package io.jrkt.store;

import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Reading and writing what the store records per image: info records and manifests. */
// Locks are held for the extent of try blocks that do not mention them.
@SuppressWarnings("try")
final class ImageRecords {
  /** A manifest file's bytes and what they parse to. */
  private record Parsed(byte[] bytes, ImageManifest manifest) {}

  private final StoreLayout layout;
  private final Map<ImageId, Parsed> parsed = new ConcurrentHashMap<>();

  ImageRecords(StoreLayout layout) {
    this.layout = layout;
  }

  /** The info of a completely stored image (record readable and blob present). */
  Optional<ImageInfo> get(ImageId id) {
    Path p = layout.info(id);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StoreIoException("cannot read " + p + ": " + IoErrors.describe(e), e);
    }
    ImageInfo info;
    try {
      info = ImageInfoJson.fromJson(bytes);
    } catch (IllegalArgumentException e) {
      // A damaged record makes the image invisible; gc then removes its blob.
      return Optional.empty();
    }
    if (!info.id().equals(id) || !Files.exists(layout.blob(id))) {
      return Optional.empty();
    }
    return Optional.of(info);
  }

  /** The info of a stored image; not finding it is an error. */
  ImageInfo require(ImageId id) throws ImageNotFoundException {
    return get(id).orElseThrow(() -> notFound(id));
  }

  /** Every completely stored image, oldest import first. */
  List<ImageInfo> list() {
    List<ImageInfo> out = new ArrayList<>();
    for (ImageId id : ids()) {
      get(id).ifPresent(out::add);
    }
    out.sort(ImageRecords::byImportTime);
    return out;
  }

  /**
   * Import time, then id. Written out rather than composed with {@code Comparator.comparing}: the
   * JDK's own lambdas are not in the class-data archive and cost a pod start their generation.
   */
  private static int byImportTime(ImageInfo a, ImageInfo b) {
    int c = a.importTime().compareTo(b.importTime());
    return c != 0 ? c : a.id().value().compareTo(b.id().value());
  }

  /** Ids that have an info record (complete or not). */
  List<ImageId> ids() {
    List<ImageId> ids = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(layout.infoDir())) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (StoreLayout.isImageKey(n)) {
          ids.add(new ImageId(n));
        }
      }
    } catch (NoSuchFileException e) {
      return ids;
    } catch (IOException e) {
      throw new StoreIoException("cannot list " + layout.infoDir() + ": "
          + IoErrors.describe(e), e);
    }
    return ids;
  }

  /** The newest import named {@code name} that carries all of {@code labels}. */
  Optional<ImageInfo> newest(String name, Labels labels) {
    ImageInfo best = null;
    for (ImageId id : ids()) {
      Optional<ImageInfo> found = get(id);
      if (found.isEmpty()) {
        continue;
      }
      ImageInfo i = found.get();
      if (i.name().equals(name) && i.labels().containsAll(labels)
          && (best == null || byImportTime(i, best) > 0)) {
        best = i;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Replaces the info record, durably and atomically. */
  void write(ImageInfo info) throws IOException {
    Durability.writeAtomically(layout.info(info.id()), ImageInfoJson.toJson(info), layout.tmp());
  }

  byte[] manifestBytes(ImageId id) throws StoreException {
    try {
      return Files.readAllBytes(layout.manifest(id));
    } catch (NoSuchFileException e) {
      throw notFound(id);
    } catch (IOException e) {
      throw new StoreException("cannot read the manifest of image " + id + ": "
          + IoErrors.describe(e), e);
    }
  }

  /**
   * The parsed manifest. The file is read every time (it may have gone), but the same bytes are
   * parsed only once per store instance: a pod start asks for the same manifests several times.
   */
  ImageManifest manifest(ImageId id) throws StoreException {
    byte[] bytes = manifestBytes(id);
    Parsed p = parsed.get(id);
    if (p != null && Arrays.equals(p.bytes, bytes)) {
      return p.manifest;
    }
    ImageManifest m;
    try {
      m = ImageManifest.parse(bytes);
    } catch (AppcException e) {
      throw new StoreException("stored manifest of image " + id + " is invalid: "
          + e.getMessage(), e);
    }
    parsed.put(id, new Parsed(bytes, m));
    return m;
  }

  /** Sets the image's last-used time to now (no-op for an image that is not stored). */
  void touch(ImageId id) {
    try (KeyLock lock = KeyLock.acquire(layout.imageLock(id))) {
      Optional<ImageInfo> info = get(id);
      if (info.isPresent()) {
        write(info.get().withLastUsed(Instant.now()));
      }
    } catch (IOException e) {
      throw new StoreIoException("cannot update the last-used time of image " + id + ": "
          + IoErrors.describe(e), e);
    }
  }

  /** The stored blob: the uncompressed ACI exactly as imported. */
  InputStream openBlob(ImageId id) throws StoreException {
    try {
      return Files.newInputStream(layout.blob(id));
    } catch (NoSuchFileException e) {
      throw notFound(id);
    } catch (IOException e) {
      throw new StoreException("cannot read the blob of image " + id + ": "
          + IoErrors.describe(e), e);
    }
  }

  static ImageNotFoundException notFound(ImageId id) {
    return new ImageNotFoundException(id.value(), "image " + id + " is not in the store");
  }
}
