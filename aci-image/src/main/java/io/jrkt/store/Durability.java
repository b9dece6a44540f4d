package io.jrkt.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * Getting store writes onto the disk before they are made visible by a rename.
 *
 * <p>A rendered tree has thousands of files; an fsync each costs about as much as creating them
 * again. One {@code syncfs(2)} of the store's file system (through coreutils' {@code sync -f},
 * since the JVM has no syncfs) flushes them all at once, as rkt did. Where that command is missing
 * every file is fsynced instead.
 */
final class Durability {
  private static volatile boolean syncCommandMissing;

  private Durability() {}

  /** Flushes everything written below {@code dir} (and the rest of its file system). */
  static void syncTree(Path dir) throws IOException {
    if (!syncCommandMissing && runSync(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          fsync(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        fsync(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static boolean runSync(Path dir) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder("sync", "--file-system", dir.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      syncCommandMissing = true;
      return false;
    }
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("sync --file-system " + dir + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while syncing " + dir);
    }
    if (p.exitValue() != 0) {
      // An old coreutils without --file-system: remember, and fsync file by file.
      syncCommandMissing = true;
      return false;
    }
    return true;
  }

  /** fsync of one file or directory. */
  static void fsync(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * Writes a memo (a cache file that may be lost or torn) in a workspace, then renames it into
   * place, without fsync. Failing to is only a cost for later, so it is not reported; gc removes
   * the workspace a crash left.
   */
  static void writeMemo(Path memo, String text, Path tmpDir) {
    try (Workspace ws = Workspace.create(tmpDir, "memo")) {
      Path tmp = ws.resolve(memo.getFileName().toString());
      Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, memo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // The memo is computed again next time.
    }
  }

  /** Writes a small file completely and durably in a workspace, then renames it into place. */
  static void writeAtomically(Path target, byte[] data, Path tmpDir) throws IOException {
    try (Workspace ws = Workspace.create(tmpDir, "record")) {
      Path tmp = ws.resolve(target.getFileName().toString());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(data);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
        ch.force(true);
      }
      Files.setAttribute(tmp, "unix:mode", 0644);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      fsync(target.getParent());
    }
  }
}
