package io.jrkt.stage1.kvm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The VM spec stage0 writes for stage1-kvm ({@code stage1/rootfs/rkt/vm}): NUL-terminated
 * strings like the run plan, {@code version 1}, then {@code accel NAME},
 * {@code boot-timeout-ms N}, {@code host-pod-dir PATH}, {@code virtiofsd COUNT ARGS...}, one
 * {@code volume TAG HOST-PATH COUNT ARGS...} per host volume (its virtiofsd, serving
 * {@code vm/TAG.sock}), followed by {@code read-only TAG} when every mount of it is read-only
 * (the stage1 then shares it from a read-only bind), one {@code output APP OUT-FD ERR-FD} per
 * app (the fds qemu takes that app's stdout and stderr sockets at) and
 * {@code qemu COUNT ARGS...}.
 */
public record VmSpec(String accel, long bootTimeoutMillis, String hostPodDir,
    List<String> virtiofsd, List<Volume> volumes, List<String> apps, List<String> qemu) {
  /**
   * A host volume's share: its virtio-fs tag, host directory and virtiofsd command line, and
   * whether the host side serves it read-only.
   */
  public record Volume(String tag, String hostPath, List<String> virtiofsd, boolean readOnly) {
    public Volume {
      virtiofsd = List.copyOf(virtiofsd);
    }
  }

  /** Its name in the stage1 root's {@code rkt} directory. */
  public static final String FILE = "vm";
  /** Where the stage1 reads it, relative to the pod directory. */
  public static final String PATH = "stage1/rootfs/rkt/" + FILE;

  public VmSpec {
    virtiofsd = List.copyOf(virtiofsd);
    volumes = List.copyOf(volumes);
    apps = List.copyOf(apps);
    qemu = List.copyOf(qemu);
    if (bootTimeoutMillis <= 0 || bootTimeoutMillis > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("bad boot timeout " + bootTimeoutMillis);
    }
    List<String> all = new java.util.ArrayList<>(List.of(accel, hostPodDir));
    all.addAll(virtiofsd);
    for (Volume v : volumes) {
      all.add(v.tag());
      all.add(v.hostPath());
      all.addAll(v.virtiofsd());
    }
    all.addAll(apps);
    all.addAll(qemu);
    for (String s : all) {
      if (s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("NUL in a VM spec field: " + s);
      }
    }
  }

  public static VmSpec of(VmConfig c, long bootTimeoutMillis) {
    return of(c, bootTimeoutMillis, java.util.Set.of());
  }

  /** @param readOnlyVolumes the config's volumes that every mount uses read-only */
  public static VmSpec of(VmConfig c, long bootTimeoutMillis,
      java.util.Set<String> readOnlyVolumes) {
    List<Volume> volumes = new java.util.ArrayList<>();
    for (int i = 1; i <= c.volumes().size(); i++) {
      String path = c.volumes().get(i - 1);
      volumes.add(new Volume(QemuCommand.volumeTag(i), path,
          QemuCommand.volumeVirtiofsdArgv(c, i), readOnlyVolumes.contains(path)));
    }
    return new VmSpec(c.accel(), bootTimeoutMillis, c.hostPodDir(), QemuCommand.virtiofsdArgv(c),
        volumes, c.apps(), QemuCommand.qemuArgv(c));
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, "version");
    field(out, "1");
    field(out, "accel");
    field(out, accel);
    field(out, "boot-timeout-ms");
    field(out, Long.toString(bootTimeoutMillis));
    field(out, "host-pod-dir");
    field(out, hostPodDir);
    list(out, "virtiofsd", virtiofsd);
    for (Volume v : volumes) {
      field(out, "volume");
      field(out, v.tag());
      field(out, v.hostPath());
      field(out, Integer.toString(v.virtiofsd().size()));
      v.virtiofsd().forEach(a -> field(out, a));
      if (v.readOnly()) {
        field(out, "read-only");
        field(out, v.tag());
      }
    }
    for (int i = 0; i < apps.size(); i++) {
      field(out, "output");
      field(out, apps.get(i));
      field(out, Integer.toString(QemuCommand.appOutFd(i)));
      field(out, Integer.toString(QemuCommand.appErrFd(i)));
    }
    list(out, "qemu", qemu);
    return out.toByteArray();
  }

  private static void list(ByteArrayOutputStream out, String key, List<String> values) {
    field(out, key);
    field(out, Integer.toString(values.size()));
    values.forEach(v -> field(out, v));
  }

  private static void field(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }
}
