package io.jrkt.cli.image;

import io.jrkt.cli.CliException;
import io.jrkt.cli.Context;
import io.jrkt.store.StoreException;
import java.util.List;

/** How image commands that take several images ({@code image rm}, {@code image verify}) go. */
final class ImageArgs {
  static final String USAGE = "IMAGE...";

  private ImageArgs() {}

  /** What a command does with one image argument. */
  interface ImageAction {
    void apply(String arg) throws StoreException;
  }

  /** Fails unless at least one image is given. */
  static void requireSome(String command, List<String> args) throws CliException {
    if (args.isEmpty()) {
      throw new CliException("missing image argument; usage: " + command + " " + USAGE);
    }
  }

  /**
   * Applies {@code action} to every argument; a failure is printed on stderr (prefixed by the
   * command) and does not stop the others. Returns how many failed.
   */
  static int forEach(Context ctx, String command, List<String> args, ImageAction action) {
    int failed = 0;
    for (String arg : args) {
      try {
        action.apply(arg);
      } catch (StoreException e) {
        ctx.err().println(command + ": " + e.getMessage());
        failed++;
      }
    }
    return failed;
  }
}
