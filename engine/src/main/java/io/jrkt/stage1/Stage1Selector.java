package io.jrkt.stage1;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Chooses the stage1 image for a pod from the stage1 flags, the {@code stage1} configuration
 * and the images shipped next to the launcher. Files are imported into the store once and then
 * found again through the {@link Stage1ImportCache}, so a run never hashes an unchanged stage1.
 */
public final class Stage1Selector {
  /** rkt's build-time default: the systemd-nspawn flavor of the same release. */
  static final String DEFAULT_NAME = Stage1Flavor.COREOS.imageName();

  private final Stage1Catalog catalog;
  private final Stage1ImportCache cache;
  private final Path binDir;
  private final Stage1Config config;
  private final String defaultVersion;
  private final Consumer<String> debug;

  /**
   * @param binDir the launcher's directory, where the bundled stage1 images are
   * @param defaultVersion the version label of the built-in default ({@code 1.30.0})
   * @param debug receives notes for {@code --debug}
   */
  public Stage1Selector(Stage1Catalog catalog, Stage1ImportCache cache, Path binDir,
      Stage1Config config, String defaultVersion, Consumer<String> debug) {
    this.catalog = catalog;
    this.cache = cache;
    this.binDir = binDir;
    this.config = config;
    this.defaultVersion = defaultVersion;
    this.debug = debug;
  }

  public Stage1Choice select(Stage1Request request) throws Stage1Exception {
    if (request instanceof Stage1Request.ByName) {
      Stage1Request.ByName n = (Stage1Request.ByName) request;
      return byName(n.name(), n.version(), "--stage1-name=" + n);
    }
    if (request instanceof Stage1Request.ByHash) {
      String hash = ((Stage1Request.ByHash) request).hash();
      Stage1Image img = catalog.byId(hash).orElseThrow(() -> new Stage1Exception(
          "--stage1-hash=" + hash + ": no such image in the store (fetch it first)"));
      return Stage1Choice.of(img, "--stage1-hash");
    }
    if (request instanceof Stage1Request.ByPath) {
      Path file = ((Stage1Request.ByPath) request).file();
      return fromFile(file, "--stage1-path=" + file);
    }
    if (request instanceof Stage1Request.FromDir) {
      String name = ((Stage1Request.FromDir) request).fileName();
      return fromFile(binDir.resolve(name), "--stage1-from-dir=" + name);
    }
    if (request instanceof Stage1Request.ByUrl) {
      String url = ((Stage1Request.ByUrl) request).url();
      return fromFile(fileOfUrl(url, "--stage1-url"), "--stage1-url=" + url);
    }
    return byDefault();
  }

  private Stage1Choice byDefault() throws Stage1Exception {
    if (!config.isEmpty()) {
      String what = "configured default (stage1.d)";
      if (config.name().isPresent()) {
        Optional<Stage1Image> img = catalog.byName(config.name().get(), config.version());
        if (img.isPresent()) {
          return Stage1Choice.of(img.get(), what + ", found in the store by name");
        }
      }
      if (config.location().isPresent()) {
        String loc = config.location().get();
        Path file = loc.startsWith("/") ? Path.of(loc) : fileOfUrl(loc, "stage1 location");
        return fromFile(file, what + ", location " + loc);
      }
      throw new Stage1Exception("the configured default stage1 " + config.name().get()
          + config.version().map(v -> ":" + v).orElse("")
          + " is not in the store and no location is configured");
    }
    // The bundled image is this build's own stage1, whatever its version label says.
    Optional<Stage1Choice> coreos = tryByName(DEFAULT_NAME, Optional.empty(),
        Optional.of(defaultVersion), "default stage1");
    if (coreos.isPresent()) {
      return coreos.get();
    }
    debug.accept("default stage1 " + DEFAULT_NAME + ":" + defaultVersion
        + " is neither next to jrkt (" + binDir.resolve(Stage1Flavor.COREOS.bundledFile().get())
        + ") nor in the store; falling back to " + Stage1Flavor.FLY.imageName());
    return byName(Stage1Flavor.FLY.imageName(), Optional.empty(),
        "fallback for the missing default " + DEFAULT_NAME);
  }

  private Stage1Choice byName(String name, Optional<String> version, String why)
      throws Stage1Exception {
    Optional<Stage1Choice> c = tryByName(name, version, version, why);
    if (c.isPresent()) {
      return c.get();
    }
    String bundled = Stage1Flavor.known(name).flatMap(Stage1Flavor::bundledFile)
        .map(f -> " and " + binDir.resolve(f) + " does not provide it").orElse("");
    throw new Stage1Exception("stage1 " + name + version.map(v -> ":" + v).orElse("")
        + " (" + why + ") is not in the store" + bundled);
  }

  /**
   * A known flavor's image next to the launcher wins when it matches (it is what this jrkt was
   * built with); otherwise the store is searched by name.
   */
  private Optional<Stage1Choice> tryByName(String name, Optional<String> version,
      Optional<String> storeVersion, String why) throws Stage1Exception {
    Optional<String> bundled = Stage1Flavor.known(name).flatMap(Stage1Flavor::bundledFile);
    if (bundled.isPresent()) {
      Path file = binDir.resolve(bundled.get());
      if (Files.isRegularFile(file)) {
        Stage1Image img = cache.importCached(file, catalog);
        boolean versionOk = version.isEmpty() || version.equals(img.manifest().version());
        if (img.name().equals(name) && versionOk) {
          return Optional.of(Stage1Choice.of(img, why + ", from " + file + importNote()));
        }
        debug.accept(file + " holds " + img.displayName() + ", not " + name
            + version.map(v -> ":" + v).orElse("") + "; looking in the store");
      }
    }
    return catalog.byName(name, storeVersion)
        .map(img -> Stage1Choice.of(img, why + ", found in the store by name"));
  }

  private Stage1Choice fromFile(Path file, String why) throws Stage1Exception {
    Stage1Image img = cache.importCached(file, catalog);
    return Stage1Choice.of(img, why + importNote());
  }

  private String importNote() {
    return cache.lastWasHit() ? " (imported before, unchanged)" : " (imported into the store now)";
  }

  /** The file of a {@code file://} URL; other schemes are not supported yet. */
  static Path fileOfUrl(String url, String what) throws Stage1Exception {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new Stage1Exception(what + "=" + url + ": not a URL: " + e.getReason());
    }
    if (!"file".equals(uri.getScheme())) {
      throw new Stage1Exception(what + "=" + url + ": only file:// URLs are supported for now; "
          + "use --stage1-path, or fetch the image and use --stage1-hash");
    }
    if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
      throw new Stage1Exception(what + "=" + url + ": a file URL needs an absolute path");
    }
    return Path.of(uri.getPath());
  }
}
