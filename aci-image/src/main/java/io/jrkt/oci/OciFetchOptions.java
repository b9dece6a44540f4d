package io.jrkt.oci;

import java.util.Objects;

/**
 * Limits and knobs of one OCI fetch.
 *
 * @param maxImageBytes how far all layers of the image may expand, in bytes
 * @param diskReserveBytes free space the store's file system keeps while layers expand
 * @param parallelDownloads how many blobs are transferred at once
 */
public record OciFetchOptions(long maxImageBytes, long diskReserveBytes, int parallelDownloads,
    FetchProgress progress) {
  public static final long DEFAULT_MAX_IMAGE_BYTES = 64L << 30;
  public static final long DEFAULT_DISK_RESERVE_BYTES = 256L << 20;
  public static final int DEFAULT_PARALLEL_DOWNLOADS = 3;

  public OciFetchOptions {
    Objects.requireNonNull(progress, "progress");
    if (maxImageBytes <= 0 || diskReserveBytes < 0 || parallelDownloads < 1) {
      throw new IllegalArgumentException("invalid fetch limits");
    }
  }

  public static OciFetchOptions defaults() {
    return new OciFetchOptions(DEFAULT_MAX_IMAGE_BYTES, DEFAULT_DISK_RESERVE_BYTES,
        DEFAULT_PARALLEL_DOWNLOADS, FetchProgress.NONE);
  }
}
