package io.jrkt.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jrkt.oci.OciFormatException;
import org.junit.jupiter.api.Test;

class RegistryReferenceTest {
  @Test
  void references() throws Exception {
    DockerReference r = DockerReference.parse("127.0.0.1:5000/team/app:v2");
    assertEquals("127.0.0.1:5000", r.host());
    assertEquals("team/app", r.repository());
    assertEquals("v2", r.tag());
    assertEquals("v2", r.manifestRef());
    r = DockerReference.parse("busybox");
    assertEquals(DockerReference.DOCKER_HUB, r.host());
    assertEquals("library/busybox", r.repository());
    assertEquals("latest", r.tag());
    String hex = "c".repeat(64);
    r = DockerReference.parse("localhost/x@sha256:" + hex);
    assertEquals("localhost", r.host());
    assertNull(r.tag());
    assertEquals("sha256:" + hex, r.manifestRef());
    assertThrows(OciFormatException.class, () -> DockerReference.parse("host.io/UPPER"));
    assertThrows(OciFormatException.class, () -> DockerReference.parse("host.io/x:bad tag"));
    assertThrows(OciFormatException.class, () -> DockerReference.parse("host.io/x@sha256:12"));
  }

  @Test
  void challenges() {
    AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.example/token\","
        + "service=\"registry.example\",scope=\"repository:a/b:pull\"");
    assertEquals("bearer", c.scheme());
    assertEquals("https://auth.example/token", c.params().get("realm"));
    assertEquals("repository:a/b:pull", c.params().get("scope"));
    assertEquals("basic", AuthChallenge.parse("Basic realm=\"x\"").scheme());
    assertEquals("Basic dTpw", new Credentials("u", "p").basicHeader());
  }
}
