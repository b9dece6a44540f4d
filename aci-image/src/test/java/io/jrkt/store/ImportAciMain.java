package io.jrkt.store;

import java.nio.file.Path;

/**
 * Imports one ACI into a store and prints the image id; run as a separate JVM by the tests that
 * need several processes (concurrent imports, kill -9 during an import).
 */
public final class ImportAciMain {
  private ImportAciMain() {}

  public static void main(String[] args) throws Exception {
    try (ImageStore store = ImageStore.open(Path.of(args[0]))) {
      System.out.println("ready");
      System.out.flush();
      System.out.println(store.importAci(Path.of(args[1])).id().value());
    }
  }
}
