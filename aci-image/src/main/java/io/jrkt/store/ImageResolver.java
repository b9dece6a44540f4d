package io.jrkt.store;

import io.jrkt.appc.ImageId;
import io.jrkt.appc.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** {@link ImageStore#resolve}: finding one stored image by id, id prefix or name and labels. */
final class ImageResolver {
  private final ImageRecords records;
  private final StoreLayout layout;

  ImageResolver(ImageRecords records, StoreLayout layout) {
    this.records = records;
    this.layout = layout;
  }

  ImageInfo resolve(String ref) throws ImageNotFoundException, AmbiguousImageException {
    if (ImageId.looksLikeId(ref)) {
      return resolveId(ref);
    }
    ImageRef wanted = ImageRef.parse(ref);
    return records.newest(wanted.name(), wanted.labels()).orElseThrow(() ->
        new ImageNotFoundException(ref, "no image " + wanted.describe() + " in the store"));
  }

  private ImageInfo resolveId(String ref)
      throws ImageNotFoundException, AmbiguousImageException {
    String algoPrefix = ref.startsWith(ImageId.SHA256_PREFIX) ? ImageId.SHA256_PREFIX
        : ImageId.PREFIX;
    String hex = ref.substring(algoPrefix.length()).toLowerCase(Locale.ROOT);
    if (!hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new ImageNotFoundException(ref, "image id " + Names.quote(ref) + " is not valid: "
          + algoPrefix + " must be followed by hex digits");
    }
    if (hex.length() < 2) {
      throw new ImageNotFoundException(ref, "image id prefix " + Names.quote(ref)
          + " is too short: give at least 2 hex digits after " + algoPrefix);
    }
    if (algoPrefix.equals(ImageId.SHA256_PREFIX) && hex.length() > 64) {
      throw new ImageNotFoundException(ref, "image id " + Names.quote(ref)
          + " is not valid: sha256- is followed by at most 64 hex digits");
    }
    // The full 128-digit form: the store keys ACIs by the first half.
    String prefix = algoPrefix + hex.substring(0, Math.min(64, hex.length()));
    List<ImageInfo> matches = new ArrayList<>();
    for (ImageId id : records.ids()) {
      if (id.value().startsWith(prefix)) {
        records.get(id).ifPresent(matches::add);
      }
    }
    if (matches.isEmpty()) {
      throw new ImageNotFoundException(ref, "no image with id " + Names.quote(ref)
          + " in the store");
    }
    if (matches.size() > 1) {
      List<ImageId> ids = new ArrayList<>();
      matches.forEach(i -> ids.add(i.id()));
      ids.sort(Comparator.comparing(ImageId::value));
      throw new AmbiguousImageException(ref, ids);
    }
    ImageInfo match = matches.get(0);
    if (hex.length() > 64 && !fullDigestMatches(match.id(), ImageId.PREFIX + hex)) {
      throw new ImageNotFoundException(ref, "no image with id " + Names.quote(ref)
          + " in the store (an image shares its first half but not the rest)");
    }
    return match;
  }

  /** True when the recorded full digest equals {@code full}, or none was recorded. */
  private boolean fullDigestMatches(ImageId id, String full) {
    try {
      return Files.readString(layout.fullDigest(id)).trim().equals(full);
    } catch (NoSuchFileException e) {
      return true;
    } catch (IOException e) {
      throw new StoreIoException("cannot read " + layout.fullDigest(id) + ": "
          + IoErrors.describe(e), e);
    }
  }
}
