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
import java.util.HashMap;
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

  /** The last listing, by id too, and the info record directory's marker it was read after. */
  private record Listing(DirStamp stamp, List<Image> images, Map<String, Image> byId) {}

  private static final Listing EMPTY = new Listing(null, List.of(), Map.of());

  private final Path dataDir;
  private final Map<ImageId, Cached> cache = new ConcurrentHashMap<>();
  private volatile ImageStore store;
  private volatile Listing last;

  ImageCatalog(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * Every stored image, oldest import first (with manifests). Records are added, replaced and
   * removed by renames in {@code cas/imageinfo/}, each of which changes the directory's marker
   * ({@link DirStamp}); while it stays the same, so does the listing.
   */
  List<Image> list() throws StoreException {
    return listing().images;
  }

  private Listing listing() throws StoreException {
    Optional<ImageStore> s = store();
    if (s.isEmpty()) {
      return EMPTY;
    }
    Optional<DirStamp> stamp = DirStamp.of(dataDir.resolve("cas").resolve("imageinfo"));
    Listing l = last;
    if (l != null && stamp.isPresent() && stamp.get().settled() && l.stamp.equals(stamp.get())) {
      return l;
    }
    List<Image> out = new ArrayList<>();
    Set<ImageId> seen = new HashSet<>();
    for (ImageInfo info : s.get().list()) {
      seen.add(info.id());
      view(s.get(), info).ifPresent(out::add);
    }
    cache.keySet().retainAll(seen);
    Map<String, Image> byId = new HashMap<>();
    for (Image i : out) {
      byId.put(i.getId(), i);
    }
    l = new Listing(stamp.orElse(null), List.copyOf(out), Map.copyOf(byId));
    last = stamp.isPresent() && stamp.get().settled() ? l : null;
    return l;
  }

  /** One image by id; empty when it is not stored. Served from the (cached) listing. */
  Optional<Image> get(ImageId id) throws StoreException {
    return Optional.ofNullable(listing().byId.get(id.value()));
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
