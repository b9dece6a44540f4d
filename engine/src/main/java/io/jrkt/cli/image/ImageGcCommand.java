package io.jrkt.cli.image;

import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageId;
import io.jrkt.cli.CliException;
import io.jrkt.cli.Command;
import io.jrkt.cli.Context;
import io.jrkt.cli.Durations;
import io.jrkt.cli.Flags;
import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import io.jrkt.store.ImageGcResult;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreIoException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code image gc [--grace-period=24h0m0s]}: removes rendered trees no pod uses, images not used
 * for longer than the grace period (except those of running pods), and leftovers of interrupted
 * imports. Prints what it removed: trees and leftovers on stderr, images as {@code image rm} does.
 *
 * <p>A pod that cannot be read does not stop the gc; since its trees are unknown, every tree is
 * kept this time (and the pod named on stderr).
 */
final class ImageGcCommand implements Command {
  /** Temporary store entries older than this belong to no live import or download. */
  static final Duration TMP_GRACE = Duration.ofHours(1);
  /** Covers the moments between marking running pods' images used and the store's gc. */
  private static final Duration TOUCH_MARGIN = Duration.ofSeconds(1);

  @Override
  public String name() {
    return "image gc";
  }

  @Override
  public String summary() {
    return "Garbage collect the local image store";
  }

  @Override
  public String usage() {
    return "[--grace-period=24h0m0s]";
  }

  @Override
  public void define(Flags flags) {
    flags.string("grace-period", "24h0m0s",
        "duration to wait since an image was last used before removing it");
  }

  @Override
  public boolean needsRoot() {
    return true;
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    if (!args.isEmpty()) {
      throw new CliException("unexpected argument \"" + args.get(0) + "\"; image gc takes none");
    }
    Duration grace = gracePeriod(flags.getString("grace-period"));
    Consumer<String> log = line -> ctx.err().println(name() + ": " + line);

    PodStore pods = new PodStore(ctx.dataDir());
    Set<String> podsBefore = PodsSince.uuids(pods);
    PodTreeReferences.Result refs = PodTreeReferences.read(pods, log);
    if (!refs.complete()) {
      log.accept("keeping all trees: the trees of " + refs.unreadable().size()
          + " pod(s) are unknown");
    }
    Set<ImageId> running = runningImages(pods, log);

    ImageGcResult result;
    try (ImageStore store = ctx.openImageStore()) {
      // An image a running pod uses is in use now, whatever its last use says: mark it used,
      // and make the grace period at least as long as the time since then, so that even
      // --grace-period=0s spares it (images used within that second are spared too).
      Instant touched = Instant.now();
      boolean touchedAny = false;
      for (ImageId id : running) {
        if (store.get(id).isPresent()) {
          store.touch(id);
          touchedAny = true;
        }
      }
      Set<String> keep = refs.complete() ? new PodsSince(refs.treeIds(), pods, podsBefore)
          : new EveryTree(store.casDir());
      Duration sinceTouch = Duration.between(touched, Instant.now()).plus(TOUCH_MARGIN);
      Duration imageGrace = touchedAny && grace.compareTo(sinceTouch) < 0 ? sinceTouch : grace;
      result = store.gc(imageGrace, keep, TMP_GRACE);
    } catch (StoreIoException e) {
      throw new CliException(e.getMessage(), e);
    }
    for (String tree : result.removedTrees()) {
      log.accept("removed treestore \"" + tree + "\"");
    }
    for (String leftover : result.removedLeftovers()) {
      log.accept("removed leftover \"" + leftover + "\"");
    }
    for (ImageId id : result.removedImages()) {
      ctx.out().println("successfully removed aci for image: \"" + id + "\"");
    }
    ImageRmCommand.report(ctx, name(), result.removedImages().size(), 0);
    for (String error : result.errors()) {
      log.accept(error);
    }
    return result.errors().isEmpty() ? 0 : 254;
  }

  /**
   * Every tree in the tree store ({@code cas/tree/<id>}), as a live view: a tree rendered while
   * the gc runs (say, for the pod being prepared) is in it too. What to keep when some pod's
   * references are unknown.
   */
  static final class EveryTree extends AbstractSet<String> {
    private final Path treeRoot;

    EveryTree(Path casDir) {
      this.treeRoot = casDir.resolve("tree");
    }

    @Override
    public boolean contains(Object o) {
      return o instanceof String name && !name.isEmpty() && !name.contains("/")
          && Files.exists(treeRoot.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }

    @Override
    public int size() {
      return names().size();
    }

    private List<String> names() {
      List<String> names = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(treeRoot)) {
        for (Path t : ds) {
          names.add(t.getFileName().toString());
        }
      } catch (NoSuchFileException e) {
        return names;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + treeRoot, e);
      }
      return names;
    }
  }

  private static Duration gracePeriod(String value) throws CliException {
    Duration d;
    try {
      d = Durations.parse(value);
    } catch (Durations.DurationException e) {
      throw new CliException("--grace-period: " + e.getMessage(), e);
    }
    if (d.isNegative()) {
      throw new CliException("--grace-period: must not be negative, got " + value);
    }
    return d;
  }

  /**
   * The images of running pods, from their pod manifests. A manifest that cannot be read is
   * reported and skipped: its pod keeps running on its own copy (or tree) either way.
   */
  static Set<ImageId> runningImages(PodStore pods, Consumer<String> log) {
    Set<ImageId> ids = new LinkedHashSet<>();
    List<Pod> all;
    try {
      all = pods.list();
    } catch (PodException e) {
      log.accept("cannot list pods: " + e.getMessage());
      return ids;
    }
    for (Pod pod : all) {
      if (pod.state() != PodState.RUNNING) {
        continue;
      }
      try {
        Map<String, Object> manifest = Json.asObject(Json.parse(pod.manifestBytes()), "pod");
        Object apps = manifest.get("apps");
        for (Object app : apps == null ? List.of() : Json.asArray(apps, "apps")) {
          Object image = Json.asObject(app, "apps[]").get("image");
          Object id = image == null ? null : Json.asObject(image, "image").get("id");
          ids.add(ImageId.parse(Json.asString(id, "image.id")));
        }
      } catch (PodException | JsonException | AppcException e) {
        log.accept("cannot get the images of running pod \"" + pod.uuid() + "\": "
            + e.getMessage());
      }
    }
    return ids;
  }
}
