package io.jrkt.cli.image;

import io.jrkt.aci.ImageException;
import io.jrkt.cli.CliException;
import io.jrkt.cli.Command;
import io.jrkt.cli.Context;
import io.jrkt.cli.Flags;
import io.jrkt.store.AmbiguousImageException;
import io.jrkt.store.ImageInfo;
import io.jrkt.store.ImageNotFoundException;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreException;
import io.jrkt.store.StoreIoException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fetch} (also {@code image fetch}): puts images into the store and prints their ids, one
 * line each, {@code sha512-} and 32 hex digits, or the stored 64 with {@code --full}.
 *
 * <p>Local files ({@code file://} URLs and paths) are always imported; the store keeps one copy
 * per content. Ids and names are looked up in the store. OCI and Docker images (layouts,
 * archives, registries) are fetched by {@link OciFetch}. Discovery, https ACIs and signature
 * verification are not implemented yet: a fetch that needs them is refused before anything is
 * imported, so nothing unverified lands in the store by accident.
 */
final class FetchCommand implements Command {
  private final String name;

  FetchCommand(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String summary() {
    return "Fetch image(s) and store them in the local store";
  }

  @Override
  public String usage() {
    return "[--pull-policy=never|new|update] [--full] IMAGE...";
  }

  @Override
  public void define(Flags flags) {
    PullPolicy.define(flags, PullPolicy.UPDATE);
    flags.bool("full", "print the full image hash after fetching")
        .list("signature", "local signature file to use in validating the preceding image");
    OciFetch.define(flags);
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (args.isEmpty()) {
      throw new CliException("missing image argument; usage: " + name + " " + usage());
    }
    PullPolicy policy = PullPolicy.of(flags);
    boolean full = flags.getBool("full");
    // Everything that would be refused is refused before the first import.
    List<FetchSource> sources = new ArrayList<>();
    for (String arg : args) {
      FetchSource source = FetchSource.of(arg);
      checkSupported(ctx, source, policy);
      sources.add(source);
    }
    OciFetch oci = sources.stream().anyMatch(OciFetch::handles) ? OciFetch.of(ctx, flags) : null;
    try (ImageStore store = ctx.openImageStore()) {
      for (FetchSource source : sources) {
        ImageInfo info = OciFetch.handles(source) ? oci.fetch(store, source, policy)
            : fetch(store, source, policy);
        ctx.out().println(full ? info.id().value() : info.id().shortForm());
      }
    } catch (StoreIoException e) {
      throw new CliException(e.getMessage(), e);
    }
    return 0;
  }

  private static void checkSupported(Context ctx, FetchSource source, PullPolicy policy)
      throws CliException {
    if (OciFetch.handles(source)) {
      OciFetch.check(ctx, source);
      return;
    }
    if (source instanceof FetchSource.Remote remote) {
      throw new CliException("fetching " + remote.scheme() + " URLs (\"" + remote.argument()
          + "\") is not supported yet; fetch a file");
    }
    if (source instanceof FetchSource.Name && policy == PullPolicy.UPDATE) {
      throw discoveryUnsupported(source);
    }
    if (source instanceof FetchSource.LocalFile && !ctx.insecure("image")) {
      throw new CliException("cannot verify the signature of \"" + source.argument()
          + "\": signature verification is not supported yet; pass --insecure-options=image"
          + " to fetch it without verification");
    }
  }

  private static ImageInfo fetch(ImageStore store, FetchSource source, PullPolicy policy)
      throws CliException {
    if (source instanceof FetchSource.LocalFile file) {
      try {
        return store.importAci(file.file());
      } catch (StoreException | ImageException e) {
        throw new CliException(e.getMessage(), e);
      }
    }
    try {
      return store.resolve(source.argument());
    } catch (ImageNotFoundException e) {
      if (source instanceof FetchSource.Name && policy == PullPolicy.NEW) {
        throw discoveryUnsupported(source);
      }
      throw new CliException(e.getMessage()
          + (source instanceof FetchSource.Name ? " (pull policy \"never\")" : ""), e);
    } catch (AmbiguousImageException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  private static CliException discoveryUnsupported(FetchSource source) {
    return new CliException("discovery of \"" + source.argument()
        + "\" is not supported yet; fetch a file");
  }
}
