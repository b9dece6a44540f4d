package io.jrkt.registry;

import io.jrkt.oci.Digest;
import io.jrkt.oci.OciFormatException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A registry image reference, {@code HOST[:PORT]/REPO[:TAG|@sha256:HEX]} (what follows
 * {@code docker://}). Without a host (no dot, colon or {@code localhost} in the first component)
 * it names Docker Hub, {@code registry-1.docker.io}, with {@code library/} for single-component
 * names, as docker2aci did.
 *
 * @param tag null when the reference has a digest; {@code latest} when it has neither
 * @param digest null unless given
 */
public record DockerReference(String host, String repository, String tag, Digest digest) {
  public static final String DOCKER_HUB = "registry-1.docker.io";
  private static final Pattern REPO = Pattern.compile(
      "^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$");
  private static final Pattern TAG = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
  private static final Pattern HOST = Pattern.compile(
      "^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
      + "|\\[[0-9a-fA-F:.]+\\])(?::[0-9]{1,5})?$");

  public static DockerReference parse(String s) throws OciFormatException {
    if (s.isEmpty()) {
      throw new OciFormatException("empty image reference");
    }
    String rest = s;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = Digest.parse(rest.substring(at + 1));
      rest = rest.substring(0, at);
    }
    String host = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        host = first;
        rest = rest.substring(slash + 1);
      }
    }
    if (!HOST.matcher(host).matches()) {
      throw new OciFormatException("invalid registry host \"" + host + "\"");
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new OciFormatException("invalid tag \"" + tag + "\"");
      }
    }
    if (!REPO.matcher(rest).matches()) {
      throw new OciFormatException("invalid repository name \"" + rest
          + "\" (lowercase letters, digits and separators)");
    }
    if (host.equals(DOCKER_HUB) && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return new DockerReference(host.toLowerCase(Locale.ROOT), rest, tag, digest);
  }

  /** What to ask the manifests endpoint for: the digest when given, else the tag. */
  public String manifestRef() {
    return digest != null ? digest.toString() : tag;
  }

  @Override
  public String toString() {
    return host + "/" + repository + (tag != null ? ":" + tag : "")
        + (digest != null ? "@" + digest : "");
  }
}
