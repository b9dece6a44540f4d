package io.jrkt.aci;

import java.io.IOException;

/**
 * Thrown to the extracting thread when the thread feeding it (reading and decompressing the
 * file) failed; the feeder's own error is the one reported.
 */
public final class UpstreamFailedException extends IOException {
  private static final long serialVersionUID = 1L;

  UpstreamFailedException(Throwable cause) {
    super("the archive could not be read", cause);
  }
}
