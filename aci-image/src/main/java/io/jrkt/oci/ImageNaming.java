package io.jrkt.oci;

import java.util.Objects;

/**
 * Where an image came from, as the appc manifest records it: its name (registry host and
 * repository for registry images), its tag, and the {@code appc.io/docker/*} annotations.
 *
 * @param registry the registry host[:port], or null for local layouts and archives
 * @param repository the repository path (e.g. {@code library/busybox}), or a local name
 * @param tag the tag, or null when fetched by digest
 * @param original the reference as the user gave it
 */
public record ImageNaming(String registry, String repository, String tag, String original) {
  public ImageNaming {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(original, "original");
  }

  /** The appc image name: {@code <registry>/<repository>}, or the repository alone. */
  public String appcName() {
    return registry == null ? repository : registry + "/" + repository;
  }

  /** The {@code version} label: the tag, else {@code latest} as docker2aci had it. */
  public String version() {
    return tag == null ? "latest" : tag;
  }
}
