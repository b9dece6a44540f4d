package io.jrkt.appc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"a", "coreos.com/etcd", "example.com/a-b_c~d/e.f", "0", "a/b/c"})
  void acceptsValidIdentifiers(String s) throws Exception {
    assertEquals(s, AcIdentifier.parse(s).value());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Foo", "a//b", "-a", "a-", "a b", "a..b", "a:b", "/a", "ä"})
  void rejectsInvalidIdentifiers(String s) {
    AppcException e = assertThrows(AppcException.class, () -> AcIdentifier.parse(s));
    assertEquals("\"" + s + "\" is not a valid AC Identifier (lowercase letters and digits, "
        + "joined by single -._~/ characters)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AcIdentifier(s));
  }

  @Test
  void emptyIdentifierSaysSo() {
    AppcException e = assertThrows(AppcException.class, () -> AcIdentifier.parse(""));
    assertEquals("must not be empty (an AC Identifier: lowercase letters and digits, joined by "
        + "single -._~/ characters)", e.getMessage());
    assertThrows(AppcException.class, () -> AcIdentifier.parse(null));
  }

  @ParameterizedTest
  @CsvSource({
      "Registry-1.Docker.io/Library/Nginx, registry-1.docker.io/library/nginx",
      "80/tcp, 80/tcp",
      "a::b, a_b",
      "__weird__name--, weird_name",
      "host:5000/app, host_5000/app"})
  void sanitisesIdentifiers(String in, String out) {
    assertEquals(out, AcIdentifier.sanitize(in).value());
  }

  @Test
  void sanitiseFailsWhenNothingRemains() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AcIdentifier.sanitize("::"));
    assertEquals("\"::\" cannot be made an AC Identifier: it has no letter or digit",
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "etcd", "my-app-2", "0"})
  void acceptsValidNames(String s) throws Exception {
    assertEquals(s, AcName.parse(s).value());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a_b", "A", "a--b", "-a", "a-", "a.b", "a/b"})
  void rejectsInvalidNames(String s) {
    AppcException e = assertThrows(AppcException.class, () -> AcName.parse(s));
    assertEquals("\"" + s + "\" is not a valid AC Name (lowercase letters and digits, joined by "
        + "single dashes)", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"My_App.v2, my-app-v2", "--x--y--, x-y", "80/tcp, 80-tcp"})
  void sanitisesNames(String in, String out) {
    assertEquals(out, AcName.sanitize(in).value());
  }

  @ParameterizedTest
  @CsvSource({
      "coreos.com/etcd, etcd",
      "etcd, etcd",
      "registry-1.docker.io/library/nginx, nginx",
      "example.com/my_app.v2, my-app-v2",
      "example.com/tools/x~y, x-y"})
  void defaultAppNameIsTheSanitisedLastPathElement(String image, String app) throws Exception {
    assertEquals(new AcName(app), AcName.fromImageName(AcIdentifier.parse(image)));
  }

  @Test
  void acVersionIsSemver() {
    assertTrue(AcVersion.isValid("0.8.11"));
    assertTrue(AcVersion.isValid("1.30.0+git.abc"));
    assertTrue(AcVersion.isValid("1.0.0-rc.1"));
    assertFalse(AcVersion.isValid("1.0"));
    assertFalse(AcVersion.isValid("v1.0.0"));
    assertFalse(AcVersion.isValid("1.0.0-"));
  }

  @Test
  void quoteKeepsMessagesOnOneLine() {
    assertEquals("\"a\\\"b\\nc\\u0001\"", Names.quote("a\"b\nc\u0001"));
  }
}
