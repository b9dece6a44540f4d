package io.jrkt.stage1;

import io.jrkt.aci.ImageException;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageId;
import io.jrkt.appc.ImageManifest;
import io.jrkt.store.AmbiguousImageException;
import io.jrkt.store.ImageInfo;
import io.jrkt.store.ImageNotFoundException;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreException;
import io.jrkt.store.StoreIoException;
import java.nio.file.Path;
import java.util.Optional;

/** The image store as a {@link Stage1Catalog}. */
public final class StoreCatalog implements Stage1Catalog {
  private final ImageStore store;

  public StoreCatalog(ImageStore store) {
    this.store = store;
  }

  @Override
  public Optional<Stage1Image> byId(String idOrPrefix) throws Stage1Exception {
    if (idOrPrefix.length() == ImageId.PREFIX.length() + 64) {
      // A whole id (the import cache's): one record to read, no listing of the store.
      try {
        ImageId id = ImageId.parse(idOrPrefix);
        Optional<ImageInfo> info = store.get(id);
        if (info.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(new Stage1Image(id, store.manifest(id)));
      } catch (AppcException e) {
        return find(idOrPrefix);
      } catch (StoreException | StoreIoException e) {
        throw new Stage1Exception("cannot read stage1 image " + idOrPrefix + ": "
            + e.getMessage(), e);
      }
    }
    return find(idOrPrefix);
  }

  @Override
  public Optional<Stage1Image> byName(String name, Optional<String> version)
      throws Stage1Exception {
    return find(version.isPresent() ? name + ":" + version.get() : name);
  }

  private Optional<Stage1Image> find(String ref) throws Stage1Exception {
    try {
      ImageInfo info = store.resolve(ref);
      return Optional.of(new Stage1Image(info.id(), store.manifest(info.id())));
    } catch (ImageNotFoundException e) {
      return Optional.empty();
    } catch (AmbiguousImageException e) {
      throw new Stage1Exception("stage1 " + e.getMessage(), e);
    } catch (StoreException | StoreIoException e) {
      throw new Stage1Exception("cannot look up stage1 image \"" + ref + "\": "
          + e.getMessage(), e);
    }
  }

  @Override
  public Stage1Image importFile(Path aci) throws Stage1Exception {
    try {
      ImageInfo info = store.importAci(aci);
      ImageManifest m = store.manifest(info.id());
      return new Stage1Image(info.id(), m);
    } catch (StoreException | ImageException | StoreIoException e) {
      throw new Stage1Exception("cannot import stage1 image " + aci + ": " + e.getMessage(), e);
    }
  }
}
