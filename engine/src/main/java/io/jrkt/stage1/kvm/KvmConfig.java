package io.jrkt.stage1.kvm;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import io.jrkt.stage1.ArgsException;
import io.jrkt.stage1.IoErrors;
import io.jrkt.stage1.Stage1Exception;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The operator's stage1-kvm settings: files of kind {@code stage1-kvm} in
 * {@code <system-config>/stage1-kvm.d/*.json}, then {@code <local-config>/stage1-kvm.d/*.json}
 * ({@code {"rktKind":"stage1-kvm","rktVersion":"v1","accel":"auto","bootTimeoutSeconds":60}}).
 * Files are read in name order; a later file's fields replace earlier ones.
 *
 * @param accel the accelerator setting, with the file it came from
 */
public record KvmConfig(Optional<Setting> accel, OptionalLong bootTimeoutSeconds) {
  public static final KvmConfig NONE = new KvmConfig(Optional.empty(), OptionalLong.empty());
  public static final String DIR = "stage1-kvm.d";

  /** An accelerator setting and the file that made it. */
  public record Setting(KvmAccel accel, Path file) {}

  public static KvmConfig load(List<Path> configDirs) throws Stage1Exception {
    KvmConfig c = NONE;
    for (Path dir : configDirs) {
      if (dir == null || !Files.isDirectory(dir.resolve(DIR))) {
        continue;
      }
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.resolve(DIR), "*.json")) {
        s.forEach(files::add);
      } catch (IOException e) {
        throw new Stage1Exception("cannot read stage1-kvm configuration " + IoErrors.describe(e),
            e);
      }
      files.sort(null);
      for (Path f : files) {
        KvmConfig later = parse(f);
        KvmConfig earlier = c;
        c = new KvmConfig(later.accel.or(() -> earlier.accel),
            later.bootTimeoutSeconds.isPresent() ? later.bootTimeoutSeconds
                : earlier.bootTimeoutSeconds);
      }
    }
    return c;
  }

  static KvmConfig parse(Path file) throws Stage1Exception {
    Object json;
    try {
      json = Json.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new Stage1Exception("cannot read stage1-kvm configuration " + IoErrors.describe(e), e);
    } catch (JsonException e) {
      throw new Stage1Exception("stage1-kvm configuration " + file + ": not valid JSON: "
          + e.getMessage(), e);
    }
    if (!(json instanceof Map)) {
      throw new Stage1Exception("stage1-kvm configuration " + file + ": not a JSON object");
    }
    Map<?, ?> m = (Map<?, ?>) json;
    if (!"stage1-kvm".equals(m.get("rktKind")) || !"v1".equals(m.get("rktVersion"))) {
      throw new Stage1Exception("stage1-kvm configuration " + file
          + ": want \"rktKind\": \"stage1-kvm\" and \"rktVersion\": \"v1\"");
    }
    Optional<Setting> accel = Optional.empty();
    Object a = m.get("accel");
    if (a != null) {
      try {
        accel = Optional.of(new Setting(KvmAccel.parse(file + ": accel",
            a instanceof String ? (String) a : Json.write(a)), file));
      } catch (ArgsException e) {
        throw new Stage1Exception("stage1-kvm configuration " + e.getMessage(), e);
      }
    }
    OptionalLong timeout = OptionalLong.empty();
    Object t = m.get("bootTimeoutSeconds");
    if (t != null) {
      if (!(t instanceof Number) || ((Number) t).doubleValue() != ((Number) t).longValue()
          || ((Number) t).longValue() < 1 || ((Number) t).longValue() > 3600) {
        throw new Stage1Exception("stage1-kvm configuration " + file
            + ": bootTimeoutSeconds must be a whole number of seconds from 1 to 3600");
      }
      timeout = OptionalLong.of(((Number) t).longValue());
    }
    return new KvmConfig(accel, timeout);
  }
}
