package io.jrkt.stage1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserGroupResolverTest {
  @TempDir
  Path root;

  private UserGroupResolver withDatabases() throws IOException {
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
        + "web:x:1000:1001:Web:/home/web:/bin/sh\n"
        + "broken:x:abc:1::/:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\nweb:x:1001:\nstaff:x:50:web\n");
    return new UserGroupResolver(root);
  }

  @Test
  void numbersAreUsedAsIs() throws Exception {
    UserGroupResolver r = new UserGroupResolver(root);
    assertEquals(4242, r.uid("4242"));
    assertEquals(0, r.gid("0"));
  }

  @Test
  void namesAreLookedUpInTheImage() throws Exception {
    UserGroupResolver r = withDatabases();
    assertEquals(1000, r.uid("web"));
    assertEquals(50, r.gid("staff"));
    assertEquals(0, r.uid("root"));
    assertTrue(assertThrows(UserGroupException.class, () -> r.uid("nobody")).getMessage()
        .contains("user \"nobody\" not found in the image's /etc/passwd"));
    assertTrue(assertThrows(UserGroupException.class, () -> r.uid("broken")).getMessage()
        .contains("bad id \"abc\""));
  }

  @Test
  void rootWorksWithoutDatabases() throws Exception {
    UserGroupResolver r = new UserGroupResolver(root);
    assertEquals(0, r.uid("root"));
    assertEquals(0, r.gid("root"));
    assertThrows(UserGroupException.class, () -> r.gid("wheel"));
  }

  @Test
  void absolutePathMeansTheOwnerOfThatFile() throws Exception {
    Files.createDirectories(root.resolve("srv"));
    Path f = Files.writeString(root.resolve("srv/data"), "x");
    int uid = (Integer) Files.getAttribute(f, "unix:uid");
    int gid = (Integer) Files.getAttribute(f, "unix:gid");
    UserGroupResolver r = new UserGroupResolver(root);
    assertEquals(uid, r.uid("/srv/data"));
    assertEquals(gid, r.gid("/srv/data"));
    assertTrue(assertThrows(UserGroupException.class, () -> r.uid("/srv/missing")).getMessage()
        .contains("no such file in the app's root filesystem"));
  }

  @Test
  void databaseSymlinksStayInsideTheRootfs() throws Exception {
    // An absolute link must be read inside the image, not on the host.
    Files.createDirectories(root.resolve("etc"));
    Files.createDirectories(root.resolve("usr/share"));
    Files.writeString(root.resolve("usr/share/passwd"), "app:x:777:777::/:/bin/sh\n");
    Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/usr/share/passwd"));
    Files.createSymbolicLink(root.resolve("etc/group"), Path.of("../../../../../etc/group"));
    UserGroupResolver r = new UserGroupResolver(root);
    assertEquals(777, r.uid("app"));
    // ../.. cannot climb above the image root: the link points at <root>/etc/group, itself.
    assertThrows(UserGroupException.class, () -> r.gid("daemon"));
  }

  @Test
  void emptyIsRefused() {
    UserGroupResolver r = new UserGroupResolver(root);
    assertThrows(UserGroupException.class, () -> r.uid(""));
  }
}
