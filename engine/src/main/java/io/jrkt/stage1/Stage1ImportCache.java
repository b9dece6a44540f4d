package io.jrkt.stage1;

import io.jrkt.appc.ImageId;
import io.jrkt.store.FileStamp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Remembers which store image a stage1 ACI file was imported as, keyed by the file's path, size,
 * modification and change times and inode, so that using the same file again costs a stat
 * instead of a SHA-512 over the whole file (rkt re-imported {@code --stage1-path} on every run).
 * A changed file is imported again.
 *
 * <p>The cache file holds one line per ACI path: {@code VERSION KEY IMAGE_ID PATH}, the first two
 * the file's {@link FileStamp}.
 */
public final class Stage1ImportCache {
  private final Path cacheFile;
  private boolean lastWasHit;

  /** @param cacheFile the cache, e.g. {@code <data dir>/stage1-imports} */
  public Stage1ImportCache(Path cacheFile) {
    this.cacheFile = cacheFile;
  }

  /** Whether the last {@link #importCached} found the file in the cache. */
  public boolean lastWasHit() {
    return lastWasHit;
  }

  /** The stored image of {@code aci}: from the cache when the file is unchanged, else imported. */
  public Stage1Image importCached(Path aci, Stage1Catalog catalog) throws Stage1Exception {
    Path file = aci.toAbsolutePath().normalize();
    String stamp = stamp(file);
    String key = file.toString();
    List<String> lines = readLines();
    for (String line : lines) {
      Entry e = Entry.parse(line);
      if (e != null && e.path.equals(key) && e.stamp.equals(stamp)) {
        Optional<Stage1Image> img = catalog.byId(e.id);
        if (img.isPresent()) {
          lastWasHit = true;
          return img.get();
        }
      }
    }
    lastWasHit = false;
    Stage1Image img = catalog.importFile(file);
    List<String> kept = new ArrayList<>();
    for (String line : lines) {
      Entry e = Entry.parse(line);
      if (e != null && !e.path.equals(key)) {
        kept.add(line);
      }
    }
    kept.add(stamp + " " + img.id().value() + " " + key);
    write(kept);
    return img;
  }

  /** The file's identity and version ({@link FileStamp}), one word each. */
  private static String stamp(Path file) throws Stage1Exception {
    try {
      FileStamp stamp = FileStamp.of(file).orElseThrow(() -> new Stage1Exception(
          "stage1 image " + file + " is not a regular file"));
      return stamp.version() + " " + stamp.key();
    } catch (NoSuchFileException e) {
      throw new Stage1Exception("stage1 image " + file + " does not exist");
    } catch (IOException e) {
      throw new Stage1Exception("cannot stat stage1 image " + IoErrors.describe(e), e);
    }
  }

  private List<String> readLines() {
    try {
      return List.of(new String(Files.readAllBytes(cacheFile), StandardCharsets.UTF_8)
          .split("\n"));
    } catch (IOException e) {
      return List.of(); // no cache yet, or unreadable: import again
    }
  }

  /** Replaces the cache atomically; a failure only costs a re-import next time. */
  private void write(List<String> lines) {
    try {
      Files.createDirectories(cacheFile.getParent());
      Path tmp = cacheFile.resolveSibling(cacheFile.getFileName() + ".tmp-" + ProcessHandle
          .current().pid());
      Files.write(tmp, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, cacheFile, StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // The import itself worked; the next run just hashes the file again.
    }
  }

  private static final class Entry {
    final String stamp;
    final String id;
    final String path;

    private Entry(String stamp, String id, String path) {
      this.stamp = stamp;
      this.id = id;
      this.path = path;
    }

    static Entry parse(String line) {
      String[] f = line.split(" ", 4);
      if (f.length != 4 || !f[2].startsWith(ImageId.PREFIX)) {
        return null;
      }
      return new Entry(f[0] + " " + f[1], f[2], f[3]);
    }
  }
}
