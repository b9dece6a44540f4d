package io.jrkt.aci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whose files an extraction makes. As root the archive's uids and gids are applied; otherwise
 * every file keeps the creator's, and the tree records what is really on disk so that its hash
 * stays verifiable.
 *
 * @param apply whether to chown to the archive's ids
 * @param createdUid owner of a freshly created file in the destination
 * @param createdGid group of a freshly created file in the destination
 */
public record Ownership(boolean apply, int createdUid, int createdGid) {

  /**
   * Probes a directory this process has just created: new entries below it get its owner and
   * group (the group either because it is the creator's or because the directory is setgid).
   */
  public static Ownership probe(Path freshDirectory) throws IOException {
    Map<String, Object> a = Files.readAttributes(freshDirectory, "unix:uid,gid",
        LinkOption.NOFOLLOW_LINKS);
    int uid = (Integer) a.get("uid");
    int gid = (Integer) a.get("gid");
    return new Ownership(uid == 0, uid, gid);
  }
}
