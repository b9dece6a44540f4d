package io.jrkt.cli.image;

import io.jrkt.cli.CliException;
import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import io.jrkt.registry.Credentials;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Registry credentials from {@code auth.d/*.json} files of kind {@code dockerAuth}, as rkt read
 * them: {@code {"rktKind":"dockerAuth","rktVersion":"v1","registries":["host[:port]"],
 * "credentials":{"user":"...","password":"..."}}}. Directories are read system, local, user;
 * a later one's entry for a registry wins. Files of other kinds ({@code auth}) are skipped.
 */
final class DockerAuthConfig {
  private DockerAuthConfig() {}

  static Map<String, Credentials> load(List<Path> configDirs) throws CliException {
    Map<String, Credentials> out = new HashMap<>();
    for (Path dir : configDirs) {
      if (dir == null) {
        continue;
      }
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("auth.d"), "*.json")) {
        ds.forEach(files::add);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        throw new CliException("cannot read " + dir.resolve("auth.d") + ": " + e.getMessage(), e);
      }
      files.sort(null);
      for (Path f : files) {
        parse(f, out);
      }
    }
    return out;
  }

  static void parse(Path file, Map<String, Credentials> out) throws CliException {
    try {
      Map<String, Object> m = Json.asObject(Json.parse(Files.readAllBytes(file)), "the file");
      if (!"dockerAuth".equals(m.get("rktKind"))) {
        return;
      }
      if (!"v1".equals(m.get("rktVersion"))) {
        throw new CliException("auth configuration " + file + ": rktVersion must be \"v1\"");
      }
      List<Object> registries = Json.asArray(m.get("registries"), "registries");
      Map<String, Object> c = Json.asObject(m.get("credentials"), "credentials");
      Credentials creds = new Credentials(Json.asString(c.get("user"), "credentials.user"),
          Json.asString(c.get("password"), "credentials.password"));
      for (Object r : registries) {
        out.put(Json.asString(r, "registries entry"), creds);
      }
    } catch (IOException e) {
      throw new CliException("cannot read auth configuration " + file + ": " + e.getMessage(),
          e);
    } catch (JsonException e) {
      throw new CliException("auth configuration " + file + ": " + e.getMessage(), e);
    }
  }
}
