package io.jrkt.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds network configs as rkt did: the built-in {@code default} and {@code default-restricted},
 * then {@code *.conf} files of the user's {@code net.d} directory in lexical order. A user
 * network with a built-in's name replaces it; within the directory the first file for a name
 * wins.
 */
public final class NetConfLoader {
  /**
   * The built-in networks' configs, rkt's, by the file name they would have in a net.d. Kept in
   * the class rather than as resources: the first resource read from a jar costs a run ~7 ms.
   */
  private static final Map<String, String> BUILTIN = builtinConfigs();

  private static Map<String, String> builtinConfigs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("99-default.conf", "{\"cniVersion\":\"0.4.0\",\"name\":\"default\",\"type\":\"ptp\","
        + "\"ipMasq\":true,\"ipam\":{\"type\":\"host-local\",\"subnet\":\"172.16.28.0/24\","
        + "\"routes\":[{\"dst\":\"0.0.0.0/0\"}]}}");
    m.put("99-default-restricted.conf", "{\"cniVersion\":\"0.4.0\","
        + "\"name\":\"default-restricted\",\"type\":\"ptp\",\"ipMasq\":false,"
        + "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"172.31.0.0/16\"}}");
    return m;
  }

  private NetConfLoader() {}

  /** The built-in networks, by name. */
  public static Map<String, NetConf> builtin() throws NetException {
    Map<String, NetConf> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : BUILTIN.entrySet()) {
      NetConf c = NetConf.parse(e.getValue().getBytes(StandardCharsets.UTF_8),
          "builtin:" + e.getKey());
      out.put(c.name(), c);
    }
    return out;
  }

  /**
   * The user's networks from each directory in turn (an absent one has none), by name: within
   * a directory in lexical file order, and the first file for a name wins.
   */
  public static Map<String, NetConf> user(NetConfigDirs dirs) throws NetException {
    Map<String, NetConf> out = new LinkedHashMap<>();
    for (Path netD : dirs.dirs()) {
      for (Path f : confFiles(netD)) {
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(f);
        } catch (IOException e) {
          throw new NetException("cannot read network config " + f + ": " + e, e);
        }
        NetConf c = NetConf.parse(bytes, f.toString());
        out.putIfAbsent(c.name(), c);
      }
    }
    return out;
  }

  private static List<Path> confFiles(Path netD) throws NetException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(netD, "*.conf")) {
      for (Path p : ds) {
        files.add(p);
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new NetException("cannot list network configs in " + netD + ": " + e, e);
    }
    files.sort(null);
    return files;
  }

  /**
   * The networks a {@code --net} list asks for, in its order, each with its CNI_ARGS. Refuses
   * unknown names and networks whose subnets overlap.
   */
  public static List<Attachment> select(NetListSpec list, Map<String, NetConf> builtin,
      Map<String, NetConf> user, NetConfigDirs dirs) throws NetException {
    List<Attachment> out = new ArrayList<>();
    if (list.all()) {
      for (NetConf c : user.values()) {
        out.add(new Attachment(c, "", out.size()));
      }
      if (!user.containsKey("default")) {
        out.add(new Attachment(builtin.get("default"), "", out.size()));
      }
    } else {
      for (NetListSpec.Entry e : list.entries()) {
        NetConf c = user.containsKey(e.name()) ? user.get(e.name()) : builtin.get(e.name());
        if (c == null) {
          throw new NetException("--net: network \"" + e.name() + "\" is not configured"
              + " (no *.conf file in " + dirs.describe() + " names it)");
        }
        out.add(new Attachment(c, e.args(), out.size()));
      }
    }
    checkSubnets(out);
    return out;
  }

  private static void checkSubnets(List<Attachment> nets) throws NetException {
    for (int i = 0; i < nets.size(); i++) {
      for (int j = i + 1; j < nets.size(); j++) {
        NetConf a = nets.get(i).conf();
        NetConf b = nets.get(j).conf();
        for (Ipv4Subnet sa : a.subnets()) {
          for (Ipv4Subnet sb : b.subnets()) {
            if (sa.overlaps(sb)) {
              throw new NetException("networks \"" + a.name() + "\" (" + a.source() + ", " + sa
                  + ") and \"" + b.name() + "\" (" + b.source() + ", " + sb
                  + ") have overlapping subnets");
            }
          }
        }
      }
    }
  }
}
