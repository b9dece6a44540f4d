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

  /** A remote URL (https, http, docker): needs a transport jrkt does not have yet. */
  record Remote(String argument, String scheme) implements FetchSource {}

  static FetchSource of(String arg) throws CliException {
    if (arg.isEmpty()) {
      throw new CliException("empty image argument");
    }
    if (ImageId.looksLikeId(arg)) {
      return new StoredId(arg);
    }
    String scheme = scheme(arg);
    if (scheme != null) {
      if (!scheme.equals("file")) {
        return new Remote(arg, scheme);
      }
      return new LocalFile(arg, fileUrlPath(arg));
    }
    Path path = Path.of(arg);
    if (path.isAbsolute() || Files.exists(path) || arg.contains("./") || arg.endsWith(".aci")) {
      return new LocalFile(arg, path.toAbsolutePath().normalize());
    }
    return new Name(arg);
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
