package io.jrkt.pod;

import io.jrkt.appc.AppcException;
import io.jrkt.appc.PodManifest;
import io.jrkt.appc.RuntimeApp;
import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A snapshot of one pod: its UUID, state and directory when looked at, and lazy readers for the
 * files in the pod directory. The pod may move on meanwhile; readers then report what is gone as
 * absent (or throw {@link PodNotFoundException} for the manifest).
 *
 * <p>Times: {@link #created} is the mtime of {@code pod-created}; {@link #started} is the mtime of
 * {@code pid} (else {@code ppid}), the file the stage1 writes once the pod's first process
 * exists, as in rkt.
 */
public final class Pod {
  static final String MANIFEST_FILE = "pod";
  static final String CREATED_FILE = "pod-created";
  static final String APP_LOCK_FILE = "pod.lck";
  static final String PID_FILE = "pid";
  static final String PPID_FILE = "ppid";
  static final String NET_INFO_FILE = "net-info.json";
  static final String OVERLAY_MARKER = "overlay-prepared";
  static final String STAGE1_TREE_ID_FILE = "stage1TreeStoreID";

  private final PodUuid uuid;
  private final PodState state;
  private final Path dir;
  private byte[] manifestBytes;
  private PodManifest manifest;

  Pod(PodUuid uuid, PodState state, Path dir) {
    this.uuid = uuid;
    this.state = state;
    this.dir = dir;
  }

  public PodUuid uuid() {
    return uuid;
  }

  public PodState state() {
    return state;
  }

  /** The pod directory, {@code pods/<state dir>/<uuid>}. */
  public Path dir() {
    return dir;
  }

  /** The raw {@code pod} manifest file. */
  public byte[] manifestBytes() throws PodException {
    if (manifestBytes == null) {
      Path f = dir.resolve(MANIFEST_FILE);
      try {
        manifestBytes = Files.readAllBytes(f);
      } catch (NoSuchFileException e) {
        throw new PodNotFoundException("pod \"" + uuid + "\" has no manifest (" + f
            + " is missing; state: " + state.label() + ")");
      } catch (IOException e) {
        throw new PodException("cannot read pod manifest " + f + ": " + e.getMessage(), e);
      }
    }
    return manifestBytes;
  }

  /** The parsed {@code pod} manifest (read once per snapshot). */
  public PodManifest manifest() throws PodException {
    if (manifest == null) {
      try {
        manifest = PodManifest.parse(manifestBytes());
      } catch (AppcException e) {
        throw new PodException("invalid manifest " + dir.resolve(MANIFEST_FILE) + ": "
            + e.getMessage(), e);
      }
    }
    return manifest;
  }

  /** Creation time: mtime of {@code pod-created}, falling back to the manifest's (older pods). */
  public Instant created() throws PodException {
    Optional<Instant> t = mtime(CREATED_FILE).or(() -> mtime(MANIFEST_FILE));
    if (t.isEmpty()) {
      // An embryo or a pod being deleted: the directory's own time is the best there is.
      return mtimeOfDir().orElseThrow(() -> new PodNotFoundException("pod \"" + uuid
          + "\" vanished (" + dir + ")"));
    }
    return t.get();
  }

  /** When the stage1 started the pod: mtime of {@code pid}, else {@code ppid}; empty if never. */
  public Optional<Instant> started() {
    return mtime(PID_FILE).or(() -> mtime(PPID_FILE));
  }

  /**
   * When gc marked the pod (moved it to exited-garbage/ or garbage/): the ctime of the pod
   * directory, which the rename set. Empty for pods not marked.
   */
  public Optional<Instant> gcMarkedAt() {
    if (state != PodState.EXITED_GARBAGE && state != PodState.EXITED_DELETING
        && state != PodState.GARBAGE && state != PodState.DELETING) {
      return Optional.empty();
    }
    return ctime(dir);
  }

  /**
   * The pod's first process (the one to enter): the {@code pid} file, or the single child of the
   * process in {@code ppid}. Empty when neither is known (yet).
   */
  public OptionalInt pid() {
    OptionalInt pid = readInt(dir.resolve(PID_FILE));
    if (pid.isPresent()) {
      return pid;
    }
    OptionalInt ppid = readInt(dir.resolve(PPID_FILE));
    return ppid.isPresent() ? ProcessTable.singleChild(ppid.getAsInt()) : OptionalInt.empty();
  }

  /**
   * The stage1 root to read files the stage1 wrote (status, journal): with overlay, the upper
   * layer {@code overlay/<stage1TreeStoreID>/upper}; else {@code stage1/rootfs}.
   */
  public Path stage1RootForReading() {
    if (Files.exists(dir.resolve(OVERLAY_MARKER))) {
      try {
        String id = Files.readString(dir.resolve(STAGE1_TREE_ID_FILE)).trim();
        if (!id.isEmpty() && !id.contains("/") && !id.startsWith(".")) {
          return dir.resolve("overlay").resolve(id).resolve("upper");
        }
      } catch (IOException e) {
        // No tree id recorded: fall back to the plain rootfs.
      }
    }
    return dir.resolve("stage1").resolve("rootfs");
  }

  /** The exit code the stage1 recorded for {@code app} ({@code rkt/status/<app>}), if any. */
  public OptionalInt appExitCode(String app) {
    if (app.isEmpty() || app.contains("/") || app.startsWith(".")) {
      return OptionalInt.empty();
    }
    return readInt(stage1RootForReading().resolve("rkt").resolve("status").resolve(app));
  }

  /**
   * The recorded exit codes of the pod's apps, in manifest order; apps without a status file
   * (still running, never started, or killed with the stage1) are left out.
   */
  public Map<String, Integer> appExitCodes() throws PodException {
    Map<String, Integer> codes = new LinkedHashMap<>();
    for (RuntimeApp app : manifest().apps()) {
      OptionalInt code = appExitCode(app.name().value());
      if (code.isPresent()) {
        codes.put(app.name().value(), code.getAsInt());
      }
    }
    return codes;
  }

  /**
   * The mtime of the stage1's per-app file {@code rkt/status/<name>}: with {@code name} = the app,
   * when it exited; with {@code <app>-created} / {@code <app>-started} (mutable pods), when it was
   * created or started. Empty if the file does not exist.
   */
  public Optional<Instant> appStatusTime(String name) {
    if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.getLastModifiedTime(stage1RootForReading().resolve("rkt")
          .resolve("status").resolve(name), LinkOption.NOFOLLOW_LINKS).toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the stage1's supervisor declared the pod ready: {@code rkt/supervisor-status} in the
   * stage1 root is a symlink to {@code ready}.
   */
  public boolean supervisorReady() {
    try {
      Path link = stage1RootForReading().resolve("rkt").resolve("supervisor-status");
      return Files.readSymbolicLink(link).toString().equals("ready");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** The networks from {@code net-info.json}; empty if the file is absent or unreadable. */
  public List<NetInfo> networks() {
    byte[] data;
    try {
      data = Files.readAllBytes(dir.resolve(NET_INFO_FILE));
    } catch (IOException e) {
      return List.of();
    }
    List<NetInfo> nets = new ArrayList<>();
    try {
      for (Object o : Json.asArray(Json.parse(data), NET_INFO_FILE)) {
        Map<String, Object> m = Json.asObject(o, "net-info.json entry");
        Object name = m.get("netName");
        if (name instanceof String) {
          nets.add(new NetInfo((String) name, str(m.get("ip")), str(m.get("ifName")),
              str(m.get("mask"))));
        }
      }
    } catch (JsonException e) {
      return List.of();
    }
    return List.copyOf(nets);
  }

  /** Raw net-info.json entries, for the JSON output of list/status; empty if absent. */
  public List<Object> networksJson() {
    try {
      return Json.asArray(Json.parse(Files.readAllBytes(dir.resolve(NET_INFO_FILE))),
          NET_INFO_FILE);
    } catch (IOException | JsonException e) {
      return List.of();
    }
  }

  private static String str(Object o) {
    return o instanceof String ? (String) o : "";
  }

  private Optional<Instant> mtime(String file) {
    try {
      FileTime t = Files.getLastModifiedTime(dir.resolve(file), LinkOption.NOFOLLOW_LINKS);
      return Optional.of(t.toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Optional<Instant> mtimeOfDir() {
    try {
      return Optional.of(Files.readAttributes(dir, BasicFileAttributes.class).lastModifiedTime()
          .toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static Optional<Instant> ctime(Path p) {
    try {
      FileTime t = (FileTime) Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
      return Optional.of(t.toInstant());
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static OptionalInt readInt(Path f) {
    try {
      String s = new String(Files.readAllBytes(f), StandardCharsets.US_ASCII).trim();
      return s.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(s));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  @Override
  public String toString() {
    return "pod " + uuid + " (" + state.label() + ")";
  }
}
