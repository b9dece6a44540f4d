package io.jrkt.cli.image;

import io.jrkt.cli.CliException;
import io.jrkt.cli.Command;
import io.jrkt.cli.Context;
import io.jrkt.cli.Flags;
import io.jrkt.store.ImageInfo;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreIoException;
import io.jrkt.store.TreeCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code image verify IMAGE...}: checks each image's rendered tree against its recorded hash and
 * renders it again when it does not match (or is missing). One line per image on stdout:
 * {@code "<id>" (<name>): tree ok}, {@code ... tree rendered} or
 * {@code ... tree was corrupt, rendered again}.
 *
 * <p>Exits 254 when any tree was corrupt, even if it was repaired: something changed files the
 * tree store owns, which is worth a script's attention (as fsck reports corrected errors).
 */
final class ImageVerifyCommand implements Command {
  @Override
  public String name() {
    return "image verify";
  }

  @Override
  public String summary() {
    return "Verify the rendered trees of images, rendering them again if they are corrupt";
  }

  @Override
  public String usage() {
    return ImageArgs.USAGE;
  }

  @Override
  public void define(Flags flags) {}

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    ImageArgs.requireSome(name(), args);
    List<TreeCheck> repaired = new ArrayList<>();
    int failed;
    try (ImageStore store = ctx.openImageStore()) {
      failed = ImageArgs.forEach(ctx, name(), args, arg -> {
        ImageInfo image = store.resolve(arg);
        TreeCheck check = store.verifyTree(image.id());
        ctx.out().println("\"" + image.id() + "\" (" + image.displayName() + "): "
            + describe(check.status()));
        if (check.status() == TreeCheck.Status.REPAIRED) {
          repaired.add(check);
        }
      });
    } catch (StoreIoException e) {
      throw new CliException(e.getMessage(), e);
    }
    int corrupt = repaired.size();
    if (corrupt > 0) {
      ctx.err().println(name() + ": " + corrupt + " tree(s) were corrupt and have been rendered"
          + " again");
    }
    if (failed > 0) {
      ctx.err().println(name() + ": " + failed + " image(s) could not be verified");
    }
    return corrupt + failed > 0 ? 254 : 0;
  }

  private static String describe(TreeCheck.Status status) {
    switch (status) {
      case OK: return "tree ok";
      case RENDERED: return "tree rendered";
      case REPAIRED: return "tree was corrupt, rendered again";
      default: throw new AssertionError(status);
    }
  }
}
