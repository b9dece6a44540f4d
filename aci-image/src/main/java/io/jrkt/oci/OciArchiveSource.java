package io.jrkt.oci;

import io.jrkt.aci.ImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An {@code oci-archive}: an OCI image layout packed in a tar (possibly compressed). */
public final class OciArchiveSource extends UnpackedArchiveSource {
  public OciArchiveSource(String argument, Path archive, String ref) {
    super(argument, archive, ref);
  }

  @Override
  public FetchedManifest manifest() throws ImageException, IOException {
    if (files.get("oci-layout") == null) {
      throw new OciImageException(argument, "not an OCI archive: it has no oci-layout file");
    }
    ArchiveUnpacker.Entry index = files.get("index.json");
    if (index == null) {
      throw new OciImageException(argument, "not an OCI archive: index.json is missing");
    }
    if (index.size() > MAX_JSON) {
      throw new OciImageException(argument, "index.json is larger than 4 MiB");
    }
    Descriptor top;
    try {
      top = OciIndex.parse(Files.readAllBytes(index.file()), MediaTypes.OCI_INDEX)
          .byRef(ref, "the archive");
    } catch (OciFormatException e) {
      throw new OciImageException(argument, "index.json: " + e.getMessage(), e);
    }
    String tag = ref != null && !ref.startsWith("sha256:") ? ref : top.refName();
    naming = new ImageNaming(null, LayoutSource.localName(archive), tag, argument);
    return ManifestResolution.resolve(argument, top, d -> smallBlob(d, MAX_JSON));
  }

  private ArchiveUnpacker.Entry blob(Descriptor d) {
    return files.get("blobs/" + Digest.ALGORITHM + "/" + d.digest().hex());
  }

  @Override
  public byte[] smallBlob(Descriptor d, int maxBytes) throws ImageException, IOException {
    return UnpackedBlobs.read(argument, blob(d), d, maxBytes);
  }

  @Override
  public void fetchBlob(Descriptor d, Path dest, FetchProgress progress)
      throws ImageException, IOException {
    UnpackedBlobs.link(argument, blob(d), d, dest, progress);
  }
}
