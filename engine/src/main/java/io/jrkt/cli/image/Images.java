package io.jrkt.cli.image;

import io.jrkt.cli.CliException;
import io.jrkt.cli.Context;
import io.jrkt.cli.Flags;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreException;

/** What the image commands share: opening the store, flag spellings. */
final class Images {
  private Images() {}

  static ImageStore openStore(Context ctx) throws CliException {
    try {
      return ImageStore.open(ctx.dataDir());
    } catch (StoreException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /**
   * A boolean flag declared with {@link Flags#optional} so that it can default to true, in Go's
   * {@code strconv.ParseBool} spellings.
   */
  static boolean boolFlag(Flags flags, String name) throws CliException {
    String v = flags.getString(name);
    switch (v) {
      case "1": case "t": case "T": case "true": case "TRUE": case "True":
        return true;
      case "0": case "f": case "F": case "false": case "FALSE": case "False":
        return false;
      default:
        throw new CliException("invalid argument \"" + v + "\" for --" + name
            + ": must be true or false");
    }
  }
}
