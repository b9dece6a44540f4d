package io.jrkt.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Helpers for looking at a store directory from the outside. */
final class StoreTestSupport {
  private StoreTestSupport() {}

  /** Every path under {@code cas/}, relative, sorted. */
  static List<String> listing(Path cas) throws IOException {
    try (Stream<Path> s = Files.walk(cas)) {
      return s.map(p -> cas.relativize(p).toString()).sorted().toList();
    }
  }

  /** Entries directly in a directory, sorted. */
  static List<String> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
