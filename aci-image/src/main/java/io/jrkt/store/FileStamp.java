package io.jrkt.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What tells one version of a regular file from another without reading it: its identity
 * (device and inode) and its size, modification and status-change times in nanoseconds. Every
 * write to a file moves its change time, which no user can set back, so a file rewritten in
 * place with its old size and modification time still gets a new stamp.
 *
 * @param key device and inode in hex, {@code <dev>-<ino>}
 * @param version {@code <size>:<mtime ns>:<ctime ns>}
 */
public record FileStamp(String key, String version) {
  private static final String ATTRIBUTES = "unix:isRegularFile,size,lastModifiedTime,ctime,dev,ino";

  /**
   * The stamp of {@code file} (symlinks followed); empty when it is not a regular file.
   *
   * @throws java.nio.file.NoSuchFileException when it does not exist
   * @throws IOException when it cannot be read, or the file system has no Unix attributes
   */
  public static Optional<FileStamp> of(Path file) throws IOException {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(file, ATTRIBUTES);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      throw new IOException(file + ": no Unix file attributes", e);
    }
    if (!Boolean.TRUE.equals(a.get("isRegularFile"))) {
      return Optional.empty();
    }
    String key = Long.toHexString((Long) a.get("dev")) + "-"
        + Long.toHexString((Long) a.get("ino"));
    String version = a.get("size") + ":" + nanos(a.get("lastModifiedTime")) + ":"
        + nanos(a.get("ctime"));
    return Optional.of(new FileStamp(key, version));
  }

  private static long nanos(Object time) {
    return ((FileTime) time).to(TimeUnit.NANOSECONDS);
  }
}
