package io.jrkt.stage1;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which stage1 the user asked for: one of the mutually exclusive stage1 flags, or none. */
public sealed interface Stage1Request {
  /** {@code --stage1-name=NAME[:VERSION]}. */
  record ByName(String name, Optional<String> version) implements Stage1Request {
    public static ByName parse(String text) throws ArgsException {
      int colon = text.indexOf(':');
      String name = colon < 0 ? text : text.substring(0, colon);
      Optional<String> version = colon < 0 ? Optional.empty()
          : Optional.of(text.substring(colon + 1));
      if (!io.jrkt.appc.AcIdentifier.isValid(name)) {
        throw new ArgsException("--stage1-name=" + text + ": \"" + name
            + "\" is not a valid image name");
      }
      if (version.isPresent() && version.get().isEmpty()) {
        throw new ArgsException("--stage1-name=" + text + ": empty version after ':'");
      }
      return new ByName(name, version);
    }

    @Override
    public String toString() {
      return name + version.map(v -> ":" + v).orElse("");
    }
  }

  /** {@code --stage1-path=FILE}. */
  record ByPath(Path file) implements Stage1Request {}

  /** {@code --stage1-hash=sha512-...}. */
  record ByHash(String hash) implements Stage1Request {}

  /** {@code --stage1-from-dir=FILENAME}: a file in the directory of the jrkt launcher. */
  record FromDir(String fileName) implements Stage1Request {}

  /** {@code --stage1-url=URL}. */
  record ByUrl(String url) implements Stage1Request {}

  /** No stage1 flag: the configured or built-in default. */
  record Default() implements Stage1Request {}

  /**
   * The request the stage1 flags make; at most one may be given (null or empty = not given).
   */
  static Stage1Request fromFlags(String name, String path, String hash, String fromDir,
      String url) throws ArgsException {
    List<String> given = new ArrayList<>();
    if (name != null) {
      given.add("--stage1-name");
    }
    if (path != null) {
      given.add("--stage1-path");
    }
    if (hash != null) {
      given.add("--stage1-hash");
    }
    if (fromDir != null) {
      given.add("--stage1-from-dir");
    }
    if (url != null) {
      given.add("--stage1-url");
    }
    if (given.size() > 1) {
      throw new ArgsException(String.join(" and ", given) + " exclude each other; give one");
    }
    if (name != null) {
      return ByName.parse(name);
    }
    if (path != null) {
      if (path.isEmpty()) {
        throw new ArgsException("--stage1-path must not be empty");
      }
      return new ByPath(Path.of(path));
    }
    if (hash != null) {
      if (!hash.startsWith("sha512-") || hash.length() < "sha512-".length() + 2) {
        throw new ArgsException("--stage1-hash=" + hash
            + ": want an image id like sha512-<hex digits>");
      }
      return new ByHash(hash);
    }
    if (fromDir != null) {
      if (fromDir.isEmpty() || fromDir.contains("/") || fromDir.equals("..")
          || fromDir.equals(".")) {
        throw new ArgsException("--stage1-from-dir=" + fromDir
            + ": want a file name (like stage1-fly.aci), not a path");
      }
      return new FromDir(fromDir);
    }
    if (url != null) {
      if (url.isEmpty()) {
        throw new ArgsException("--stage1-url must not be empty");
      }
      return new ByUrl(url);
    }
    return new Default();
  }
}
