package io.jrkt.store;

import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.Labels;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reading and writing what the store records per image: info records and manifests. */
final class ImageRecords {
  private final StoreLayout layout;

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

  /** Every completely stored image, oldest import first. */
  List<ImageInfo> list() {
    List<ImageInfo> out = new ArrayList<>();
    for (ImageId id : ids()) {
      get(id).ifPresent(out::add);
    }
    out.sort(Comparator.comparing(ImageInfo::importTime).thenComparing(i -> i.id().value()));
    return out;
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
    for (ImageInfo i : list()) {
      if (i.name().equals(name) && i.labels().containsAll(labels)
          && (best == null || !i.importTime().isBefore(best.importTime()))) {
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

  ImageManifest manifest(ImageId id) throws StoreException {
    byte[] bytes = manifestBytes(id);
    try {
      return ImageManifest.parse(bytes);
    } catch (AppcException e) {
      throw new StoreException("stored manifest of image " + id + " is invalid: "
          + e.getMessage(), e);
    }
  }

  static ImageNotFoundException notFound(ImageId id) {
    return new ImageNotFoundException(id.value(), "image " + id + " is not in the store");
  }
}
