package io.jrkt.cli.image;

import io.jrkt.cli.CliException;
import io.jrkt.cli.Command;
import io.jrkt.cli.Context;
import io.jrkt.cli.Flags;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreException;
import io.jrkt.store.StoreIoException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code image export IMAGE OUT.aci}: writes the stored ACI (the uncompressed tar the id hashes)
 * to a file, so the export has the same id as the import.
 */
final class ExportCommand implements Command {
  @Override
  public String name() {
    return "image export";
  }

  @Override
  public String summary() {
    return "Export a stored image to an ACI file";
  }

  @Override
  public String usage() {
    return "[--overwrite] IMAGE OUTPUT_ACI_FILE";
  }

  @Override
  public void define(Flags flags) {
    flags.bool("overwrite", "overwrite output ACI");
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (args.size() != 2) {
      throw new CliException("expected an image and an output file; usage: " + name() + " "
          + usage());
    }
    Path out = Path.of(args.get(1)).toAbsolutePath().normalize();
    try (ImageStore store = ctx.openImageStore()) {
      store.exportAci(store.resolve(args.get(0)).id(), out, flags.getBool("overwrite"));
    } catch (StoreException | StoreIoException e) {
      throw new CliException(e.getMessage(), e);
    }
    return 0;
  }
}
