package io.jrkt.store;

import io.jrkt.appc.ImageId;
import java.util.List;

/**
 * What an image gc did.
 *
 * @param removedImages images removed for being unused longer than the grace period
 * @param removedTrees tree store ids removed (unreferenced or never completed)
 * @param removedLeftovers paths relative to {@code cas/} of abandoned temporary entries and of
 *     blobs or manifests left without an info record by an interrupted import
 * @param errors one line per thing that could not be removed; gc carries on past them
 */
public record ImageGcResult(List<ImageId> removedImages, List<String> removedTrees,
    List<String> removedLeftovers, List<String> errors) {

  public ImageGcResult {
    removedImages = List.copyOf(removedImages);
    removedTrees = List.copyOf(removedTrees);
    removedLeftovers = List.copyOf(removedLeftovers);
    errors = List.copyOf(errors);
  }
}
