package io.jrkt.cli.image;

import io.jrkt.appc.ImageId;
import io.jrkt.cli.CliException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where an image argument of {@code fetch} points, guessed the way rkt guesses: an image id, a URL
 * (by its scheme), an absolute path, an existing file, something that looks like a path
 * ({@code ./}, {@code .aci}), or else an image name ({@code name[:version]},
 * {@code name,label=value}).
 */
sealed interface FetchSource {
  /** The argument as the user wrote it. */
  String argument();

  /** A local ACI file (a path or a {@code file://} URL): always imported. */
  record LocalFile(String argument, Path file) implements FetchSource {}

  /** An image id or id prefix: looked up in the store only. */
  record StoredId(String argument) implements FetchSource {}

  /** An image name with optional version and labels: looked up in the store, else discovered. */
  record Name(String argument) implements FetchSource {}

  /** A remote URL (https, http): needs a transport jrkt does not have yet. */
  record Remote(String argument, String scheme) implements FetchSource {}

  /** An OCI image layout directory ({@code oci:DIR[:REF]} or a directory with oci-layout). */
  record OciLayout(String argument, Path dir, String ref) implements FetchSource {}

  /** An OCI layout in a tar ({@code oci-archive:FILE[:REF]}). */
  record OciArchive(String argument, Path file, String ref) implements FetchSource {}

  /** A {@code docker save} archive ({@code docker-archive:FILE[:NAME:TAG]}). */
  record DockerArchive(String argument, Path file, String ref) implements FetchSource {}

  /** An image in a registry ({@code docker://HOST[:PORT]/REPO[:TAG|@sha256:...]}). */
  record Registry(String argument, String reference) implements FetchSource {}

  static FetchSource of(String arg) throws CliException {
    if (arg.isEmpty()) {
      throw new CliException("empty image argument");
    }
    if (ImageId.looksLikeId(arg)) {
      return new StoredId(arg);
    }
    if (arg.startsWith("oci:")) {
      String[] pr = pathAndRef(arg, "oci:".length(), true);
      return new OciLayout(arg, Path.of(pr[0]).toAbsolutePath().normalize(), pr[1]);
    }
    if (arg.startsWith("oci-archive:")) {
      String[] pr = pathAndRef(arg, "oci-archive:".length(), false);
      return new OciArchive(arg, Path.of(pr[0]).toAbsolutePath().normalize(), pr[1]);
    }
    if (arg.startsWith("docker-archive:")) {
      String[] pr = pathAndRef(arg, "docker-archive:".length(), false);
      return new DockerArchive(arg, Path.of(pr[0]).toAbsolutePath().normalize(), pr[1]);
    }
    String scheme = scheme(arg);
    if ("docker".equals(scheme)) {
      return new Registry(arg, arg.substring("docker://".length()));
    }
    if (scheme != null) {
      if (!scheme.equals("file")) {
        return new Remote(arg, scheme);
      }
      return new LocalFile(arg, fileUrlPath(arg));
    }
    Path path = Path.of(arg);
    if (Files.isRegularFile(path.resolve("oci-layout"))) {
      return new OciLayout(arg, path.toAbsolutePath().normalize(), null);
    }
    if (path.isAbsolute() || Files.exists(path) || arg.contains("./") || arg.endsWith(".aci")) {
      return new LocalFile(arg, path.toAbsolutePath().normalize());
    }
    return new Name(arg);
  }

  /**
   * Splits {@code PATH[:REF]} after a transport prefix: the whole rest when it names an existing
   * file or directory, else at the first colon that ends an existing path.
   */
  private static String[] pathAndRef(String arg, int from, boolean dir) throws CliException {
    String rest = arg.substring(from);
    if (rest.isEmpty()) {
      throw new CliException("\"" + arg + "\": missing " + (dir ? "directory" : "file"));
    }
    Path whole = Path.of(rest);
    if (dir ? Files.isDirectory(whole) : Files.exists(whole)) {
      return new String[] {rest, null};
    }
    for (int colon = rest.indexOf(':'); colon > 0; colon = rest.indexOf(':', colon + 1)) {
      Path p = Path.of(rest.substring(0, colon));
      if (dir ? Files.isDirectory(p) : Files.isRegularFile(p)) {
        String ref = rest.substring(colon + 1);
        return new String[] {rest.substring(0, colon), ref.isEmpty() ? null : ref};
      }
    }
    return new String[] {rest, null};
  }

  /**
   * The URL scheme, or null when the argument is no URL. A name such as
   * {@code example.com/app:v1.0} has no {@code ://}, so only {@code scheme://} counts.
   */
  private static String scheme(String arg) {
    int sep = arg.indexOf("://");
    if (sep <= 0) {
      return null;
    }
    String scheme = arg.substring(0, sep);
    for (int i = 0; i < scheme.length(); i++) {
      char c = scheme.charAt(i);
      boolean ok = Character.isLetter(c)
          || (i > 0 && (Character.isDigit(c) || c == '+' || c == '-' || c == '.'));
      if (!ok) {
        return null;
      }
    }
    return scheme.toLowerCase(Locale.ROOT);
  }

  private static Path fileUrlPath(String arg) throws CliException {
    URI uri;
    try {
      uri = new URI(arg);
    } catch (URISyntaxException e) {
      throw new CliException("invalid URL \"" + arg + "\": " + e.getMessage());
    }
    String host = uri.getHost();
    if (host != null && !host.isEmpty() && !host.equals("localhost")) {
      throw new CliException("invalid URL \"" + arg + "\": a file URL cannot name host \""
          + host + "\"");
    }
    String path = uri.getPath();
    if (path == null || !path.startsWith("/")) {
      throw new CliException("invalid URL \"" + arg + "\": a file URL needs an absolute path");
    }
    return Path.of(path).normalize();
  }
}
