package io.jrkt.stage1;

import io.jrkt.appc.AcName;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.pod.NewPod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.Stage1Entrypoints;
import io.jrkt.store.ImageInfo;
import io.jrkt.store.ImageNotFoundException;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreException;
import io.jrkt.store.StoreIoException;
import io.jrkt.store.TreeRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The part of {@code run} and {@code prepare} before the hand-off: chooses the stage1, finds the
 * images, builds the pod manifest and the run plan, and writes a new pod directory. Everything
 * that can be checked without a pod is checked first, except when a {@link Sidecar} starts
 * early (a {@code run}'s network for a pod without ports): its pod is made once the stage1 is
 * chosen, so that the sidecar's work runs beside the images' resolution. A failure after the
 * pod was created undoes the sidecar's work and removes the directory, so no half-written pod
 * is left behind.
 */
public final class PodSetup {
  private static final long TOUCH_INTERVAL_SECONDS = 60;

  /**
   * What to prepare.
   *
   * @param args the apps and pod flags; empty with {@code --pod-manifest}
   * @param podManifest {@code --pod-manifest}
   * @param uuidFileSave {@code --uuid-file-save}
   * @param dns DNS and hosts options (run only)
   */
  public record Request(Optional<PodArgs> args, Optional<Path> podManifest,
      Stage1Request stage1, Optional<Path> uuidFileSave, DnsConfig dns, boolean noOverlay) {
    /** A request for overlays where they are available. */
    public Request(Optional<PodArgs> args, Optional<Path> podManifest, Stage1Request stage1,
        Optional<Path> uuidFileSave, DnsConfig dns) {
      this(args, podManifest, stage1, uuidFileSave, dns, false);
    }

    /** The same request with {@code --no-overlay} as given. */
    public Request withNoOverlay(boolean value) {
      return new Request(args, podManifest, stage1, uuidFileSave, dns, value);
    }
  }

  /**
   * Work that may start as soon as the pod's directory exists, and run beside the rest of the
   * preparation (the pod's network set-up). Its records live in the pod directory, so the caller
   * must let it finish before the pod moves.
   */
  public interface Sidecar {
    Sidecar NONE = new Sidecar() {
      @Override
      public void start(Path podDir, String uuid, PodManifest manifest, Stage1Flavor flavor) {}

      @Override
      public boolean undo() {
        return true;
      }
    };

    /**
     * Starts the work for the new, locked pod (called once, from the preparing thread).
     *
     * @param manifest the pod's manifest; null when the work starts before the images are
     *     resolved ({@link #startsEarly}), which happens only for a pod that exposes no ports
     */
    void start(Path podDir, String uuid, PodManifest manifest, Stage1Flavor flavor);

    /**
     * Whether the work is worth starting as soon as the stage1 is chosen, before the images are
     * resolved: the pod directory is then made first, and removed again if a later step fails.
     */
    default boolean startsEarly(Stage1Flavor flavor) {
      return false;
    }

    /**
     * The preparation failed: waits for the work and undoes it. False if something it made is
     * still recorded in the pod directory (then the directory must stay for gc).
     */
    boolean undo();
  }

  /**
   * A prepared pod, still locked by this process (state "preparing").
   *
   * @param runDir where the pod directory will be while it runs; the run plan refers to it
   */
  public record Prepared(NewPod pod, Stage1Choice stage1, Stage1Entrypoints entrypoints,
      PodManifest manifest, Path runDir) {}

  private final ImageStore store;
  private final PodStore pods;
  private final Stage1Selector selector;
  private final ImageArgResolver images;
  private final PodManifestGenerator generator;
  private final Consumer<String> debug;
  private final Consumer<String> warn;
  private final io.jrkt.stage1.kvm.KvmSettings kvm;

  public PodSetup(ImageStore store, PodStore pods, Stage1Selector selector,
      ImageArgResolver images, PodManifestGenerator generator, Consumer<String> debug,
      Consumer<String> warn) {
    this(store, pods, selector, images, generator, debug, warn,
        io.jrkt.stage1.kvm.KvmSettings.DEFAULT);
  }

  /** @param kvm what the run or prepare says about VM pods (stage1-kvm) */
  public PodSetup(ImageStore store, PodStore pods, Stage1Selector selector,
      ImageArgResolver images, PodManifestGenerator generator, Consumer<String> debug,
      Consumer<String> warn, io.jrkt.stage1.kvm.KvmSettings kvm) {
    this.kvm = kvm;
    this.store = store;
    this.pods = pods;
    this.selector = selector;
    this.images = images;
    this.generator = generator;
    this.debug = debug;
    this.warn = warn;
  }

  public Prepared prepare(Request r) throws Stage1Exception, ArgsException {
    return prepare(r, Sidecar.NONE);
  }

  /** Prepares the pod, with {@code sidecar} started as soon as its directory exists. */
  public Prepared prepare(Request r, Sidecar sidecar) throws Stage1Exception, ArgsException {
    PodManifest given = r.podManifest().isPresent() ? readPodManifest(r.podManifest().get())
        : null;
    Stage1Request stage1Request = r.stage1();
    if (given != null) {
      Optional<String> override = PodManifestGenerator.stage1Override(given);
      if (override.isPresent()) {
        debug.accept("the pod manifest asks for stage1 " + override.get() + " ("
            + PodManifestGenerator.STAGE1_OVERRIDE_ANNOTATION + ")");
        stage1Request = Stage1Request.ByName.parse(override.get());
      } else if (stage1Request instanceof Stage1Request.Default) {
        stage1Request = io.jrkt.stage1.kvm.UntrustedWorkload.select(given, kvm, debug)
            .orElse(stage1Request);
      }
    }
    Stage1Choice stage1 = selector.select(stage1Request);
    debug.accept(stage1.describe());
    Stage1Entrypoints entrypoints;
    try {
      entrypoints = Stage1Entrypoints.of(stage1.image().manifest());
      entrypoints.runPath(Path.of("/")); // a stage1 without a run entrypoint cannot run a pod
    } catch (PodException e) {
      throw new Stage1Exception(e.getMessage(), e);
    }
    int appCount = given != null ? given.apps().size() : r.args().get().apps().size();
    stage1.flavor().checkAppCount(appCount);

    // A pod that exposes no ports needs nothing of its images for its network, whose set-up
    // (plugin processes, ~50-100 ms) then runs beside the images' resolution too.
    boolean exposesPorts = given != null ? !given.ports().isEmpty()
        : !r.args().get().ports().isEmpty();
    NewPod pod = null;
    try {
      if (!exposesPorts && sidecar.startsEarly(stage1.flavor())) {
        pod = createPod(r);
        sidecar.start(pod.dir(), pod.uuid().value(), null, stage1.flavor());
      }
      Resolved res = resolve(r, given, stage1, pod != null);
      if (pod == null) {
        pod = createPod(r);
        sidecar.start(pod.dir(), pod.uuid().value(), res.manifest, stage1.flavor());
      }
      return prepareResolved(r, pod, stage1, entrypoints, res);
    } catch (Stage1Exception | ArgsException e) {
      if (pod != null) {
        giveUp(pod, sidecar);
      }
      throw e;
    } catch (IOException | RuntimeException e) {
      if (pod == null && e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      giveUp(pod, sidecar);
      throw new Stage1Exception("cannot prepare pod " + pod.uuid() + ": "
          + (e instanceof IOException ? IoErrors.describe((IOException) e) : e.getMessage()), e);
    }
  }

  /** The images and manifests of a pod, found before its directory is made (or beside it). */
  private static final class Resolved {
    PodManifest manifest;
    final Map<AcName, ImageManifest> manifests = new HashMap<>();
    TreeInfo stage1Tree;
    final Map<AcName, TreeInfo> trees = new HashMap<>();
    io.jrkt.stage1.kvm.KvmPodPlanner vm;
    io.jrkt.stage1.kvm.KvmPodPlanner.Preflight vmChecked;
    /** Whether the trees were found under their locks, with the pod already made. */
    boolean treesLocked;
  }

  /** @param podExists whether the pod directory is made already (trees are then locked) */
  private Resolved resolve(Request r, PodManifest given, Stage1Choice stage1, boolean podExists)
      throws Stage1Exception, ArgsException {
    Resolved res = new Resolved();
    res.treesLocked = podExists;
    if (given != null) {
      res.manifest = generator.complete(given, stage1.image().name());
      for (RuntimeApp ra : res.manifest.apps()) {
        res.manifests.put(ra.name(), storedManifest(ra));
      }
    } else {
      PodArgs args = r.args().get();
      List<ResolvedImage> resolved = new ArrayList<>();
      for (AppArgs a : args.apps()) {
        resolved.add(images.resolve(a.image()));
      }
      res.manifest = generator.generate(args, resolved, stage1.image().name());
      for (int i = 0; i < resolved.size(); i++) {
        res.manifests.put(res.manifest.apps().get(i).name(), resolved.get(i).manifest());
      }
    }
    HostVolumeSources.requireExisting(res.manifest);
    res.stage1Tree = tree(stage1.image().id(), "stage1 " + stage1.image().displayName(),
        podExists);
    if (stage1.flavor().equals(Stage1Flavor.KVM)) {
      res.vm = new io.jrkt.stage1.kvm.KvmPodPlanner(kvm,
          io.jrkt.stage1.kvm.HostVirt.probe(Path.of("/")), System.getenv("PATH"), debug, warn);
      res.vmChecked = res.vm.preflight(res.stage1Tree.rootfs());
      res.manifest = io.jrkt.stage1.kvm.KvmPodPlanner.annotate(res.manifest, res.vmChecked);
    }
    for (RuntimeApp ra : res.manifest.apps()) {
      res.trees.put(ra.name(), tree(ra.image().id(), "app \"" + ra.name() + "\"", podExists));
    }
    return res;
  }

  private NewPod createPod(Request r) throws Stage1Exception {
    NewPod pod;
    try {
      pod = pods.create();
    } catch (PodException e) {
      throw new Stage1Exception(e.getMessage(), e);
    }
    if (r.uuidFileSave().isPresent()) {
      try {
        saveUuid(r.uuidFileSave().get(), pod.uuid().value());
      } catch (Stage1Exception e) {
        abandon(pod);
        throw e;
      }
    }
    return pod;
  }

  private Prepared prepareResolved(Request r, NewPod pod, Stage1Choice stage1,
      Stage1Entrypoints entrypoints, Resolved res) throws Stage1Exception, IOException {
    PodManifest manifest = res.manifest;
    Map<AcName, TreeInfo> trees = res.trees;
    TreeInfo stage1Tree = res.stage1Tree;
    if (!res.treesLocked) {
      // Once more, under each tree's lock, now that the pod exists: image gc keeps every tree
      // while a pod is being prepared and asks again under the lock before it removes one, so
      // a tree found here stays as long as the pod records it (overlay lower layers).
      stage1Tree = tree(stage1.image().id(), "stage1 " + stage1.image().displayName(), true);
      for (RuntimeApp ra : manifest.apps()) {
        trees.put(ra.name(), tree(ra.image().id(), "app \"" + ra.name() + "\"", true));
      }
    }
    Path runDir = pod.dir().getParent().resolveSibling("run").resolve(pod.uuid().value());
    RunPlanner.Result plan = new RunPlanner(stage1.flavor(), runDir, null)
        .plan(manifest, res.manifests, app -> trees.get(app).rootfs());
    plan.warnings().forEach(warn);
    new PodPreparer(debug, stage1.flavor().linkedTreeFiles()).prepare(pod.dir(), manifest,
        stage1Tree, stage1.image().manifest(), res.manifests, trees, plan,
        useOverlay(r, stage1Tree, trees));
    if (res.vm != null) {
      res.vm.write(pod.dir(), runDir, pod.uuid().value(), manifest, res.manifests, plan.plan(),
          res.vmChecked);
    }
    r.dns().write(pod.dir());
    touch(stage1, manifest);
    return new Prepared(pod, stage1, entrypoints, manifest, runDir);
  }

  /**
   * The preparation of a created pod failed: its sidecar's work is undone and the pod removed,
   * or, when something is still recorded in it, left to gc as an aborted prepare.
   */
  private static void giveUp(NewPod pod, Sidecar sidecar) {
    if (sidecar.undo()) {
      abandon(pod);
    } else {
      pod.close();
    }
  }

  /** Whether the pod gets overlays: unless {@code --no-overlay}, when they work here. */
  private boolean useOverlay(Request r, TreeInfo stage1Tree, Map<AcName, TreeInfo> trees) {
    if (r.noOverlay()) {
      debug.accept("--no-overlay: copying the image trees into the pod");
      return false;
    }
    for (Map.Entry<AcName, TreeInfo> t : trees.entrySet()) {
      if (t.getValue().treeStoreId().equals(stage1Tree.treeStoreId())) {
        // Its layers would nest inside the stage1's (overlay/<id>/upper/<app>).
        debug.accept("app \"" + t.getKey() + "\" runs the stage1's own image; copying the"
            + " image trees into the pod");
        return false;
      }
    }
    Optional<String> why = OverlaySupport.unavailableReason(pods.podsDir());
    if (why.isPresent()) {
      debug.accept("overlayfs is not available, copying the image trees into the pod: "
          + why.get());
      return false;
    }
    return true;
  }

  /** Removes a pod this process created and still holds (nothing half-written stays). */
  public static void abandon(NewPod pod) {
    try {
      PodPreparer.deleteTree(pod.dir());
    } catch (IOException e) {
      // What is left is an unlocked prepare/ dir: an aborted prepare, which gc collects.
    }
    pod.close();
  }

  private static PodManifest readPodManifest(Path file) throws ArgsException {
    try {
      return PodManifest.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ArgsException("--pod-manifest: cannot read " + IoErrors.describe(e));
    } catch (AppcException e) {
      throw new ArgsException("--pod-manifest " + file + ": " + e.getMessage());
    }
  }

  private ImageManifest storedManifest(RuntimeApp ra) throws Stage1Exception {
    String id = ra.image().id().value();
    try {
      ImageInfo info = store.resolve(id);
      return store.manifest(info.id());
    } catch (ImageNotFoundException e) {
      throw new Stage1Exception("--pod-manifest: app \"" + ra.name() + "\": image " + id
          + " is not in the store (fetch it first)", e);
    } catch (StoreException | StoreIoException e) {
      throw new Stage1Exception("--pod-manifest: app \"" + ra.name() + "\": image " + id + ": "
          + e.getMessage(), e);
    }
  }

  private TreeInfo tree(io.jrkt.appc.ImageId id, String what, boolean underLock)
      throws Stage1Exception {
    try {
      TreeRef t = underLock ? store.treeUnderLock(id) : store.tree(id);
      return new TreeInfo(t.treeStoreId(), t.dir(), t.rootfs());
    } catch (StoreException | io.jrkt.aci.ImageException | StoreIoException e) {
      throw new Stage1Exception(what + ": cannot render image " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * Updates the images' last-used time, which {@code image list} shows and {@code image gc}
   * goes by; a time less than a minute old is left as it is, which spares frequent runs the
   * store's synced writes.
   */
  private void touch(Stage1Choice stage1, PodManifest manifest) {
    Instant stale = Instant.now().minusSeconds(TOUCH_INTERVAL_SECONDS);
    try {
      touchIfOlder(stage1.image().id(), stale);
      for (RuntimeApp ra : manifest.apps()) {
        touchIfOlder(ra.image().id(), stale);
      }
    } catch (StoreIoException e) {
      debug.accept("cannot update the images' last-used time: " + e.getMessage());
    }
  }

  private void touchIfOlder(io.jrkt.appc.ImageId id, Instant stale) {
    Optional<ImageInfo> info = store.get(id);
    if (info.isPresent() && info.get().lastUsed().isBefore(stale)) {
      store.touch(id);
    }
  }

  private static void saveUuid(Path file, String uuid) throws Stage1Exception {
    try {
      Files.write(file, uuid.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Stage1Exception("--uuid-file-save: cannot write " + IoErrors.describe(e), e);
    }
  }
}
