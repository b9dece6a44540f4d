package io.jrkt.api;

import com.google.protobuf.ByteString;
import io.jrkt.api.v1alpha.Image;
import io.jrkt.api.v1alpha.ImageFormat;
import io.jrkt.api.v1alpha.ImageType;
import io.jrkt.appc.Annotation;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.Label;
import io.jrkt.store.ImageInfo;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stored images as API messages, in import order. Images are content-addressed, so a built
 * message (with manifest) is reused as long as the image is listed with the same sizes.
 */
final class ImageCatalog {
  private record Cached(long size, Image image) {}

  /** The last listing and the mtime of the info record directory it was made at. */
  private record Listing(long stamp, List<Image> images) {}

  private final Path dataDir;
  private final Map<ImageId, Cached> cache = new ConcurrentHashMap<>();
  private volatile ImageStore store;
  private volatile Listing last;

  ImageCatalog(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * Every stored image, oldest import first (with manifests). Records are added, replaced and
   * removed by renames in {@code cas/imageinfo/}, each of which changes the directory's mtime;
   * while it stays the same, so does the listing.
   */
  List<Image> list() throws StoreException {
    Optional<ImageStore> s = store();
    if (s.isEmpty()) {
      return List.of();
    }
    long stamp = infoDirStamp();
    Listing l = last;
    if (l != null && stamp != Long.MIN_VALUE && l.stamp == stamp) {
      return l.images;
    }
    List<Image> out = new ArrayList<>();
    Set<ImageId> seen = new HashSet<>();
    for (ImageInfo info : s.get().list()) {
      seen.add(info.id());
      view(s.get(), info).ifPresent(out::add);
    }
    cache.keySet().retainAll(seen);
    last = new Listing(stamp, List.copyOf(out));
    return out;
  }

  /** The info record directory's mtime in nanoseconds; MIN_VALUE when unknown. */
  private long infoDirStamp() {
    try {
      java.nio.file.attribute.FileTime t = Files.getLastModifiedTime(dataDir.resolve("cas")
          .resolve("imageinfo"));
      java.time.Instant i = t.toInstant();
      return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    } catch (java.io.IOException e) {
      return Long.MIN_VALUE;
    }
  }

  /** One image by id; empty when it is not stored. Served from the (cached) listing. */
  Optional<Image> get(ImageId id) throws StoreException {
    for (Image i : list()) {
      if (i.getId().equals(id.value())) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private Optional<Image> view(ImageStore s, ImageInfo info) {
    long size = info.size() + info.treeStoreSize();
    Cached c = cache.get(info.id());
    if (c != null && c.size == size) {
      return Optional.of(c.image);
    }
    byte[] bytes;
    ImageManifest m;
    try {
      bytes = s.manifestBytes(info.id());
      m = ImageManifest.parse(bytes);
    } catch (StoreException | AppcException e) {
      // Removed meanwhile, or a damaged record: not listed, as the store's own list would not.
      return Optional.empty();
    }
    Image.Builder b = Image.newBuilder()
        .setBaseFormat(ImageFormat.newBuilder().setType(ImageType.IMAGE_TYPE_APPC)
            .setVersion(m.acVersion() == null || m.acVersion().isEmpty()
                ? PodViews.APPC_VERSION : m.acVersion()))
        .setId(info.id().value()).setName(info.name())
        .setVersion(info.labels().get("version").orElse("latest"))
        .setImportTimestamp(info.importTime().getEpochSecond())
        .setManifest(ByteString.copyFrom(bytes)).setSize(size);
    for (Annotation a : m.annotations().asList()) {
      b.addAnnotations(PodViews.kv(a.name(), a.value()));
    }
    for (Label l : info.labels().asList()) {
      b.addLabels(PodViews.kv(l.name(), l.value()));
    }
    Image image = b.build();
    cache.put(info.id(), new Cached(size, image));
    return Optional.of(image);
  }

  /** The store, once {@code cas/} exists; never created here (the service only reads). */
  private Optional<ImageStore> store() throws StoreException {
    ImageStore s = store;
    if (s == null) {
      if (!Files.isDirectory(dataDir.resolve("cas"))) {
        return Optional.empty();
      }
      s = ImageStore.open(dataDir);
      store = s;
    }
    return Optional.of(s);
  }
}
