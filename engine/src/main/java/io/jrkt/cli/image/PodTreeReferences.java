package io.jrkt.cli.image;

import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodNotFoundException;
import io.jrkt.pod.PodState;
import io.jrkt.pod.PodStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The tree-store entries pods use, for {@code image gc}: each pod records them in
 * {@code stage1TreeStoreID} and (with overlay) {@code appsinfo/<app>/treeStoreID}.
 *
 * <p>A pod that cannot be read must not stop the gc (rkt#2242), and must not lose a tree it may
 * use either: such a pod makes the result incomplete, and the caller then keeps every tree. A pod
 * still being prepared counts as unreadable, since it may not have recorded its trees yet.
 */
final class PodTreeReferences {
  static final String STAGE1_TREE_ID_FILE = "stage1TreeStoreID";
  static final String APP_TREE_ID_FILE = "treeStoreID";
  static final String APPS_INFO_DIR = "appsinfo";
  static final String OVERLAY_MARKER = "overlay-prepared";
  private static final Pattern TREE_ID = Pattern.compile("^deps-sha512-[0-9a-f]{64}$");

  /**
   * @param treeIds the tree-store ids the readable pods use
   * @param unreadable one line per pod whose references are unknown; empty when complete
   */
  record Result(Set<String> treeIds, List<String> unreadable) {
    Result {
      treeIds = Set.copyOf(treeIds);
      unreadable = List.copyOf(unreadable);
    }

    boolean complete() {
      return unreadable.isEmpty();
    }
  }

  private PodTreeReferences() {}

  /** Reads the references of every pod; each unreadable pod is also reported to {@code log}. */
  static Result read(PodStore pods, Consumer<String> log) {
    Set<String> ids = new TreeSet<>();
    List<String> unreadable = new ArrayList<>();
    List<Pod> all;
    try {
      all = pods.list();
    } catch (PodException e) {
      String problem = "cannot list pods: " + e.getMessage();
      log.accept(problem);
      return new Result(ids, List.of(problem));
    }
    for (Pod pod : all) {
      try {
        ids.addAll(treeIdsWithRetry(pods, pod));
      } catch (UnreadablePodException e) {
        log.accept(e.getMessage());
        unreadable.add(e.getMessage());
      }
    }
    return new Result(ids, unreadable);
  }

  /**
   * A pod's references. Pods move between state directories while we read; a pod whose directory
   * vanished is looked up once more where it went.
   */
  private static List<String> treeIdsWithRetry(PodStore pods, Pod pod)
      throws UnreadablePodException {
    try {
      return treeIds(pod);
    } catch (PodVanishedException e) {
      Pod moved;
      try {
        moved = pods.get(pod.uuid());
      } catch (PodNotFoundException gone) {
        return List.of(); // deleted meanwhile: it uses nothing any more
      } catch (PodException other) {
        throw new UnreadablePodException(pod, other.getMessage());
      }
      try {
        return treeIds(moved);
      } catch (PodVanishedException again) {
        throw new UnreadablePodException(moved, "its directory keeps moving");
      }
    }
  }

  /** The tree ids {@code pod} records, by its state. */
  static List<String> treeIds(Pod pod) throws UnreadablePodException, PodVanishedException {
    PodState state = pod.state();
    switch (state) {
      case EMBRYO:
      case GARBAGE:
      case DELETING:
        // Not yet preparing, or never ran and being removed: no tree is needed.
        return List.of();
      case PREPARING:
        throw new UnreadablePodException(pod, "it is being prepared and may not have recorded"
            + " its trees yet");
      default:
        break;
    }
    Path dir = pod.dir();
    if (!Files.isDirectory(dir)) {
      throw new PodVanishedException();
    }
    List<String> ids = new ArrayList<>();
    ids.add(readId(pod, dir.resolve(STAGE1_TREE_ID_FILE)));
    boolean overlay = Files.exists(dir.resolve(OVERLAY_MARKER));
    Path appsInfo = dir.resolve(APPS_INFO_DIR);
    try (DirectoryStream<Path> apps = Files.newDirectoryStream(appsInfo)) {
      for (Path app : apps) {
        Path idFile = app.resolve(APP_TREE_ID_FILE);
        // Without overlay the apps' trees were copied into the pod; only overlay pods use them.
        if (overlay || Files.exists(idFile)) {
          ids.add(readId(pod, idFile));
        }
      }
    } catch (NoSuchFileException e) {
      if (!Files.isDirectory(dir)) {
        throw new PodVanishedException();
      }
      // No apps recorded (an empty pod, or apps not prepared with overlay).
    } catch (IOException e) {
      throw new UnreadablePodException(pod, "cannot list " + appsInfo + ": " + describe(e));
    }
    return ids;
  }

  private static String readId(Pod pod, Path file)
      throws UnreadablePodException, PodVanishedException {
    String id;
    try {
      id = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      if (!Files.isDirectory(pod.dir())) {
        throw new PodVanishedException();
      }
      throw new UnreadablePodException(pod, file + " is missing");
    } catch (IOException e) {
      throw new UnreadablePodException(pod, "cannot read " + file + ": " + describe(e));
    }
    if (!TREE_ID.matcher(id).matches()) {
      throw new UnreadablePodException(pod, file + " does not hold a tree-store id");
    }
    return id;
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** A pod whose tree references cannot be known. */
  static final class UnreadablePodException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadablePodException(Pod pod, String reason) {
      super("cannot get the trees of pod \"" + pod.uuid() + "\" (" + pod.state().label() + "): "
          + reason);
    }
  }

  /** The pod's directory moved away (to the next state) while it was being read. */
  static final class PodVanishedException extends Exception {
    private static final long serialVersionUID = 1L;

    PodVanishedException() {
      super(null, null, false, false);
    }
  }
}
