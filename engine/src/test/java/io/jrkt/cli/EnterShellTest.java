package io.jrkt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnterShellTest {
  @TempDir
  Path root;

  private Path executable(String rel) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "#!/bin/true\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Test
  void bashWhenTheAppHasIt() throws Exception {
    executable("bin/bash");
    assertEquals(EnterShell.BASH, EnterShell.forAppRoot(root));
  }

  @Test
  void shWhenTheAppHasNoBash() throws Exception {
    executable("bin/busybox");
    Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("busybox"));
    assertEquals(EnterShell.SH, EnterShell.forAppRoot(root));
  }

  @Test
  void aNonExecutableBashDoesNotCount() throws Exception {
    Files.setPosixFilePermissions(executable("bin/bash"), PosixFilePermissions.fromString(
        "rw-r--r--"));
    assertEquals(EnterShell.SH, EnterShell.forAppRoot(root));
  }

  @Test
  void mergedUsrLinksAreFollowedInsideTheRoot() throws Exception {
    executable("usr/bin/bash");
    Files.createSymbolicLink(root.resolve("bin"), Path.of("/usr/bin"));
    assertEquals(root.resolve("usr/bin/bash"), EnterShell.resolveInRoot(root, "/bin/bash"));
    assertEquals(EnterShell.BASH, EnterShell.forAppRoot(root));
    Files.delete(root.resolve("bin")); // the temp dir's cleanup would warn about it
  }

  @Test
  void linksNeverLeaveTheRoot(@TempDir Path outside) throws Exception {
    Path hostBash = outside.resolve("bash");
    Files.writeString(hostBash, "#!/bin/true\n");
    Files.setPosixFilePermissions(hostBash, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(root.resolve("bin"));
    Files.createSymbolicLink(root.resolve("bin/bash"), Path.of("../../../../../../../.."
        + hostBash));
    assertEquals(EnterShell.SH, EnterShell.forAppRoot(root));
    Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
    assertNull(EnterShell.resolveInRoot(root, "/loop/x"));
  }
}
