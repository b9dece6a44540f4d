package io.jrkt.oci;

import io.jrkt.appc.AcIdentifier;
import io.jrkt.appc.AcName;
import io.jrkt.appc.AppcException;
import io.jrkt.appc.ImageManifest;
import io.jrkt.appc.OsArch;
import io.jrkt.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Makes the appc image manifest of an OCI or Docker image from its config, as docker2aci did for
 * rkt: exec = Entrypoint ++ Cmd, Env, WorkingDir, User, ExposedPorts as ports, Volumes as mount
 * points, Labels as user labels, and the original values kept as {@code appc.io/docker/*}
 * annotations.
 */
public final class AppcConversion {
  public static final String ANNOTATION_PREFIX = "appc.io/docker/";
  static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private AppcConversion() {}

  /** The appc architecture label for an OCI architecture (and variant), or null if none fits. */
  public static String appcArch(String architecture, String variant) {
    if (architecture == null) {
      return null;
    }
    switch (architecture) {
      case "amd64":
        return "amd64";
      case "arm64":
        return "aarch64";
      case "386":
        return "i386";
      case "arm":
        return "v6".equals(variant) ? "armv6l" : "armv7l";
      case "ppc64le":
      case "ppc64":
      case "s390x":
        return architecture;
      default:
        return null;
    }
  }

  /** Checks that the config is for linux on a supported architecture; returns the appc arch. */
  public static String checkPlatform(ImageConfig config) throws OciFormatException {
    String os = config.os() == null ? "linux" : config.os();
    if (!os.equals("linux")) {
      throw new OciFormatException("image os \"" + os + "\" is not supported (only linux)");
    }
    String arch = appcArch(config.architecture(), config.variant());
    if (arch == null || !OsArch.LINUX_ARCHS.contains(arch)) {
      throw new OciFormatException("image architecture \"" + config.architecture()
          + "\" is not supported");
    }
    return arch;
  }

  /**
   * The manifest JSON, validated.
   *
   * @param exists whether an absolute path names an entry of the rendered rootfs (resolving a
   *     relative exec[0] along PATH, as docker does)
   */
  public static byte[] manifest(ImageConfig config, ImageNaming naming, Digest manifestDigest,
      Digest configDigest, UserDatabase users, Predicate<String> exists)
      throws OciFormatException {
    String os = "linux";
    String arch = checkPlatform(config);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("acKind", "ImageManifest");
    m.put("acVersion", "0.8.11");
    m.put("name", AcIdentifier.sanitize(naming.appcName()).value());
    List<Object> labels = new ArrayList<>();
    labels.add(nameValue("version", naming.version()));
    labels.add(nameValue("os", os));
    labels.add(nameValue("arch", arch));
    m.put("labels", labels);
    m.put("app", app(config, users, exists));
    m.put("annotations", annotations(config, naming, manifestDigest, configDigest));
    byte[] bytes = Json.writePretty(m).getBytes(StandardCharsets.UTF_8);
    try {
      ImageManifest.parse(bytes).requireOsArch();
    } catch (AppcException e) {
      throw new OciFormatException("the image config does not make a valid appc manifest: "
          + e.getMessage(), e);
    }
    return bytes;
  }

  private static Map<String, Object> app(ImageConfig c, UserDatabase users,
      Predicate<String> exists) throws OciFormatException {
    Map<String, Object> app = new LinkedHashMap<>();
    List<String> exec = new ArrayList<>();
    if (c.entrypoint() != null) {
      exec.addAll(c.entrypoint());
    }
    if (c.cmd() != null) {
      exec.addAll(c.cmd());
    }
    if (!exec.isEmpty() && !exec.get(0).startsWith("/")) {
      exec.set(0, lookPath(exec.get(0), c.env(), exists));
    }
    app.put("exec", exec);
    String[] ug = userGroup(c.user(), users);
    app.put("user", ug[0]);
    app.put("group", ug[1]);
    if (c.workingDir() != null && !c.workingDir().isEmpty()) {
      app.put("workingDirectory", c.workingDir());
    }
    List<Object> env = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String kv : c.env()) {
      int eq = kv.indexOf('=');
      String k = eq < 0 ? kv : kv.substring(0, eq);
      if (eq <= 0 || !seen.add(k)) {
        continue;
      }
      env.add(nameValue(k, kv.substring(eq + 1)));
    }
    app.put("environment", env);
    app.put("mountPoints", mountPoints(c.volumes()));
    app.put("ports", ports(c.exposedPorts()));
    if (!c.labels().isEmpty()) {
      app.put("userLabels", new LinkedHashMap<>(c.labels()));
    }
    return app;
  }

  /** Docker's PATH lookup, done against the rendered rootfs. */
  static String lookPath(String cmd, List<String> env, Predicate<String> exists)
      throws OciFormatException {
    String path = DEFAULT_PATH;
    for (String kv : env) {
      if (kv.startsWith("PATH=")) {
        path = kv.substring(5);
      }
    }
    if (!cmd.contains("/")) {
      for (String dir : path.split(":")) {
        if (dir.startsWith("/")) {
          String candidate = (dir.endsWith("/") ? dir : dir + "/") + cmd;
          if (exists.test(candidate)) {
            return candidate;
          }
        }
      }
    }
    throw new OciFormatException("the image's command \"" + cmd
        + "\" is not an absolute path and was not found along PATH " + path);
  }

  /**
   * User and group as docker2aci mapped them (empty: root; {@code u:g}; {@code u} alone: u and
   * its primary group), with names resolved to numbers in the image's own passwd and group files.
   */
  static String[] userGroup(String spec, UserDatabase users) {
    if (spec == null || spec.isEmpty()) {
      return new String[] {"0", "0"};
    }
    int colon = spec.indexOf(':');
    String user = colon < 0 ? spec : spec.substring(0, colon);
    String group = colon < 0 ? null : spec.substring(colon + 1);
    Long uidNumber = UserDatabase.number(user);
    long[] entry = uidNumber != null ? users.userById(uidNumber) : users.user(user);
    String uid = uidNumber != null ? user : entry != null ? Long.toString(entry[0]) : user;
    String gid;
    if (group == null || group.isEmpty()) {
      gid = entry != null ? Long.toString(entry[1]) : uidNumber != null ? "0" : user;
    } else if (UserDatabase.number(group) != null) {
      gid = group;
    } else {
      Long g = users.group(group);
      gid = g != null ? Long.toString(g) : group;
    }
    return new String[] {uid, gid};
  }

  /** {@code 80/tcp} as {@code {name 80-tcp, protocol tcp, port 80}}, sorted by the key. */
  static List<Object> ports(List<String> exposed) throws OciFormatException {
    List<Object> out = new ArrayList<>();
    for (String p : exposed) {
      int slash = p.indexOf('/');
      String number = slash < 0 ? p : p.substring(0, slash);
      String protocol = slash < 0 ? "tcp" : p.substring(slash + 1);
      Long port = UserDatabase.number(number);
      if (port == null || port < 1 || port > 65535 || !(protocol.equals("tcp")
          || protocol.equals("udp"))) {
        throw new OciFormatException("exposed port \"" + p + "\" is not PORT[/tcp|/udp]");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", number + "-" + protocol);
      m.put("protocol", protocol);
      m.put("port", port);
      m.put("count", 1L);
      m.put("socketActivated", false);
      out.add(m);
    }
    return out;
  }

  /** {@code /data} as {@code volume-data}; a name taken already gets {@code -2}, {@code -3}... */
  static List<Object> mountPoints(List<String> volumes) throws OciFormatException {
    List<Object> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String v : volumes) {
      if (!v.startsWith("/")) {
        throw new OciFormatException("volume \"" + v + "\" is not an absolute path");
      }
      String base;
      try {
        base = AcName.sanitize("volume/" + v).value();
      } catch (IllegalArgumentException e) {
        base = "volume";
      }
      String name = base;
      for (int i = 2; !names.add(name); i++) {
        name = base + "-" + i;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      m.put("path", v);
      m.put("readOnly", false);
      out.add(m);
    }
    return out;
  }

  private static List<Object> annotations(ImageConfig c, ImageNaming n, Digest manifestDigest,
      Digest configDigest) {
    List<Object> out = new ArrayList<>();
    if (c.created() != null) {
      out.add(nameValue("created", c.created()));
    }
    if (c.author() != null && !c.author().isEmpty()) {
      out.add(nameValue("authors", c.author()));
    }
    if (n.registry() != null) {
      out.add(nameValue(ANNOTATION_PREFIX + "registryurl", n.registry()));
    }
    out.add(nameValue(ANNOTATION_PREFIX + "repository", n.repository()));
    out.add(nameValue(ANNOTATION_PREFIX + "imageid", configDigest.toString()));
    out.add(nameValue(ANNOTATION_PREFIX + "manifesthash", manifestDigest.toString()));
    if (n.tag() != null) {
      out.add(nameValue(ANNOTATION_PREFIX + "tag", n.tag()));
    }
    out.add(nameValue(ANNOTATION_PREFIX + "originalname", n.original()));
    if (c.entrypoint() != null) {
      out.add(nameValue(ANNOTATION_PREFIX + "entrypoint", Json.write(c.entrypoint())));
    }
    if (c.cmd() != null) {
      out.add(nameValue(ANNOTATION_PREFIX + "cmd", Json.write(c.cmd())));
    }
    return out;
  }

  private static Map<String, Object> nameValue(String name, String value) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("value", value);
    return m;
  }
}
