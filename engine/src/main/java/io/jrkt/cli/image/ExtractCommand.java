package io.jrkt.cli.image;

import io.jrkt.aci.ImageException;
import io.jrkt.appc.ImageId;
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
 * {@code image extract IMAGE DIR} (the image's own files) and {@code image render IMAGE DIR} (the
 * image with its dependencies, as a pod would see it): writes {@code manifest} and
 * {@code rootfs/} into DIR, or with {@code --rootfs-only} the rootfs's contents as DIR.
 */
final class ExtractCommand implements Command {
  /** Which tree the command writes. */
  enum Mode {
    EXTRACT("image extract", "Extract a stored image to a directory"),
    RENDER("image render", "Render a stored image, with its dependencies, to a directory");

    final String commandName;
    final String summary;

    Mode(String commandName, String summary) {
      this.commandName = commandName;
      this.summary = summary;
    }
  }

  private final Mode mode;

  ExtractCommand(Mode mode) {
    this.mode = mode;
  }

  @Override
  public String name() {
    return mode.commandName;
  }

  @Override
  public String summary() {
    return mode.summary;
  }

  @Override
  public String usage() {
    return "[--rootfs-only] [--overwrite] IMAGE OUTPUT_DIR";
  }

  @Override
  public void define(Flags flags) {
    flags.bool("rootfs-only", "write only the root filesystem")
        .bool("overwrite", "overwrite the output directory");
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (args.size() != 2) {
      throw new CliException("expected an image and an output directory; usage: " + name() + " "
          + usage());
    }
    Path dir = Path.of(args.get(1)).toAbsolutePath().normalize();
    if (dir.getParent() == null) {
      // --overwrite replaces the directory: never the root file system.
      throw new CliException("refusing to write the image to " + dir);
    }
    boolean rootfsOnly = flags.getBool("rootfs-only");
    boolean overwrite = flags.getBool("overwrite");
    try (ImageStore store = ctx.openImageStore()) {
      ImageId id = store.resolve(args.get(0)).id();
      if (mode == Mode.EXTRACT) {
        store.extract(id, dir, rootfsOnly, overwrite);
      } else {
        store.renderTo(id, dir, rootfsOnly, overwrite);
      }
    } catch (StoreException | ImageException | StoreIoException e) {
      throw new CliException(e.getMessage(), e);
    }
    return 0;
  }
}
