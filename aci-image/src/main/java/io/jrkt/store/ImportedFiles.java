package io.jrkt.store;

import io.jrkt.appc.ImageId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The image each ACI file was imported as, remembered per file in
 * {@code cas/imported/<device>-<inode>}, so that running or fetching an unchanged file again
 * costs a stat and a small read instead of a SHA-512 over the whole file and an extraction that
 * is thrown away (rkt imported the file again on every run).
 *
 * <p>A memo is one line, {@code <version> <image id>}, the version being the file's
 * {@link FileStamp}, which any write to the file changes, so a memo answers only for the content
 * it was made from. A memo is therefore never wrong, only missing or torn; it is written without
 * fsync, and anything unreadable means importing the file again.
 */
final class ImportedFiles {
  private final StoreLayout layout;

  ImportedFiles(StoreLayout layout) {
    this.layout = layout;
  }

  /**
   * The file's stamp; empty when it cannot be read or is not a regular file, in which case the
   * import itself says what is wrong with it.
   */
  static Optional<FileStamp> stamp(Path file) {
    try {
      return FileStamp.of(file);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The image the file was imported as when it had this stamp, if remembered. */
  Optional<ImageId> lookup(FileStamp stamp) {
    String text;
    try {
      text = Files.readString(memo(stamp), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    String prefix = stamp.version() + " ";
    if (!text.startsWith(prefix) || !text.endsWith("\n")) {
      return Optional.empty();
    }
    String id = text.substring(prefix.length(), text.length() - 1);
    return StoreLayout.isImageKey(id) ? Optional.of(new ImageId(id)) : Optional.empty();
  }

  /** Remembers the import; failing to is only a cost for the next use of the file. */
  void remember(FileStamp stamp, ImageId id) {
    Path memo = memo(stamp);
    try {
      Files.createDirectories(memo.getParent());
    } catch (IOException e) {
      return;
    }
    Durability.writeMemo(memo, stamp.version() + " " + id.value() + "\n", layout.tmp());
  }

  /** The image id a memo names, for gc; null when it names none. */
  static ImageId imageOf(Path memo) throws IOException {
    String text;
    try {
      text = Files.readString(memo, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    }
    int space = text.lastIndexOf(' ');
    String id = space < 0 ? "" : text.substring(space + 1).trim();
    return StoreLayout.isImageKey(id) ? new ImageId(id) : null;
  }

  private Path memo(FileStamp stamp) {
    return layout.importedDir().resolve(stamp.key());
  }
}
