package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SeccompTablesTest {
  private final SeccompTables tables = SeccompTables.get();

  @Test
  void everyGroupMemberIsAKnownSyscallListedOnce() {
    List<String> names = SeccompTables.groupNames();
    assertEquals(List.of("@rkt/default-blacklist", "@docker/default-blacklist",
        "@rkt/default-whitelist", "@docker/default-whitelist", "@appc.io/all",
        "@appc.io/empty"), names);
    for (String name : names) {
      List<String> members = tables.group(name).orElseThrow();
      Set<String> seen = new HashSet<>();
      for (String member : members) {
        assertTrue(tables.isSyscall(member), name + ": " + member);
        assertTrue(seen.add(member), name + ": " + member + " twice");
      }
    }
  }

  @Test
  void groupsEndAtTheNextGroupAndTheEmptyOneIsEmpty() {
    List<String> blacklist = tables.group("@rkt/default-blacklist").orElseThrow();
    assertEquals("_sysctl", blacklist.get(0));
    assertEquals("vserver", blacklist.get(blacklist.size() - 1));
    assertEquals(List.of(), tables.group("@appc.io/empty").orElseThrow());
    List<String> all = tables.group("@appc.io/all").orElseThrow();
    assertTrue(all.containsAll(blacklist));
    assertTrue(all.containsAll(tables.group("@rkt/default-whitelist").orElseThrow()));
  }

  @Test
  void unknownOrMalformedGroupNamesAreNotFound() {
    assertEquals(Optional.empty(), tables.group("@rkt/default"));
    assertEquals(Optional.empty(), tables.group("rkt/default-blacklist"));
    assertEquals(Optional.empty(), tables.group("@rkt/default-blacklist\n_sysctl"));
    assertEquals(Optional.empty(), tables.group("@"));
  }

  @Test
  void errnoNamesMapToLinuxNumbers() {
    assertEquals(Optional.of(1), tables.errno("EPERM"));
    assertEquals(Optional.of(2), tables.errno("ENOENT"));
    assertEquals(Optional.of(38), tables.errno("ENOSYS"));
    assertEquals(Optional.empty(), tables.errno("EPER"));
    assertEquals(Optional.empty(), tables.errno("PERM"));
    assertEquals(Optional.empty(), tables.errno(""));
    assertEquals(Optional.empty(), tables.errno("EPERM 1"));
  }

  @Test
  void syscallNamesAreWholeNames() {
    assertTrue(tables.isSyscall("read"));
    assertTrue(tables.isSyscall("exit_group"));
    assertFalse(tables.isSyscall("rea"));
    assertFalse(tables.isSyscall("@rkt/default-whitelist"));
  }
}
