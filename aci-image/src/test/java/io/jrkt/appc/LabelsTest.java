package io.jrkt.appc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelsTest {
  @Test
  void keepsOrderAndReplacesInPlace() {
    Labels l = Labels.of(List.of(new Label("version", "1"), new Label("os", "linux")));
    Labels l2 = l.with("version", "2").with("arch", "amd64");
    assertEquals("version=2,os=linux,arch=amd64", l2.toString());
    assertEquals("version=1,os=linux", l.toString());
    assertEquals(Optional.of("amd64"), l2.get("arch"));
    assertEquals(Optional.empty(), l.get("arch"));
    assertEquals("os=linux,arch=amd64", l2.without("version").toString());
    assertThrows(UnsupportedOperationException.class, () -> l.asList().add(new Label("a", "b")));
  }

  @Test
  void matchesSubsets() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("version", "1");
    m.put("os", "linux");
    m.put("arch", "amd64");
    Labels all = Labels.of(m);
    assertTrue(all.containsAll(Labels.of(Map.of("os", "linux"))));
    assertTrue(all.containsAll(Labels.empty()));
    assertFalse(all.containsAll(Labels.of(Map.of("version", "2"))));
  }

  @Test
  void enforcesAppcRules() {
    assertEquals("duplicate label \"os\"", assertThrows(IllegalArgumentException.class,
        () -> Labels.of(List.of(new Label("os", "linux"), new Label("os", "linux")))).getMessage());
    assertEquals("label name \"name\" is reserved", assertThrows(IllegalArgumentException.class,
        () -> Labels.of(Map.of("name", "x"))).getMessage());
    assertEquals("bad os \"plan9\" (must be one of: darwin, freebsd, linux)",
        Labels.problem(List.of(new Label("os", "plan9"))));
    assertEquals("bad arch \"x86_64\" for linux (must be one of: amd64, i386, aarch64, "
            + "aarch64_be, armv6l, armv7l, armv7b, ppc64, ppc64le, s390x)",
        Labels.problem(List.of(new Label("arch", "x86_64"), new Label("os", "linux"))));
    // arch alone is not checked, as in appc
    assertEquals(null, Labels.problem(List.of(new Label("arch", "x86_64"))));
    assertThrows(IllegalArgumentException.class, () -> new Label("Version", "1"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2016-03-04T12:34:56Z", "2017-01-13T22:50:56.079545926Z",
      "2016-02-29T00:00:00+01:00", "2000-02-29T23:59:59-12:30"})
  void acceptsRfc3339Dates(String date) {
    assertTrue(Annotations.isRfc3339(date), date);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2015-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2016-13-01T00:00:00Z",
      "2016-04-31T00:00:00Z", "2016-03-04 12:34:56Z", "2016-03-04T24:00:00Z",
      "2016-03-04T12:34:56", "2016-03-04t12:34:56z", "2016-03-04T12:34:56+0100", "2016-03-04"})
  void rejectsOtherDates(String date) {
    assertFalse(Annotations.isRfc3339(date), date);
  }

  @Test
  void annotationsCheckWellKnownValues() {
    assertEquals("annotation created: \"yesterday\" is not an RFC 3339 date",
        Annotations.problem(List.of(new Annotation("created", "yesterday"))));
    assertEquals("annotation homepage: \"ftp://x\" is not an http or https URL",
        Annotations.problem(List.of(new Annotation("homepage", "ftp://x"))));
    assertEquals("annotation documentation: \"http://a b\" is not a URL",
        Annotations.problem(List.of(new Annotation("documentation", "http://a b"))));
    assertEquals("duplicate annotation \"a\"", Annotations.problem(
        List.of(new Annotation("a", "1"), new Annotation("a", "2"))));
    Annotations a = Annotations.of(List.of(new Annotation("created", "2016-03-04T12:34:56+01:00")));
    assertEquals(Optional.of("x"), a.with("authors", "x").get("authors"));
  }
}
