package io.jrkt.aci;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * How an ACI file is compressed, told apart by its first bytes. gzip uses the JDK's zlib; the
 * other codecs live in separate holder classes so that their libraries are loaded only when an
 * image actually uses them (they cost start-up time).
 */
public enum Compression {
  NONE("uncompressed"),
  GZIP("gzip"),
  BZIP2("bzip2"),
  XZ("xz"),
  ZSTD("zstd");

  /** Bytes {@link #detect} looks at. */
  public static final int MAGIC_LENGTH = 6;

  private static final int GZIP_BUFFER = 64 * 1024;

  private final String label;

  Compression(String label) {
    this.label = label;
  }

  /** The codec's name as messages show it. */
  public String label() {
    return label;
  }

  /** The compression of data starting with {@code head[0..length)}; NONE when no magic matches. */
  public static Compression detect(byte[] head, int length) {
    if (starts(head, length, 0x1f, 0x8b)) {
      return GZIP;
    }
    if (starts(head, length, 'B', 'Z', 'h')) {
      return BZIP2;
    }
    if (starts(head, length, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
      return XZ;
    }
    if (starts(head, length, 0x28, 0xb5, 0x2f, 0xfd)) {
      return ZSTD;
    }
    return NONE;
  }

  private static boolean starts(byte[] head, int length, int... magic) {
    if (length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** Wraps {@code in} so that reading it yields the uncompressed bytes. */
  public InputStream decompress(InputStream in) throws IOException {
    switch (this) {
      case NONE:
        return in;
      case GZIP:
        return new GZIPInputStream(in, GZIP_BUFFER);
      case BZIP2:
        return Bzip2Codec.open(in);
      case XZ:
        return XzCodec.open(in);
      case ZSTD:
        return ZstdCodec.open(in);
      default:
        throw new AssertionError(this);
    }
  }
}
