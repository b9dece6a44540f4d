package io.jrkt.stage1;

import io.jrkt.appc.Isolator;
import io.jrkt.appc.Quantity;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The isolators a stage1 enforces for one app, decided by stage0 from the app's isolator list:
 * the capability set (bounding, effective, permitted, inheritable), no-new-privileges, the OOM
 * score adjustment, the memory and CPU limits and the seccomp filter.
 *
 * <p>Capabilities follow rkt: without a capabilities isolator the app gets {@link #DEFAULT_CAPS};
 * {@code os/linux/capabilities-retain-set} replaces that set, {@code ...-remove-set} takes its
 * names out of it. Memory below {@link #MIN_MEMORY_BYTES} and CPU below
 * {@link #MIN_CPU_MILLIS} are refused: the kernel would refuse them too, or kill the app at once.
 *
 * @param capabilities the capability names the app keeps (CAP_...)
 * @param memoryLimitBytes the {@code resource/memory} limit
 * @param cpuQuotaMillis the {@code resource/cpu} limit in milli-cores
 * @param seccomp the syscall filter (see {@link SeccompFilter} for rkt's default)
 */
public record AppIsolators(List<String> capabilities, boolean noNewPrivileges,
    Optional<Integer> oomScoreAdj, OptionalLong memoryLimitBytes, OptionalLong cpuQuotaMillis,
    SeccompFilter seccomp) {

  /** rkt's default bounding set for an app without a capabilities isolator. */
  public static final List<String> DEFAULT_CAPS = List.of("CAP_AUDIT_WRITE", "CAP_CHOWN",
      "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_KILL", "CAP_MKNOD", "CAP_NET_RAW",
      "CAP_NET_BIND_SERVICE", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETFCAP",
      "CAP_SYS_CHROOT");

  /** The capabilities Linux defines, in number order. */
  public static final List<String> KNOWN_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE",
      "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
      "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
      "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
      "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
      "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG",
      "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
      "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
      "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

  /** Below this, a memory cgroup leaves an app no room to start. */
  public static final long MIN_MEMORY_BYTES = 4L << 20;
  /** The kernel's smallest CFS quota is 1 ms per 100 ms period. */
  public static final long MIN_CPU_MILLIS = 10;

  public AppIsolators {
    capabilities = List.copyOf(capabilities);
    for (String cap : capabilities) {
      if (!KNOWN_CAPS.contains(cap)) {
        throw new IllegalArgumentException("unknown capability " + cap);
      }
    }
    Objects.requireNonNull(oomScoreAdj, "oomScoreAdj");
    Objects.requireNonNull(memoryLimitBytes, "memoryLimitBytes");
    Objects.requireNonNull(cpuQuotaMillis, "cpuQuotaMillis");
    Objects.requireNonNull(seccomp, "seccomp");
  }

  /**
   * The isolators of an app's isolator list.
   *
   * @param where the app, for messages ({@code app "web"})
   */
  public static AppIsolators of(List<Isolator> isolators, String where) throws Stage1Exception {
    List<String> caps = DEFAULT_CAPS;
    boolean noNewPrivileges = false;
    Optional<Integer> oomScoreAdj = Optional.empty();
    OptionalLong memory = OptionalLong.empty();
    OptionalLong cpu = OptionalLong.empty();
    for (Isolator iso : isolators) {
      switch (iso.name()) {
        case Isolator.CAPABILITIES_RETAIN:
          caps = knownCaps(iso, where);
          break;
        case Isolator.CAPABILITIES_REMOVE:
          List<String> removed = knownCaps(iso, where);
          caps = new ArrayList<>(DEFAULT_CAPS);
          caps.removeAll(removed);
          break;
        case Isolator.NO_NEW_PRIVILEGES:
          noNewPrivileges = iso.booleanValue().orElse(false);
          break;
        case Isolator.OOM_SCORE_ADJ:
          oomScoreAdj = Optional.of(oomScoreAdj(iso, where));
          break;
        case Isolator.MEMORY:
          if (limit(iso).isPresent()) {
            memory = OptionalLong.of(memoryBytes(limit(iso).get(), where));
          }
          break;
        case Isolator.CPU:
          if (limit(iso).isPresent()) {
            cpu = OptionalLong.of(cpuMillis(limit(iso).get(), where));
          }
          break;
        default:
          // Other isolators are not enforced by this stage1 (see the stage1 docs).
      }
    }
    return new AppIsolators(caps, noNewPrivileges, oomScoreAdj, memory, cpu,
        SeccompFilter.of(isolators, where));
  }

  private static List<String> knownCaps(Isolator iso, String where) throws Stage1Exception {
    List<String> out = new ArrayList<>();
    for (String cap : iso.set()) {
      if (!KNOWN_CAPS.contains(cap)) {
        throw new Stage1Exception(where + ": isolator " + iso.name() + ": unknown capability "
            + cap);
      }
      if (!out.contains(cap)) {
        out.add(cap);
      }
    }
    return out;
  }

  private static int oomScoreAdj(Isolator iso, String where) throws Stage1Exception {
    long adj = iso.longValue().orElse(Long.MIN_VALUE);
    if (adj < -1000 || adj > 1000) {
      throw new Stage1Exception(where + ": isolator " + iso.name() + ": " + iso.value()
          + " is not a number from -1000 to 1000");
    }
    return (int) adj;
  }

  /** The limit of a resource isolator (its request when it has no limit, as rkt did). */
  private static Optional<Quantity> limit(Isolator iso) {
    return iso.limit().isPresent() ? iso.limit() : iso.request();
  }

  private static long memoryBytes(Quantity q, String where) throws Stage1Exception {
    long bytes = q.ceilLong();
    if (bytes < MIN_MEMORY_BYTES) {
      throw new Stage1Exception(where + ": memory limit " + q.text()
          + " is below the minimum of 4Mi (" + MIN_MEMORY_BYTES + " bytes)");
    }
    return bytes;
  }

  private static long cpuMillis(Quantity q, String where) throws Stage1Exception {
    long millis = q.ceilMilli();
    if (millis < MIN_CPU_MILLIS) {
      throw new Stage1Exception(where + ": CPU limit " + q.text() + " is below the minimum of "
          + MIN_CPU_MILLIS + "m");
    }
    return millis;
  }
}
