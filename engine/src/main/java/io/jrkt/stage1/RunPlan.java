package io.jrkt.stage1;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The run plan ({@code stage1/rootfs/rkt/plan}, format version 1): a flat sequence of
 * NUL-terminated strings, {@code version 1} and then per app the directives {@code app},
 * {@code root}, {@code uid}, {@code gid}, {@code groups}, {@code cwd}, {@code env}, {@code exec},
 * {@code mount}... and {@code readonly-rootfs}, then for flavors that enforce them the isolator
 * directives {@code no-new-privileges}, {@code oom-score-adj}, {@code caps},
 * {@code memory-limit}, {@code cpu-quota} and {@code seccomp}. Lists are preceded by their
 * length. See the stage1 implementor's guide.
 */
public record RunPlan(List<AppPlan> apps) {
  public static final String VERSION = "1";
  /** Where the plan lives, relative to the pod directory. */
  public static final String PATH = "stage1/rootfs/rkt/plan";

  public RunPlan {
    apps = List.copyOf(apps);
    if (apps.isEmpty()) {
      throw new IllegalArgumentException("a run plan needs at least one app");
    }
  }

  /** The plan's bytes. */
  public byte[] encode() {
    Writer w = new Writer();
    w.field("version").field(VERSION);
    for (AppPlan a : apps) {
      w.field("app").field(a.name().value());
      w.field("root").field(a.root());
      w.field("uid").field(Integer.toString(a.uid()));
      w.field("gid").field(Integer.toString(a.gid()));
      w.field("groups").field(Integer.toString(a.groups().size()));
      for (int g : a.groups()) {
        w.field(Integer.toString(g));
      }
      w.field("cwd").field(a.cwd());
      w.field("env").field(Integer.toString(a.env().size()));
      for (KeyValue kv : a.env()) {
        w.field(kv.key() + "=" + kv.value());
      }
      w.field("exec").field(Integer.toString(a.exec().size()));
      for (String arg : a.exec()) {
        w.field(arg);
      }
      for (PlanMount m : a.mounts()) {
        w.field("mount").field(m.source()).field(m.target()).field(String.join(",", m.options()));
      }
      w.field("readonly-rootfs").field(a.readOnlyRootfs() ? "1" : "0");
      if (a.isolators().isPresent()) {
        isolators(w, a.isolators().get());
      }
    }
    return w.out.toByteArray();
  }

  /** The isolator directives, for the flavors that take them (see {@link Stage1Flavor}). */
  private static void isolators(Writer w, AppIsolators iso) {
    w.field("no-new-privileges").field(iso.noNewPrivileges() ? "1" : "0");
    if (iso.oomScoreAdj().isPresent()) {
      w.field("oom-score-adj").field(Integer.toString(iso.oomScoreAdj().get()));
    }
    w.field("caps").field(Integer.toString(iso.capabilities().size()));
    for (String cap : iso.capabilities()) {
      w.field(cap);
    }
    if (iso.memoryLimitBytes().isPresent()) {
      w.field("memory-limit").field(Long.toString(iso.memoryLimitBytes().getAsLong()));
    }
    if (iso.cpuQuotaMillis().isPresent()) {
      w.field("cpu-quota").field(Long.toString(iso.cpuQuotaMillis().getAsLong()));
    }
    SeccompFilter seccomp = iso.seccomp();
    w.field("seccomp").field(seccomp.retain() ? "retain" : "remove")
        .field(Integer.toString(seccomp.errno()))
        .field(Integer.toString(seccomp.syscalls().size()));
    for (String name : seccomp.syscalls()) {
      w.field(name);
    }
  }

  private static final class Writer {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

    Writer field(String s) {
      if (s.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("a run plan field cannot contain NUL: "
            + s.replace('\0', '@'));
      }
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      out.write(b, 0, b.length);
      out.write(0);
      return this;
    }
  }
}
