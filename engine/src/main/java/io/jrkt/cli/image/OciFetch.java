package io.jrkt.cli.image;

import io.jrkt.aci.ImageException;
import io.jrkt.cli.CliException;
import io.jrkt.cli.Context;
import io.jrkt.cli.Flags;
import io.jrkt.oci.DockerArchiveSource;
import io.jrkt.oci.FetchProgress;
import io.jrkt.oci.ImageSource;
import io.jrkt.oci.LayoutSource;
import io.jrkt.oci.OciArchiveSource;
import io.jrkt.oci.OciFetchOptions;
import io.jrkt.oci.OciFormatException;
import io.jrkt.registry.Credentials;
import io.jrkt.registry.DockerReference;
import io.jrkt.registry.RegistrySource;
import io.jrkt.appc.AcIdentifier;
import io.jrkt.store.AmbiguousImageException;
import io.jrkt.store.ImageInfo;
import io.jrkt.store.ImageNotFoundException;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * {@code fetch} of OCI and Docker images: {@code oci:DIR[:REF]} (or a directory holding
 * {@code oci-layout}), {@code oci-archive:FILE[:REF]}, {@code docker-archive:FILE[:NAME:TAG]}
 * and {@code docker://HOST[:PORT]/REPO[:TAG|@sha256:...]}. Such images carry no signature rkt
 * could check, so, as rkt did for docker images, {@code --insecure-options=image} is required;
 * registries are reached over HTTPS unless {@code --insecure-options=http} allows plain HTTP.
 */
final class OciFetch {
  private final OciFetchOptions options;
  private final Map<String, Credentials> credentials;
  private final boolean plainHttp;

  private OciFetch(OciFetchOptions options, Map<String, Credentials> credentials,
      boolean plainHttp) {
    this.options = options;
    this.credentials = credentials;
    this.plainHttp = plainHttp;
  }

  static void define(Flags flags) {
    flags.string("max-image-size", "64GiB",
        "OCI/Docker images: how far an image's layers may expand on disk (e.g. 512MiB, 10GiB)")
        .string("disk-reserve", "256MiB",
            "OCI/Docker images: free space to leave on the store's file system while fetching");
  }

  static boolean handles(FetchSource s) {
    return s instanceof FetchSource.OciLayout || s instanceof FetchSource.OciArchive
        || s instanceof FetchSource.DockerArchive || s instanceof FetchSource.Registry;
  }

  /** Refuses, before anything is fetched, what cannot be fetched. */
  static void check(Context ctx, FetchSource source) throws CliException {
    if (source instanceof FetchSource.Registry r) {
      reference(r);
    }
    if (!ctx.insecure("image")) {
      throw new CliException("cannot verify the signature of \"" + source.argument()
          + "\": OCI and Docker images carry no signature jrkt can check; pass"
          + " --insecure-options=image to fetch it without verification");
    }
  }

  static OciFetch of(Context ctx, Flags flags) throws CliException {
    long max = size(flags, "max-image-size");
    long reserve = size(flags, "disk-reserve");
    if (max <= 0) {
      throw new CliException("invalid --max-image-size: must be more than 0 bytes");
    }
    FetchProgress progress = System.console() != null ? new TtyProgress(ctx.err())
        : FetchProgress.NONE;
    Map<String, Credentials> creds = DockerAuthConfig.load(Arrays.asList(ctx.systemConfig(),
        ctx.localConfig(), ctx.userConfig()));
    return new OciFetch(new OciFetchOptions(max, reserve,
        OciFetchOptions.DEFAULT_PARALLEL_DOWNLOADS, progress), creds, ctx.insecure("http"));
  }

  /**
   * Fetches one image. For a registry image, {@code --pull-policy=never} takes it from the store
   * only and {@code new} from the store when it has it (by digest, or by name and tag as
   * fetched); {@code update} always asks the registry (a manifest request when it is stored).
   */
  ImageInfo fetch(ImageStore store, FetchSource source, PullPolicy policy) throws CliException {
    if (source instanceof FetchSource.Registry r && policy != PullPolicy.UPDATE) {
      DockerReference ref = reference(r);
      String stored = ref.digest() != null ? ref.digest().key()
          : AcIdentifier.sanitize(ref.host() + "/" + ref.repository()).value() + ":" + ref.tag();
      try {
        return store.resolve(stored);
      } catch (ImageNotFoundException | AmbiguousImageException e) {
        if (policy == PullPolicy.NEVER) {
          throw new CliException("image \"" + r.argument() + "\" is not in the store"
              + " (pull policy \"never\")", e);
        }
      }
    }
    try {
      return store.importOci(source(source), options);
    } catch (StoreException | ImageException e) {
      throw new CliException(e.getMessage(), e);
    } finally {
      options.progress().finish();
    }
  }

  private ImageSource source(FetchSource s) throws CliException {
    if (s instanceof FetchSource.OciLayout l) {
      return new LayoutSource(l.argument(), l.dir(), l.ref());
    }
    if (s instanceof FetchSource.OciArchive a) {
      return new OciArchiveSource(a.argument(), a.file(), a.ref());
    }
    if (s instanceof FetchSource.DockerArchive a) {
      return new DockerArchiveSource(a.argument(), a.file(), a.ref());
    }
    FetchSource.Registry r = (FetchSource.Registry) s;
    DockerReference ref = reference(r);
    return new RegistrySource(r.argument(), ref, plainHttp, credentials.get(ref.host()));
  }

  private static DockerReference reference(FetchSource.Registry r) throws CliException {
    try {
      return DockerReference.parse(r.reference());
    } catch (OciFormatException e) {
      throw new CliException("invalid image reference \"" + r.argument() + "\": "
          + e.getMessage(), e);
    }
  }

  /** A byte size: a number with an optional binary unit (B, KiB, MiB, GiB, TiB; K, M, G, T). */
  static long size(Flags flags, String name) throws CliException {
    String v = flags.getString(name).trim();
    String s = v.toUpperCase(Locale.ROOT);
    long unit = 1;
    String[][] units = {{"TIB", "T"}, {"GIB", "G"}, {"MIB", "M"}, {"KIB", "K"}};
    long[] factors = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
    for (int i = 0; i < units.length && unit == 1; i++) {
      for (String u : units[i]) {
        if (s.endsWith(u)) {
          s = s.substring(0, s.length() - u.length());
          unit = factors[i];
          break;
        }
      }
    }
    if (unit == 1 && s.endsWith("B")) {
      s = s.substring(0, s.length() - 1);
    }
    try {
      long n = Long.parseLong(s.trim());
      if (n < 0 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new CliException("invalid --" + name + " \"" + v
          + "\": expected a size such as 512MiB or 10GiB");
    }
  }
}
