package io.jrkt.appc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jrkt.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IsolatorTest {
  private static Isolator isolator(String name, String valueJson) throws Exception {
    return Isolator.parse(name, Json.parse(valueJson));
  }

  @Test
  void readsResourceQuantities() throws Exception {
    Isolator mem = isolator("resource/memory", "{\"request\":\"128M\",\"limit\":\"1Gi\"}");
    assertEquals(1L << 30, mem.limit().orElseThrow().ceilLong());
    assertEquals(128_000_000L, mem.request().orElseThrow().ceilLong());
    Isolator cpu = isolator("resource/cpu", "{\"limit\":2}");
    assertEquals(2000, cpu.limit().orElseThrow().ceilMilli());
    assertEquals(Optional.empty(), cpu.request());
  }

  @Test
  void readsScalarsAndSets() throws Exception {
    assertEquals(Optional.of(1024L), isolator("os/linux/cpu-shares", "1024").longValue());
    assertEquals(Optional.of(-1000L), isolator("os/linux/oom-score-adj", "-1000").longValue());
    assertEquals(Optional.of(true), isolator("os/linux/no-new-privileges", "true").booleanValue());
    Isolator seccomp = isolator("os/linux/seccomp-remove-set",
        "{\"set\":[\"@docker/default-blacklist\",\"mount\"],\"errno\":\"ENOSYS\"}");
    assertEquals(List.of("@docker/default-blacklist", "mount"), seccomp.set());
    assertEquals(Optional.of("ENOSYS"), seccomp.errno());
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("resource/memory", "{\"limit\":\"12XB\"}",
            "limit \"12XB\" is not a quantity (e.g. 128M, 1Gi, 500m, 1)"),
        Arguments.of("resource/memory", "{\"request\":\"-1G\"}",
            "request \"-1G\" must not be negative"),
        Arguments.of("resource/cpu", "{\"limit\":true}",
            "limit true is not a quantity (e.g. 128M, 1Gi, 500m, 1)"),
        Arguments.of("resource/cpu", "\"1\"",
            "value must be an object like {\"request\": \"128M\", \"limit\": \"1G\"}, got \"1\""),
        Arguments.of("resource/memory", "{\"default\":true,\"limit\":\"1G\"}",
            "default must be false"),
        Arguments.of("resource/network-bandwidth", "{\"limit\":\"1G\"}", "default must be true"),
        Arguments.of("os/linux/cpu-shares", "1", "value must be from 2 to 262144, got 1"),
        Arguments.of("os/linux/cpu-shares", "\"a\"",
            "value must be a whole number from 2 to 262144, got \"a\""),
        Arguments.of("os/linux/oom-score-adj", "1001", "value must be from -1000 to 1000, got 1001"),
        Arguments.of("os/linux/oom-score-adj", "1.5",
            "value must be a whole number from -1000 to 1000, got 1.5"),
        Arguments.of("os/linux/no-new-privileges", "\"yes\"",
            "value must be true or false, got \"yes\""),
        Arguments.of("os/linux/capabilities-retain-set", "{\"set\":[]}", "set must not be empty"),
        Arguments.of("os/linux/capabilities-retain-set", "{\"set\":[\"CAP_CHOWN\",\"NET_ADMIN\"]}",
            "set[1]: \"NET_ADMIN\" is not a capability name like CAP_NET_ADMIN"),
        Arguments.of("os/linux/capabilities-remove-set", "[\"CAP_CHOWN\"]",
            "value must be an object with a \"set\" array, got an array"),
        Arguments.of("os/linux/capabilities-remove-set",
            "{\"set\":[\"CAP_CHOWN\"],\"errno\":\"EPERM\"}", "errno is not allowed here"),
        Arguments.of("os/linux/seccomp-retain-set", "{\"set\":[\"chmod\"],\"errno\":\"eperm\"}",
            "errno \"eperm\" is not an errno name like EPERM"),
        Arguments.of("os/linux/seccomp-retain-set", "{\"set\":[\"\"]}",
            "set[0]: \"\" is not a syscall name or @group"),
        Arguments.of("os/linux/selinux-context",
            "{\"user\":\"u\",\"role\":\"r\",\"type\":\"t:x\",\"level\":\"s0:c1\"}",
            "type \"t:x\" must not contain ':'"),
        Arguments.of("os/unix/sysctl", "{\"net.ipv4.ip_forward\":1}",
            "\"net.ipv4.ip_forward\" must map to a string, got 1"));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void rejectsMalformedKnownValues(String name, String json, String message) throws Exception {
    Object value = Json.parse(json);
    AppcException e = assertThrows(AppcException.class, () -> Isolator.parse(name, value));
    assertEquals(message, e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Isolator(name, value));
  }

  @Test
  void keepsUnknownIsolatorsAsTheyAre() throws Exception {
    Isolator i = isolator("example.com/anything", "{\"x\":[1,\"y\",null]}");
    assertEquals("{\"x\":[1,\"y\",null]}", Json.write(i.value()));
    assertEquals(false, i.isKnown());
  }

  @Test
  void rejectsBadNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Isolator("Resource/Memory", Map.of()));
    assertEquals("isolator name \"Resource/Memory\" is not a valid AC Identifier (lowercase "
        + "letters and digits, joined by single -._~/ characters)", e.getMessage());
  }

  @Test
  void valueIsAFrozenCopyWithNormalisedNumbers() throws Exception {
    List<Object> set = new ArrayList<>(List.of("CAP_CHOWN"));
    Isolator i = new Isolator("os/linux/capabilities-retain-set", Map.of("set", set));
    set.add("CAP_KILL");
    assertEquals(List.of("CAP_CHOWN"), i.set());
    @SuppressWarnings("unchecked")
    Map<String, Object> v = (Map<String, Object>) i.value();
    assertThrows(UnsupportedOperationException.class, () -> v.put("x", 1));
    assertEquals(Isolator.cpuShares(1024), new Isolator("os/linux/cpu-shares", 1024));
    assertEquals(isolator("os/linux/cpu-shares", "1024"), isolator("os/linux/cpu-shares", "1.024e3"));
    assertEquals(isolator("example.com/x", "1e30"),
        isolator("example.com/x", Json.write(isolator("example.com/x", "1e30").value())));
  }

  @Test
  void factoriesBuildTheCliShapes() {
    assertEquals("{\"request\":\"1G\",\"limit\":\"1G\"}",
        Json.write(Isolator.resource(Isolator.MEMORY, "1G", "1G").value()));
    assertEquals("{\"set\":[\"chmod\"],\"errno\":\"EPERM\"}",
        Json.write(Isolator.set(Isolator.SECCOMP_RETAIN, List.of("chmod"), "EPERM").value()));
    assertThrows(IllegalArgumentException.class, () -> Isolator.oomScoreAdj(-1001));
  }

  @Test
  void listRejectsDuplicatesAndConflicts() {
    Isolator retain = Isolator.set(Isolator.CAPABILITIES_RETAIN, List.of("CAP_CHOWN"), null);
    Isolator remove = Isolator.set(Isolator.CAPABILITIES_REMOVE, List.of("CAP_KILL"), null);
    assertEquals("[2] (os/linux/capabilities-remove-set): cannot be combined with "
            + "os/linux/capabilities-retain-set (at [0])",
        Isolator.listProblem(List.of(retain, Isolator.cpuShares(2), remove)));
    assertEquals("[1] (os/linux/cpu-shares): given twice (also at [0])",
        Isolator.listProblem(List.of(Isolator.cpuShares(2), Isolator.cpuShares(3))));
    Isolator unknown = new Isolator("example.com/x", 1L);
    assertNull(Isolator.listProblem(List.of(unknown, unknown, retain)));
    assertTrue(retain.isKnown());
  }
}
