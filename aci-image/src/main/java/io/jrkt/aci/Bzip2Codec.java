package io.jrkt.aci;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/** Kept apart from {@link Compression} so commons-compress loads only for bzip2 images. */
final class Bzip2Codec {
  private Bzip2Codec() {}

  static InputStream open(InputStream in) throws IOException {
    return new BZip2CompressorInputStream(in, true);
  }
}
