package io.jrkt.cli.image;

import io.jrkt.appc.ImageId;
import io.jrkt.cli.CliException;
import io.jrkt.cli.Command;
import io.jrkt.cli.Context;
import io.jrkt.cli.Flags;
import io.jrkt.pod.PodStore;
import io.jrkt.store.ImageInfo;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreException;
import io.jrkt.store.StoreIoException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code image rm IMAGE...}: removes images (blob, manifest and rendered trees) from the store.
 * An argument is an id (or unique id prefix), or a name: as in rkt, a bare name removes every
 * stored image of that name; {@code name:version} and {@code name,label=value} pick one.
 *
 * <p>Output as rkt's: one {@code successfully removed aci for image: "<id>"} line per image on
 * stdout, counts on stderr, exit 254 when anything could not be found or removed.
 */
final class ImageRmCommand implements Command {
  @Override
  public String name() {
    return "image rm";
  }

  @Override
  public String summary() {
    return "Remove one or more images with the given IDs or image names from the local store";
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
    try (ImageStore store = ctx.openImageStore()) {
      // Duplicates (the same image named twice, by id and by name) count once, as in rkt.
      Set<ImageId> toRemove = new LinkedHashSet<>();
      int failed = ImageArgs.forEach(ctx, name(), args,
          arg -> toRemove.addAll(matches(store, arg)));
      int removed = 0;
      Set<String> inUse = toRemove.isEmpty() ? Set.of() : treesInUse(ctx, store);
      for (ImageId id : toRemove) {
        try {
          store.remove(id, inUse);
        } catch (StoreException e) {
          ctx.err().println(name() + ": error removing aci for image \"" + id + "\": "
              + e.getMessage());
          failed++;
          continue;
        }
        ctx.out().println("successfully removed aci for image: \"" + id + "\"");
        removed++;
      }
      report(ctx, name(), removed, failed);
      return failed > 0 ? 254 : 0;
    } catch (StoreIoException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /**
   * The trees pods use (overlay pods run on them as lower layers): kept, to be removed by
   * {@code image gc} once no pod needs them. Every tree when some pod cannot be read.
   */
  private Set<String> treesInUse(Context ctx, ImageStore store) {
    PodTreeReferences.Result refs = PodTreeReferences.read(new PodStore(ctx.dataDir()),
        line -> ctx.err().println(name() + ": " + line));
    return refs.complete() ? refs.treeIds() : new ImageGcCommand.EveryTree(store.casDir());
  }

  /** The stored images an argument names; throws when there is none. */
  static List<ImageId> matches(ImageStore store, String arg) throws StoreException {
    List<ImageId> ids = new ArrayList<>();
    if (!ImageId.looksLikeId(arg)) {
      for (ImageInfo info : store.list()) {
        if (info.name().equals(arg)) {
          ids.add(info.id());
        }
      }
      if (!ids.isEmpty()) {
        return ids;
      }
    }
    ids.add(store.resolve(arg).id());
    return ids;
  }

  static void report(Context ctx, String command, int removed, int failed) {
    if (removed > 0) {
      ctx.err().println(command + ": " + removed + " image(s) successfully removed");
    }
    if (failed > 0) {
      ctx.err().println(command + ": " + failed + " image(s) cannot be removed");
    }
  }
}
