package io.jrkt.oci;

/** Told how blob transfers advance; the CLI shows it on a terminal. Called from several threads. */
public interface FetchProgress {
  /** Progress of one blob. */
  interface Blob {
    void advance(long bytes);

    void done();
  }

  /** A transfer of {@code total} bytes, labelled {@code label}, begins. */
  Blob start(String label, long total);

  /** Everything is transferred. */
  default void finish() {}

  FetchProgress NONE = (label, total) -> new Blob() {
    @Override
    public void advance(long bytes) {}

    @Override
    public void done() {}
  };
}
