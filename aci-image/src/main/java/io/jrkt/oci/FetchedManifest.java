package io.jrkt.oci;

/** An image manifest as fetched: its bytes, their (verified) digest, and what they say. */
public record FetchedManifest(byte[] bytes, Digest digest, OciManifest manifest) {}
