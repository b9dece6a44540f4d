package io.jrkt.cli.image;

import io.jrkt.cli.CliException;
import io.jrkt.cli.Command;
import io.jrkt.cli.Context;
import io.jrkt.cli.Flags;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreException;
import io.jrkt.store.StoreIoException;
import java.util.List;

/** {@code image cat-manifest IMAGE}: the image manifest as JSON, tab-indented by default. */
final class CatManifestCommand implements Command {
  @Override
  public String name() {
    return "image cat-manifest";
  }

  @Override
  public String summary() {
    return "Inspect and print the image manifest";
  }

  @Override
  public String usage() {
    return "[--pretty-print=false] IMAGE";
  }

  @Override
  public void define(Flags flags) {
    flags.boolTrueByDefault("pretty-print", "apply indent to format the output");
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (args.size() != 1) {
      throw new CliException("expected exactly one image argument; usage: " + name() + " "
          + usage());
    }
    boolean pretty = flags.parseBool("pretty-print");
    try (ImageStore store = ctx.openImageStore()) {
      ctx.out().println(store.manifest(store.resolve(args.get(0)).id()).toJson(pretty));
    } catch (StoreException | StoreIoException e) {
      throw new CliException(e.getMessage(), e);
    }
    return 0;
  }
}
