package io.jrkt.store;

import io.jrkt.appc.ImageId;
import java.util.List;

/** An id prefix matches more than one stored image. */
public class AmbiguousImageException extends StoreException {
  private static final long serialVersionUID = 1L;
  private static final int SHOWN = 5;

  private final String reference;
  private final List<ImageId> candidates;

  public AmbiguousImageException(String reference, List<ImageId> candidates) {
    super(message(reference, candidates));
    this.reference = reference;
    this.candidates = List.copyOf(candidates);
  }

  private static String message(String reference, List<ImageId> candidates) {
    StringBuilder sb = new StringBuilder("image id prefix ").append(io.jrkt.appc.Names.quote(reference))
        .append(" is ambiguous: it matches ").append(candidates.size()).append(" images (");
    for (int i = 0; i < Math.min(SHOWN, candidates.size()); i++) {
      sb.append(i == 0 ? "" : ", ").append(candidates.get(i).shortForm());
    }
    if (candidates.size() > SHOWN) {
      sb.append(", ...");
    }
    return sb.append("); give more digits").toString();
  }

  public String reference() {
    return reference;
  }

  public List<ImageId> candidates() {
    return candidates;
  }
}
