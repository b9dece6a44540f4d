package io.jrkt.store;

import io.jrkt.appc.ImageId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tree store ids of dependency chains, remembered per top image in
 * {@code cas/treeids/<image id>}. An id is a SHA-512 ({@link DependencyChain#treeStoreId}), and
 * setting up the JDK's message digests costs milliseconds of every pod start, which asks for the
 * same few chains again and again.
 *
 * <p>A memo is one line, {@code <tree store id> <layers>}, and answers only for exactly those
 * layers: a dependency that now resolves to a newer image makes a new id. As the id is a function
 * of the layers, a memo is never stale, only possibly missing or torn; it is therefore written
 * without fsync, and anything unreadable is computed again.
 */
final class TreeIds {
  private final StoreLayout layout;

  TreeIds(StoreLayout layout) {
    this.layout = layout;
  }

  /** The tree store id of the chain (its first layer is the top image). */
  String of(List<Layer> chain) {
    String layers = DependencyChain.layers(chain);
    Path memo = layout.treeIdMemo(chain.get(0).id());
    String remembered = read(memo, layers);
    if (remembered != null) {
      return remembered;
    }
    String id = DependencyChain.treeStoreId(layers);
    remember(memo, id, layers);
    return id;
  }

  /** Drops the memo of an image that is being removed. */
  void forget(ImageId id) throws IOException {
    Files.deleteIfExists(layout.treeIdMemo(id));
  }

  /** The id the memo holds for {@code layers}; null when it holds none or cannot be read. */
  private static String read(Path memo, String layers) {
    String text;
    try {
      text = Files.readString(memo, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    int space = text.indexOf(' ');
    if (space < 0 || !text.endsWith("\n")
        || !text.regionMatches(space + 1, layers, 0, layers.length())
        || text.length() != space + 1 + layers.length() + 1) {
      return null;
    }
    String id = text.substring(0, space);
    return isTreeStoreId(id) ? id : null;
  }

  /** Writes the memo (renamed into place whole); failing to is only a cost for later. */
  private void remember(Path memo, String id, String layers) {
    Durability.writeMemo(memo, id + " " + layers + "\n", layout.tmp());
  }

  private static boolean isTreeStoreId(String s) {
    return s.startsWith(StoreLayout.TREE_ID_PREFIX)
        && StoreLayout.isImageKey(s.substring(StoreLayout.TREE_ID_PREFIX.length()));
  }
}
