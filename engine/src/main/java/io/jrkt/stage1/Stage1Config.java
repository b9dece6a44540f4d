package io.jrkt.stage1;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default stage1 from configuration: files of kind {@code stage1} in
 * {@code <system-config>/stage1.d/*.json} and then {@code <local-config>/stage1.d/*.json}
 * ({@code {"rktKind":"stage1","rktVersion":"v1","name":...,"version":...,"location":...}}).
 * Files are read in name order; a later file's fields replace earlier ones.
 *
 * @param location an absolute path or a URL of the default stage1 image
 */
public record Stage1Config(Optional<String> name, Optional<String> version,
    Optional<String> location) {

  public static final Stage1Config NONE =
      new Stage1Config(Optional.empty(), Optional.empty(), Optional.empty());

  public boolean isEmpty() {
    return name.isEmpty() && location.isEmpty();
  }

  /** Reads the configuration of the given directories, lowest priority first. */
  public static Stage1Config load(List<Path> configDirs) throws Stage1Exception {
    Stage1Config c = NONE;
    for (Path dir : configDirs) {
      if (dir == null) {
        continue;
      }
      Path d = dir.resolve("stage1.d");
      if (!Files.isDirectory(d)) {
        continue;
      }
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(d, "*.json")) {
        s.forEach(files::add);
      } catch (IOException e) {
        throw new Stage1Exception("cannot read stage1 configuration " + IoErrors.describe(e), e);
      }
      files.sort(null);
      for (Path f : files) {
        c = c.merge(parse(f));
      }
    }
    return c;
  }

  private Stage1Config merge(Stage1Config later) {
    return new Stage1Config(later.name.or(() -> name), later.version.or(() -> version),
        later.location.or(() -> location));
  }

  static Stage1Config parse(Path file) throws Stage1Exception {
    Object json;
    try {
      json = Json.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new Stage1Exception("cannot read stage1 configuration " + IoErrors.describe(e), e);
    } catch (JsonException e) {
      throw new Stage1Exception("stage1 configuration " + file + ": not valid JSON: "
          + e.getMessage(), e);
    }
    if (!(json instanceof Map)) {
      throw new Stage1Exception("stage1 configuration " + file + ": not a JSON object");
    }
    Map<?, ?> m = (Map<?, ?>) json;
    if (!"stage1".equals(m.get("rktKind"))) {
      throw new Stage1Exception("stage1 configuration " + file
          + ": rktKind must be \"stage1\", got " + Json.write(m.get("rktKind")));
    }
    if (!"v1".equals(m.get("rktVersion"))) {
      throw new Stage1Exception("stage1 configuration " + file
          + ": rktVersion must be \"v1\", got " + Json.write(m.get("rktVersion")));
    }
    Optional<String> name = string(file, m, "name");
    Optional<String> version = string(file, m, "version");
    Optional<String> location = string(file, m, "location");
    if (version.isPresent() && name.isEmpty()) {
      throw new Stage1Exception("stage1 configuration " + file + ": version without name");
    }
    if (location.isPresent() && !location.get().startsWith("/")
        && !location.get().contains("://")) {
      throw new Stage1Exception("stage1 configuration " + file + ": location \""
          + location.get() + "\" must be an absolute path or a URL");
    }
    return new Stage1Config(name, version, location);
  }

  private static Optional<String> string(Path file, Map<?, ?> m, String key)
      throws Stage1Exception {
    Object v = m.get(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String) || ((String) v).isEmpty()) {
      throw new Stage1Exception("stage1 configuration " + file + ": " + key
          + " must be a non-empty string");
    }
    return Optional.of((String) v);
  }
}
