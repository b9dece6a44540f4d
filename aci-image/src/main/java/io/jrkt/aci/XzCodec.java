package io.jrkt.aci;

import java.io.IOException;
import java.io.InputStream;
import org.tukaani.xz.XZInputStream;

/** Kept apart from {@link Compression} so the xz library loads only for xz images. */
final class XzCodec {
  private XzCodec() {}

  static InputStream open(InputStream in) throws IOException {
    return new XZInputStream(in);
  }
}
