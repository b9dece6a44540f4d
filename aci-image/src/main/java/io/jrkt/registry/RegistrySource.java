package io.jrkt.registry;

import io.jrkt.aci.ImageException;
import io.jrkt.oci.BlobSink;
import io.jrkt.oci.Descriptor;
import io.jrkt.oci.Digest;
import io.jrkt.oci.FetchProgress;
import io.jrkt.oci.FetchedManifest;
import io.jrkt.oci.ImageNaming;
import io.jrkt.oci.ImageSource;
import io.jrkt.oci.MediaTypes;
import io.jrkt.oci.OciFormatException;
import io.jrkt.oci.OciImageException;
import io.jrkt.oci.OciIndex;
import io.jrkt.oci.OciManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An image in a registry ({@code docker://HOST[:PORT]/REPO[:TAG|@DIGEST]}). Manifest lists and
 * OCI indexes resolve to linux/amd64. A transfer that fails on the way (connection refused or
 * dropped, 5xx) is tried again after a pause, a blob from where it broke off when the registry
 * honours {@code Range}, else from its start; the hash state of what was written is kept, so no
 * byte is hashed twice.
 */
public final class RegistrySource implements ImageSource {
  private static final int MAX_MANIFEST_BYTES = 4 << 20;
  static final List<Duration> RETRY_PAUSES = List.of(Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));

  private final String argument;
  private final DockerReference ref;
  private final RegistryClient client;
  private final List<Duration> pauses;

  public RegistrySource(String argument, DockerReference ref, boolean plainHttp,
      Credentials credentials) {
    this(argument, ref, plainHttp, credentials, RETRY_PAUSES);
  }

  RegistrySource(String argument, DockerReference ref, boolean plainHttp,
      Credentials credentials, List<Duration> pauses) {
    this.argument = argument;
    this.ref = ref;
    this.client = new RegistryClient(argument, ref, plainHttp, credentials);
    this.pauses = pauses;
  }

  @Override
  public String describe() {
    return argument;
  }

  @Override
  public ImageNaming naming() {
    return new ImageNaming(ref.host(), ref.repository(), ref.tag(), argument);
  }

  @Override
  public FetchedManifest manifest() throws ImageException, IOException {
    Fetched top = fetchManifest(ref.manifestRef(), ref.digest());
    try {
      if (MediaTypes.isIndex(top.mediaType)) {
        Descriptor d = OciIndex.parse(top.bytes, top.mediaType).select("linux", "amd64");
        Fetched m = fetchManifest(d.digest().toString(), d.digest());
        return new FetchedManifest(m.bytes, m.digest, OciManifest.parse(m.bytes, m.mediaType));
      }
      return new FetchedManifest(top.bytes, top.digest,
          OciManifest.parse(top.bytes, top.mediaType));
    } catch (OciFormatException e) {
      throw new OciImageException(argument, e.getMessage(), e);
    }
  }

  private record Fetched(byte[] bytes, Digest digest, String mediaType) {}

  private Fetched fetchManifest(String reference, Digest expected)
      throws ImageException, IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        RegistryClient.Response r = client.manifest(reference, MediaTypes.ACCEPT_MANIFESTS);
        byte[] bytes;
        try (InputStream in = r.body()) {
          bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
          throw client.unreachable("manifest " + reference, e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
          throw new OciImageException(argument, "manifest " + reference + " is larger than "
              + (MAX_MANIFEST_BYTES >> 20) + " MiB");
        }
        Digest got = Digest.ofBytes(bytes);
        if (expected != null && !got.equals(expected)) {
          throw new OciImageException(argument, "manifest " + reference
              + " does not match its digest (got " + got + ")");
        }
        String header = r.header("Docker-Content-Digest").orElse(null);
        if (expected == null && header != null && header.startsWith(Digest.ALGORITHM + ":")
            && !got.matches(header)) {
          throw new OciImageException(argument, "manifest " + reference + " does not match the"
              + " digest the registry gives for it (" + header + ", got " + got + ")");
        }
        String type = r.header("Content-Type").map(RegistrySource::mediaType).orElse("");
        return new Fetched(bytes, got, type);
      } catch (RegistryException e) {
        if (!retryable(e) || attempt >= pauses.size()) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  private static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    String t = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    // Registries serve OCI documents without a type as application/json or octet-stream.
    return MediaTypes.isIndex(t) || MediaTypes.isManifest(t) ? t : "";
  }

  @Override
  public byte[] smallBlob(Descriptor d, int maxBytes) throws ImageException, IOException {
    if (d.size() > maxBytes) {
      throw new OciImageException(argument, "blob " + d.digest() + " is larger than "
          + (maxBytes >> 20) + " MiB");
    }
    for (int attempt = 0; ; attempt++) {
      try {
        RegistryClient.Response r = client.blob(d.digest().toString(), 0);
        byte[] bytes;
        try (InputStream in = r.body()) {
          bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
          throw client.unreachable("blob " + d.digest(), e);
        }
        if (bytes.length != d.size()) {
          throw new OciImageException(argument, "blob " + d.digest() + " has " + bytes.length
              + " bytes, its descriptor says " + d.size());
        }
        Digest got = Digest.ofBytes(bytes);
        if (!got.equals(d.digest())) {
          throw new OciImageException(argument, "blob " + d.digest()
              + " does not match its digest (got " + got + ")");
        }
        return bytes;
      } catch (RegistryException e) {
        if (!retryable(e) || attempt >= pauses.size()) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  @Override
  public void fetchBlob(Descriptor d, Path dest, FetchProgress progress)
      throws ImageException, IOException {
    FetchProgress.Blob p = progress.start(d.digest().hex().substring(0, 12), d.size());
    try (BlobSink sink = new BlobSink(d, argument, dest, p)) {
      for (int attempt = 0; ; attempt++) {
        try {
          long offset = sink.written();
          RegistryClient.Response r = client.blob(d.digest().toString(), offset);
          if (offset > 0 && r.status() != 206) {
            sink.restart();
          }
          try (InputStream in = r.body()) {
            sink.copy(in);
          } catch (IOException e) {
            throw client.unreachable("blob " + d.digest() + " (broke off after "
                + sink.written() + " of " + d.size() + " bytes)", e);
          }
          if (sink.written() < d.size()) {
            throw new RegistryException(argument, "cannot fetch blob " + d.digest()
                + " from registry " + ref.host() + ": the transfer broke off after "
                + sink.written() + " of " + d.size() + " bytes", 0, null);
          }
          sink.verify();
          return;
        } catch (RegistryException e) {
          if (!retryable(e) || attempt >= pauses.size()) {
            throw e;
          }
          pause(attempt);
        }
      }
    }
  }

  /** Connection failures and server errors may pass; 4xx answers will not. */
  private static boolean retryable(RegistryException e) {
    return e.status() == 0 || e.status() >= 500;
  }

  private void pause(int attempt) throws IOException {
    try {
      Thread.sleep(pauses.get(attempt).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while fetching " + argument);
    }
  }
}
