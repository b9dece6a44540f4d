package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.appc.Isolator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeccompFilterTest {
  private static final String WHERE = "app \"web\"";

  private static SeccompFilter of(Isolator... isolators) throws Stage1Exception {
    return SeccompFilter.of(List.of(isolators), WHERE);
  }

  @Test
  void withoutAnIsolatorTheAppGetsRktsDefaultWhitelistKillingOnTheRest() throws Exception {
    SeccompFilter f = of(Isolator.noNewPrivileges(true));
    assertTrue(f.retain());
    assertEquals(0, f.errno());
    assertTrue(f.syscalls().containsAll(List.of("read", "write", "execve", "chmod", "clone",
        "exit_group", "openat")), f.syscalls().toString());
    for (String dangerous : List.of("mount", "ptrace", "init_module", "kexec_load", "reboot",
        "unshare", "setns", "bpf")) {
      assertFalse(f.syscalls().contains(dangerous), dangerous);
    }
  }

  @Test
  void groupsExpandToTheirMembersAndNamesAreKeptOnceInOrder() throws Exception {
    SeccompFilter f = of(Isolator.set(Isolator.SECCOMP_REMOVE,
        List.of("chmod", "@rkt/default-blacklist", "mount", "fchmodat"), "EPERM"));
    assertFalse(f.retain());
    assertEquals(1, f.errno());
    assertEquals("chmod", f.syscalls().get(0));
    assertEquals("fchmodat", f.syscalls().get(f.syscalls().size() - 1));
    assertEquals(1, f.syscalls().stream().filter("mount"::equals).count());
    assertTrue(f.syscalls().containsAll(List.of("ptrace", "init_module", "umount2")));
  }

  @Test
  void theWhitelistsAndBlacklistsPartitionEverySyscall() throws Exception {
    List<String> all = SeccompFilter.expand(List.of("@appc.io/all"), "");
    List<String> white = SeccompFilter.expand(List.of("@rkt/default-whitelist"), "");
    List<String> black = SeccompFilter.expand(List.of("@rkt/default-blacklist"), "");
    assertTrue(all.size() > 300, "x86_64 has more than 300 syscalls: " + all.size());
    assertEquals(all.size(), white.size() + black.size());
    assertTrue(white.stream().noneMatch(black::contains));
    assertEquals(black, SeccompFilter.expand(List.of("@docker/default-blacklist"), ""));
    assertEquals(white.size(),
        SeccompFilter.expand(List.of("@docker/default-whitelist"), "").size());
    assertEquals(List.of("chmod"), SeccompFilter.expand(List.of("@appc.io/empty", "chmod"), ""));
  }

  @Test
  void errnoNamesMapToLinuxNumbers() throws Exception {
    assertEquals(13, of(Isolator.set(Isolator.SECCOMP_RETAIN, List.of("read"), "EACCES")).errno());
    assertEquals(38, of(Isolator.set(Isolator.SECCOMP_RETAIN, List.of("read"), "ENOSYS")).errno());
    assertEquals(0, of(Isolator.set(Isolator.SECCOMP_RETAIN, List.of("read"), null)).errno());
  }

  @Test
  void unknownNamesGroupsAndErrnosAreRefusedNamingTheAppAndIsolator() {
    assertEquals("app \"web\": isolator os/linux/seccomp-remove-set: unknown syscall chmodd "
        + "(not an x86_64 syscall name)", assertThrows(Stage1Exception.class, () -> of(
        Isolator.set(Isolator.SECCOMP_REMOVE, List.of("chmod", "chmodd"), null))).getMessage());
    assertEquals("app \"web\": isolator os/linux/seccomp-retain-set: unknown syscall group "
        + "@rkt/nothing", assertThrows(Stage1Exception.class, () -> of(Isolator.set(
        Isolator.SECCOMP_RETAIN, List.of("@rkt/nothing"), null))).getMessage());
    assertEquals("app \"web\": isolator os/linux/seccomp-retain-set: unknown errno EWHAT "
        + "(a symbolic name such as EPERM)", assertThrows(Stage1Exception.class, () -> of(
        Isolator.set(Isolator.SECCOMP_RETAIN, List.of("read"), "EWHAT"))).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new SeccompFilter(true, 0, List.of("socketcall")));
  }

  @Test
  void theIsolatorReachesThePlanThroughTheCli() throws Exception {
    AppIsolators iso = AppIsolators.of(List.of(Isolator.set(Isolator.SECCOMP_REMOVE,
        List.of("chmod"), "EPERM")), WHERE);
    assertEquals(new SeccompFilter(false, 1, List.of("chmod")), iso.seccomp());
  }
}
