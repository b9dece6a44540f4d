package io.jrkt.oci;

import io.jrkt.aci.ImageException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where an OCI or Docker image comes from: a layout directory, an archive or a registry. The
 * store asks it for the manifest (an index already resolved to one platform), then for the
 * blobs it does not have yet, each written to a file and verified while streaming.
 */
public interface ImageSource extends AutoCloseable {
  /** How the image is named in messages (the argument as given). */
  String describe();

  /** What the appc manifest records about the origin. */
  ImageNaming naming();

  /**
   * Called once before anything else with a private scratch directory on the store's file
   * system (archives unpack their blobs there).
   */
  default void prepare(Path scratch, FetchProgress progress) throws ImageException, IOException {}

  /** The image manifest (for linux/amd64 when the reference names an index), digest checked. */
  FetchedManifest manifest() throws ImageException, IOException;

  /** Reads a small blob (the config) whole, checked against its descriptor. */
  byte[] smallBlob(Descriptor d, int maxBytes) throws ImageException, IOException;

  /**
   * Writes blob {@code d} to {@code dest}, verifying size and digest while it streams. May be
   * called from several threads at once for different blobs.
   */
  void fetchBlob(Descriptor d, Path dest, FetchProgress progress)
      throws ImageException, IOException;

  @Override
  default void close() throws IOException {}
}
