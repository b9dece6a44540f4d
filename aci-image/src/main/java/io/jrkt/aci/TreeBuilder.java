package io.jrkt.aci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Extracts ACI entries into a directory without ever leaving it, and remembers what it made.
 *
 * <p>Safety does not depend on what is on disk: every path is checked against the nodes this
 * builder created itself, so a parent that is a symlink (or a file) is refused before anything is
 * written, and existing entries are deleted rather than written through. Files are created with
 * {@code O_EXCL|O_NOFOLLOW} as a second line of defence.
 *
 * <p>Several layers may be added in turn (base first); a later entry replaces an earlier one at
 * the same path, as rendering with dependencies needs. Directory modes and mtimes are applied in
 * {@link #finish()}, after every child exists.
 */
public final class TreeBuilder {
  private static final int BUFFER = 128 * 1024;
  private static final String DEV_PREFIX = "rootfs/dev/";

  private final Path root;
  private final boolean rootfsOnly;
  private final Ownership owners;
  private final String image;
  private final TreeMap<String, TreeNode> nodes = new TreeMap<>();
  private final Map<String, FileTime> dirTimes = new HashMap<>();
  private final byte[] buffer;
  private final ContentChecksum checksum = new ContentChecksum();
  private boolean dryRun;
  private boolean finished;
  private int skippedDevices;

  private TreeBuilder(Path root, boolean rootfsOnly, Ownership owners, String image,
      boolean dryRun) {
    this.root = root;
    this.rootfsOnly = rootfsOnly;
    this.owners = owners;
    this.image = image;
    this.dryRun = dryRun;
    this.buffer = dryRun ? null : new byte[BUFFER];
  }

  /**
   * A builder for a tree directory laid out as the tree store keeps it: {@code manifest} and
   * {@code rootfs/} below {@code treeDir}, which must exist and be empty.
   */
  public static TreeBuilder forTree(Path treeDir, String image) throws IOException {
    return forTree(treeDir, image, Ownership.probe(treeDir));
  }

  static TreeBuilder forTree(Path treeDir, String image, Ownership owners) throws IOException {
    TreeBuilder b = new TreeBuilder(treeDir, false, owners, image, false);
    b.implicitDirectory(ArchivePaths.ROOTFS);
    return b;
  }

  /** A builder that puts the rootfs itself at {@code dir} (which must exist and be empty). */
  public static TreeBuilder forRootfs(Path dir, String image) throws IOException {
    TreeBuilder b = new TreeBuilder(dir, true, Ownership.probe(dir), image, false);
    b.nodes.put(ArchivePaths.ROOTFS, TreeNode.directory(0755, b.owners.createdUid(),
        b.owners.createdGid()));
    return b;
  }

  /** A builder that checks entries exactly as extraction would, but writes nothing. */
  public static TreeBuilder validating(String image) {
    TreeBuilder b = new TreeBuilder(null, false, new Ownership(true, 0, 0), image, true);
    b.nodes.put(ArchivePaths.ROOTFS, TreeNode.directory(0755, 0, 0));
    return b;
  }

  /**
   * Stops writing: later entries are still checked but not extracted. Used when the manifest
   * shows that the tree must be rendered from dependencies instead.
   */
  public void stopWriting() {
    dryRun = true;
  }

  public boolean isWriting() {
    return !dryRun;
  }

  /**
   * Extracts one entry whose canonical path (see {@link ArchivePaths}) is {@code path}; data is
   * read from {@code data} for regular files.
   */
  public void add(String path, TarArchiveEntry e, InputStream data)
      throws ImageException, IOException {
    if (finished) {
      throw new IllegalStateException("tree already finished");
    }
    String name = e.getName();
    if (path.equals(ArchivePaths.MANIFEST)) {
      throw new IllegalArgumentException("the manifest is not part of the rootfs");
    }
    if (path.equals(ArchivePaths.ROOTFS) && !e.isDirectory()) {
      throw unsafe(name, "rootfs must be a directory");
    }
    long uid = e.getLongUserId();
    long gid = e.getLongGroupId();
    if (uid < 0 || uid > 0xffffffffL || gid < 0 || gid > 0xffffffffL) {
      throw unsafe(name, "uid or gid out of range (" + uid + ":" + gid + ")");
    }
    try {
      if (e.isSymbolicLink()) {
        symlink(path, name, e.getLinkName(), (int) uid, (int) gid, e.getLastModifiedTime());
      } else if (e.isLink()) {
        hardLink(path, name, e.getLinkName());
      } else if (e.isCharacterDevice() || e.isBlockDevice()) {
        if (!path.startsWith(DEV_PREFIX)) {
          throw unsafe(name, "device node outside /dev");
        }
        // The stage1 provides /dev; device nodes from images are not needed there.
        skippedDevices++;
      } else if (e.isFIFO()) {
        throw unsafe(name, "fifos are not allowed in an image");
      } else if (e.isDirectory()) {
        directory(path, name, e.getMode(), (int) uid, (int) gid, e.getLastModifiedTime());
      } else if (isRegular(e.getLinkFlag())) {
        file(path, name, e.getMode(), (int) uid, (int) gid, e.getLastModifiedTime(), data);
      } else {
        throw unsafe(name, "unsupported entry type '" + (char) e.getLinkFlag() + "'");
      }
    } catch (InvalidPathException ex) {
      throw unsafe(name, "name cannot be used as a file name here");
    }
  }

  private static boolean isRegular(byte flag) {
    return flag == TarArchiveEntry.LF_NORMAL || flag == TarArchiveEntry.LF_OLDNORM
        || flag == TarArchiveEntry.LF_CONTIG || flag == TarArchiveEntry.LF_GNUTYPE_SPARSE;
  }

  private void directory(String path, String name, int mode, int uid, int gid, FileTime mtime)
      throws ImageException, IOException {
    ensureParents(path, name);
    TreeNode existing = nodes.get(path);
    Path dest = dest(path);
    if (existing == null || !existing.isDirectory()) {
      if (existing != null) {
        removeExisting(path, existing);
      }
      if (!dryRun) {
        Files.createDirectory(dest);
      }
    }
    int[] owner = owner(uid, gid);
    if (!dryRun) {
      chown(dest, owner[0], owner[1], false);
    }
    nodes.put(path, TreeNode.directory(mode, owner[0], owner[1]));
    dirTimes.put(path, mtime);
  }

  private void file(String path, String name, int mode, int uid, int gid, FileTime mtime,
      InputStream data) throws ImageException, IOException {
    ensureParents(path, name);
    TreeNode existing = nodes.get(path);
    if (existing != null) {
      removeExisting(path, existing);
    }
    int[] owner = owner(uid, gid);
    if (dryRun) {
      nodes.put(path, TreeNode.file(mode, owner[0], owner[1], null, 0));
      return;
    }
    Path dest = dest(path);
    checksum.reset();
    long size = 0;
    try (FileChannel out = FileChannel.open(dest, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      int n;
      while ((n = data.read(buffer, 0, buffer.length)) > 0) {
        checksum.update(buffer, 0, n);
        ByteBuffer bb = ByteBuffer.wrap(buffer, 0, n);
        while (bb.hasRemaining()) {
          out.write(bb);
        }
        size += n;
      }
    }
    chown(dest, owner[0], owner[1], false);
    // After chown, which clears setuid/setgid bits.
    Files.setAttribute(dest, "unix:mode", mode & 07777);
    setTimes(dest, mtime);
    nodes.put(path, TreeNode.file(mode, owner[0], owner[1], checksum.value(), size));
  }

  private void symlink(String path, String name, String target, int uid, int gid, FileTime mtime)
      throws ImageException, IOException {
    if (target == null || target.isEmpty()) {
      throw unsafe(name, "symbolic link with an empty target");
    }
    if (target.indexOf('\0') >= 0) {
      throw unsafe(name, "symbolic link target contains a NUL character");
    }
    if (climbsOutOfRootfs(path, target)) {
      throw unsafe(name, "symbolic link target " + quote(target) + " climbs out of the rootfs");
    }
    ensureParents(path, name);
    TreeNode existing = nodes.get(path);
    if (existing != null) {
      removeExisting(path, existing);
    }
    int[] owner = owner(uid, gid);
    // What the link really holds once created: the JDK drops redundant slashes.
    Path targetPath = Path.of(target);
    if (!dryRun) {
      Path dest = dest(path);
      Files.createSymbolicLink(dest, targetPath);
      chown(dest, owner[0], owner[1], true);
      try {
        if (mtime != null) {
          Files.getFileAttributeView(dest, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .setTimes(mtime, null, null);
        }
      } catch (IOException | UnsupportedOperationException ignored) {
        // Some file systems cannot set a link's own time; it is not part of the tree hash.
      }
    }
    nodes.put(path, TreeNode.symlink(owner[0], owner[1], targetPath.toString()));
  }

  /**
   * Whether a relative link target climbs above the rootfs from the link's directory. Absolute
   * targets are resolved inside the app's root and so cannot; relative ones with more {@code ..}
   * than the link is deep have no purpose in an image but to aim at the host.
   */
  static boolean climbsOutOfRootfs(String linkPath, String target) {
    if (target.startsWith("/")) {
      return false;
    }
    // linkPath is "rootfs/dir/.../link": the link's directory is this many levels deep.
    int depth = 0;
    for (int i = 0; i < linkPath.length(); i++) {
      if (linkPath.charAt(i) == '/') {
        depth++;
      }
    }
    depth--;
    for (String part : target.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      depth += part.equals("..") ? -1 : 1;
      if (depth < 0) {
        return true;
      }
    }
    return false;
  }

  private void hardLink(String path, String name, String linkName)
      throws ImageException, IOException {
    String problem = linkName == null ? "empty entry name" : ArchivePaths.problem(linkName);
    String target = problem == null ? ArchivePaths.canonical(linkName) : null;
    if (problem != null || target == null || !target.startsWith(ArchivePaths.ROOTFS_PREFIX)) {
      throw unsafe(name, "hard link target " + quote(linkName) + " is outside the rootfs");
    }
    TreeNode t = nodes.get(target);
    if (t == null) {
      throw unsafe(name, "hard link target " + quote(linkName) + " was not extracted before it");
    }
    if (t.type() != TreeNode.Type.FILE) {
      throw unsafe(name, "hard link target " + quote(linkName) + " is not a regular file");
    }
    if (target.equals(path)) {
      throw unsafe(name, "hard link to itself");
    }
    ensureParents(path, name);
    TreeNode existing = nodes.get(path);
    if (existing != null) {
      removeExisting(path, existing);
    }
    if (!dryRun) {
      Files.createLink(dest(path), dest(target));
    }
    // Same inode, same node; files are always replaced, never rewritten, so they stay equal.
    nodes.put(path, t);
  }

  /**
   * Removes what earlier layers put at {@code path} (an OCI whiteout); nothing there is fine. The
   * path's parents must not be symbolic links: a whiteout never reaches through one.
   */
  public void whiteout(String path, String name) throws ImageException, IOException {
    checkNoLinkParents(path, name);
    TreeNode existing = nodes.get(path);
    if (existing != null) {
      removeExisting(path, existing);
    }
  }

  /**
   * An opaque whiteout: removes everything below directory {@code dir} that {@code keep} does not
   * accept (the entries of the current layer and their parents).
   */
  public void opaque(String dir, Set<String> keep, String name)
      throws ImageException, IOException {
    checkNoLinkParents(dir, name);
    TreeNode d = nodes.get(dir);
    if (d == null) {
      return;
    }
    if (d.type() == TreeNode.Type.SYMLINK) {
      throw unsafe(name, "opaque whiteout would follow the symbolic link " + quote(dir));
    }
    if (!d.isDirectory()) {
      return;
    }
    // Descending order visits children before their parents.
    for (String p : new ArrayList<>(nodes.subMap(dir + "/", true, dir + "0", false).descendingKeySet())) {
      TreeNode n = nodes.get(p);
      if (n != null && !keep.contains(p)) {
        removeExisting(p, n);
      }
    }
  }

  /**
   * The content of a regular file the builder wrote at {@code path} (canonical), or null when
   * there is none, it is larger than {@code max} bytes or a parent is not a plain directory. Only
   * what this builder created is read, never through a symbolic link.
   */
  public byte[] readFile(String path, int max) throws IOException {
    TreeNode n = nodes.get(path);
    if (dryRun || n == null || n.type() != TreeNode.Type.FILE || n.size() > max) {
      return null;
    }
    for (String p = ArchivePaths.parent(path); p != null; p = ArchivePaths.parent(p)) {
      TreeNode d = nodes.get(p);
      if (d == null || !d.isDirectory()) {
        return null;
      }
    }
    try (FileChannel in = FileChannel.open(dest(path), StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer bb = ByteBuffer.allocate((int) n.size());
      while (bb.hasRemaining() && in.read(bb) > 0) {
        // reading
      }
      return bb.array();
    }
  }

  /** Whether {@code path} (canonical) exists in the tree, as anything. */
  public boolean contains(String path) {
    return nodes.containsKey(path);
  }

  private void checkNoLinkParents(String path, String name) throws ImageException {
    int from = 0;
    int slash;
    while ((slash = path.indexOf('/', from)) >= 0) {
      TreeNode n = nodes.get(path.substring(0, slash));
      if (n != null && n.type() == TreeNode.Type.SYMLINK) {
        throw unsafe(name, "whiteout would follow the symbolic link "
            + quote(path.substring(0, slash)));
      }
      from = slash + 1;
    }
  }

  /**
   * Sets mtime (and atime to the same). Giving both saves the JDK an fstat per file, which adds
   * up over thousands of files.
   */
  private static void setTimes(Path p, FileTime mtime) throws IOException {
    if (mtime != null) {
      Files.getFileAttributeView(p, BasicFileAttributeView.class).setTimes(mtime, mtime, null);
    }
  }

  /** Checks (and creates where missing) every parent directory of {@code path}. */
  private void ensureParents(String path, String name) throws ImageException, IOException {
    int from = 0;
    int slash;
    while ((slash = path.indexOf('/', from)) >= 0) {
      String parent = path.substring(0, slash);
      TreeNode n = nodes.get(parent);
      if (n == null) {
        implicitDirectory(parent);
      } else if (n.type() == TreeNode.Type.SYMLINK) {
        throw unsafe(name, "extraction would follow the symbolic link " + quote(parent));
      } else if (!n.isDirectory()) {
        throw unsafe(name, "parent " + quote(parent) + " is not a directory");
      }
      from = slash + 1;
    }
  }

  private void implicitDirectory(String path) throws IOException {
    if (!dryRun) {
      Files.createDirectory(dest(path));
    }
    nodes.put(path, TreeNode.directory(0755, owners.apply() ? 0 : owners.createdUid(),
        owners.apply() ? 0 : owners.createdGid()));
    if (!dryRun && owners.apply() && (owners.createdUid() != 0 || owners.createdGid() != 0)) {
      chown(dest(path), 0, 0, false);
    }
  }

  private void removeExisting(String path, TreeNode existing) throws IOException {
    if (existing.isDirectory()) {
      if (!dryRun) {
        FileTrees.deleteRecursively(dest(path));
      }
      SortedMap<String, TreeNode> below = nodes.subMap(path + "/", path + "0");
      for (String p : below.keySet()) {
        dirTimes.remove(p);
      }
      below.clear();
      dirTimes.remove(path);
    } else if (!dryRun) {
      Files.delete(dest(path));
    }
    nodes.remove(path);
  }

  private int[] owner(int uid, int gid) {
    return owners.apply() ? new int[] {uid, gid}
        : new int[] {owners.createdUid(), owners.createdGid()};
  }

  private void chown(Path p, int uid, int gid, boolean isLink) throws IOException {
    if (!owners.apply()) {
      return;
    }
    LinkOption[] opts = isLink ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
    if (uid != owners.createdUid()) {
      Files.setAttribute(p, "unix:uid", uid, opts);
    }
    if (gid != owners.createdGid()) {
      Files.setAttribute(p, "unix:gid", gid, opts);
    }
  }

  private Path dest(String path) {
    if (root == null) {
      return null;
    }
    if (!rootfsOnly) {
      return root.resolve(path);
    }
    return path.equals(ArchivePaths.ROOTFS) ? root
        : root.resolve(path.substring(ArchivePaths.ROOTFS_PREFIX.length()));
  }

  /**
   * Writes the image manifest as the tree's {@code manifest} file (mode 0644). Nothing is written
   * for a rootfs-only extraction.
   */
  public void writeManifest(byte[] manifest) throws IOException {
    if (dryRun || rootfsOnly) {
      return;
    }
    TreeNode existing = nodes.get(ArchivePaths.MANIFEST);
    Path dest = root.resolve(ArchivePaths.MANIFEST);
    if (existing != null) {
      Files.delete(dest);
    }
    try (FileChannel out = FileChannel.open(dest, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer bb = ByteBuffer.wrap(manifest);
      while (bb.hasRemaining()) {
        out.write(bb);
      }
    }
    Files.setAttribute(dest, "unix:mode", 0644);
    nodes.put(ArchivePaths.MANIFEST, TreeNode.file(0644, owners.createdUid(),
        owners.createdGid(), ContentChecksum.of(manifest), manifest.length));
  }

  /**
   * Keeps only the rootfs paths listed in an image's {@code pathWhitelist} (absolute paths, as in
   * the manifest) and the directories leading to them. An empty list keeps everything.
   */
  public void applyWhitelist(List<String> whitelist) throws IOException {
    if (whitelist.isEmpty()) {
      return;
    }
    Set<String> keep = new HashSet<>();
    keep.add(ArchivePaths.ROOTFS);
    for (String w : whitelist) {
      String p = whitelistPath(w);
      while (p != null && keep.add(p)) {
        p = ArchivePaths.parent(p);
      }
    }
    for (String path : new ArrayList<>(nodes.descendingKeySet())) {
      if (path.equals(ArchivePaths.MANIFEST) || keep.contains(path)) {
        continue;
      }
      // Children come first in descending order, so a directory is empty by now.
      if (!dryRun) {
        Files.delete(dest(path));
      }
      nodes.remove(path);
      dirTimes.remove(path);
    }
  }

  private static String whitelistPath(String absolute) {
    StringBuilder sb = new StringBuilder(ArchivePaths.ROOTFS);
    for (String c : absolute.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        return null;
      }
      sb.append('/').append(c);
    }
    return sb.toString();
  }

  /** Applies directory modes and mtimes; after this the builder only answers questions. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    if (dryRun) {
      return;
    }
    for (Map.Entry<String, TreeNode> n : nodes.entrySet()) {
      if (!n.getValue().isDirectory()) {
        continue;
      }
      Path dest = dest(n.getKey());
      Files.setAttribute(dest, "unix:mode", n.getValue().mode());
      setTimes(dest, dirTimes.get(n.getKey()));
    }
  }

  /** What the tree holds, by canonical path. */
  public SortedMap<String, TreeNode> nodes() {
    return Collections.unmodifiableSortedMap(nodes);
  }

  /** The tree hash (see {@link TreeHash}); only meaningful for a finished, written tree. */
  public String hash() {
    return TreeHash.of(nodes);
  }

  /** Bytes of regular-file content in the rootfs as it now stands (hard links counted once). */
  public long contentBytes() {
    Set<TreeNode> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    long total = 0;
    for (Map.Entry<String, TreeNode> e : nodes.entrySet()) {
      TreeNode n = e.getValue();
      if (n.type() == TreeNode.Type.FILE && !e.getKey().equals(ArchivePaths.MANIFEST)
          && seen.add(n)) {
        total += n.size();
      }
    }
    return total;
  }

  /** Device nodes below {@code /dev} that were skipped. */
  public int skippedDevices() {
    return skippedDevices;
  }

  private UnsafeEntryException unsafe(String entry, String reason) {
    return new UnsafeEntryException(image, entry, reason);
  }

  private static String quote(String s) {
    return io.jrkt.appc.Names.quote(s);
  }
}
