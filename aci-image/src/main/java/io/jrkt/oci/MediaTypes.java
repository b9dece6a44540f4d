package io.jrkt.oci;

import java.util.Set;

/** The media types of OCI image-spec 1.x and Docker image manifest v2 schema 2. */
public final class MediaTypes {
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
  public static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";

  private static final Set<String> LAYERS = Set.of(OCI_LAYER, OCI_LAYER_GZIP, OCI_LAYER_ZSTD,
      DOCKER_LAYER, DOCKER_LAYER_GZIP,
      "application/vnd.oci.image.layer.nondistributable.v1.tar",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
  private static final Set<String> CONFIGS = Set.of(OCI_CONFIG, DOCKER_CONFIG);

  /** What {@code Accept} asks a registry for: manifests and indexes of both families. */
  public static final String ACCEPT_MANIFESTS = String.join(", ", OCI_MANIFEST, OCI_INDEX,
      DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);

  private MediaTypes() {}

  public static boolean isLayer(String mediaType) {
    return LAYERS.contains(mediaType);
  }

  public static boolean isConfig(String mediaType) {
    return CONFIGS.contains(mediaType);
  }

  public static boolean isManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }
}
