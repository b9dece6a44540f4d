package io.jrkt.net;

import io.jrkt.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pod directory's {@code net-info.json}, in rkt's shape: one object per network. */
public final class NetInfoFile {
  public static final String NAME = "net-info.json";

  private NetInfoFile() {}

  static List<Object> entries(List<PodNetwork.Joined> nets) {
    List<Object> out = new ArrayList<>();
    for (PodNetwork.Joined j : nets) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("netName", j.attachment().conf().name());
      m.put("netConf", j.recordedConf().toString());
      m.put("pluginPath", j.plugin().toString());
      m.put("ifName", j.attachment().ifName());
      m.put("ip", j.result().ip());
      m.put("args", j.attachment().args());
      m.put("mask", j.result().mask());
      out.add(m);
    }
    return out;
  }

  static void write(Path podDir, List<PodNetwork.Joined> nets) throws NetException {
    Path file = podDir.resolve(NAME);
    Path tmp = podDir.resolve("." + NAME + ".tmp");
    try {
      Files.write(tmp, Json.write(entries(nets)).getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new NetException("cannot write " + file + ": " + e, e);
    }
  }
}
