package io.jrkt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The unit's command line: the run flags and global flags passed on to run-prepared. */
class UnitLaunchTest {
  private static Flags runPreparedFlags(String... args) throws CliException {
    Flags f = Main.globalFlags(new Flags());
    RunFlags.defineRun(f);
    UnitLaunch.define(f);
    f.parse(List.of(args), true);
    return f;
  }

  @Test
  void runFlagsGivenArePassedOnInOrder() throws CliException {
    Flags f = runPreparedFlags("--unit", "--net=host", "--dns=10.0.0.1", "--dns=10.0.0.2",
        "--hostname=web", "--unit-name=x", "--systemd-bus=unix:path=/b", "--ipc=private");
    assertEquals(List.of("--net=host", "--dns=10.0.0.1", "--dns=10.0.0.2", "--hostname=web",
        "--ipc=private"), UnitLaunch.runFlags(f));
    assertEquals(List.of(), UnitLaunch.runFlags(runPreparedFlags("--unit")));
  }

  @Test
  void globalFlagsNameTheSameDataDirAndConfig() throws CliException {
    Flags f = runPreparedFlags("--dir=/data", "--insecure-options=seccomp,image", "--debug",
        "--user-config=/u");
    PrintStream out = new PrintStream(new ByteArrayOutputStream());
    Context ctx = Main.context(f, out, out);
    // The default local configuration is not named: the unit's jrkt reads the same network
    // directories (/etc/jrkt/net.d, then /etc/rkt/net.d) as this one.
    assertEquals(List.of("--dir=/data", "--system-config=/usr/lib/rkt", "--user-config=/u",
        "--insecure-options=image,seccomp", "--debug"), UnitLaunch.globalFlags(ctx));
    assertEquals(List.of(Path.of("/etc/jrkt/net.d"), Path.of("/etc/rkt/net.d")),
        ctx.netConfigDirs().dirs());

    Context given = Main.context(runPreparedFlags("--dir=/data", "--local-config=/etc/rkt"),
        out, out);
    assertEquals(List.of("--dir=/data", "--system-config=/usr/lib/rkt",
        "--local-config=/etc/rkt"), UnitLaunch.globalFlags(given));
    assertEquals(List.of(Path.of("/etc/rkt/net.d")), given.netConfigDirs().dirs());
  }

  @Test
  void unitFlagsAreCheckedBeforeAnyWork() throws CliException {
    assertFalse(UnitLaunch.wanted(runPreparedFlags()));
    assertTrue(UnitLaunch.wanted(runPreparedFlags("--unit", "--unit-name=web")));
    CliException noUnit = assertThrows(CliException.class,
        () -> UnitLaunch.wanted(runPreparedFlags("--unit-name=web")));
    assertEquals("--unit-name needs --unit", noUnit.getMessage());
    assertThrows(CliException.class,
        () -> UnitLaunch.wanted(runPreparedFlags("--unit", "--unit-name=a/b")));
    assertThrows(CliException.class,
        () -> UnitLaunch.wanted(runPreparedFlags("--unit", "--interactive")));
  }
}
