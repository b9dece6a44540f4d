package io.jrkt.aci;

import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The per-file part of a tree hash: CRC-32C and CRC-32 of the content (64 bits together).
 *
 * <p>The tree hash detects damage to a rendered tree (a crash, a full disk, a stray write), not
 * tampering: whoever can rewrite a tree can rewrite its {@code hash} file too. Two CRCs give that
 * at memory speed in every JIT mode, where SHA-256 costs over a second per 200 MB when the JVM
 * runs with C1 only ({@code -XX:TieredStopAtLevel=1}).
 */
final class ContentChecksum {
  private final CRC32C crc32c = new CRC32C();
  private final CRC32 crc32 = new CRC32();

  void reset() {
    crc32c.reset();
    crc32.reset();
  }

  void update(byte[] b, int off, int len) {
    crc32c.update(b, off, len);
    crc32.update(b, off, len);
  }

  /** The 8-byte checksum of everything since the last reset. */
  byte[] value() {
    long c = crc32c.getValue();
    long d = crc32.getValue();
    return new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c,
        (byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d};
  }

  static byte[] of(byte[] data) {
    ContentChecksum c = new ContentChecksum();
    c.update(data, 0, data.length);
    return c.value();
  }
}
