package io.jrkt.aci;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;

/** Kept apart from {@link Compression} so zstd-jni (and its native library) loads only when needed. */
final class ZstdCodec {
  private ZstdCodec() {}

  static InputStream open(InputStream in) throws IOException {
    return new ZstdInputStreamNoFinalizer(in);
  }
}
