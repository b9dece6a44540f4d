package io.jrkt.oci;

import io.jrkt.aci.ImageException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An image source read from a local archive that is first unpacked into the fetch's scratch
 * directory (hashing each file once as it lands); subclasses read the unpacked files.
 */
abstract class UnpackedArchiveSource implements ImageSource {
  static final int MAX_JSON = 4 << 20;

  final String argument;
  final Path archive;
  final String ref;
  ArchiveUnpacker files;
  ImageNaming naming;

  /**
   * @param argument the image as the user named it
   * @param archive the archive file
   * @param ref what to pick in the archive; null for its only (or first) image
   */
  UnpackedArchiveSource(String argument, Path archive, String ref) {
    this.argument = argument;
    this.archive = archive;
    this.ref = ref;
  }

  @Override
  public String describe() {
    return argument;
  }

  @Override
  public ImageNaming naming() {
    return naming;
  }

  @Override
  public void prepare(Path scratch, FetchProgress progress) throws ImageException, IOException {
    files = ArchiveUnpacker.unpack(archive, argument, scratch);
  }
}
