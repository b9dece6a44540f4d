package io.jrkt.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * A directory's change marker: its mtime and identity (device and inode). Adding, removing or
 * renaming an entry changes the mtime, so while the marker stays the same, so do the entries.
 *
 * <p>Timestamps have a coarse granularity (a clock tick; seconds on some file systems): two
 * changes within one tick leave the same mtime. So a marker younger than {@link #SETTLE_NANOS}
 * when it was read is never trusted; a listing made from it is made again on the next call.
 */
final class DirStamp {
  /** How old an mtime must be to be sure no later change within its tick is hidden. */
  static final long SETTLE_NANOS = 2_000_000_000L;

  private static final DirStamp ABSENT = new DirStamp(Long.MIN_VALUE, null, true);

  private final long mtimeNanos;
  private final Object key;
  private final boolean settled;

  private DirStamp(long mtimeNanos, Object key, boolean settled) {
    this.mtimeNanos = mtimeNanos;
    this.key = key;
    this.settled = settled;
  }

  /** The marker of {@code dir} now; a missing directory has one too; empty when unreadable. */
  static Optional<DirStamp> of(Path dir) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(dir, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return Optional.of(ABSENT);
    } catch (IOException e) {
      return Optional.empty();
    }
    java.time.Instant m = a.lastModifiedTime().toInstant();
    long mtime = m.getEpochSecond() * 1_000_000_000L + m.getNano();
    java.time.Instant now = java.time.Instant.now();
    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return Optional.of(new DirStamp(mtime, a.fileKey(), nowNanos - mtime > SETTLE_NANOS));
  }

  /** Whether a listing read after this marker may be reused while the marker stays the same. */
  boolean settled() {
    return settled;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DirStamp s && s.mtimeNanos == mtimeNanos && Objects.equals(s.key, key);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(mtimeNanos) * 31 + Objects.hashCode(key);
  }
}
