package io.jrkt.stage1;

import io.jrkt.appc.Isolator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An app's seccomp filter as the stage1 installs it: plain x86_64 syscall names (groups already
 * expanded) that are the only ones allowed ({@code retain}) or the ones refused (remove). A
 * refused syscall kills the app with SIGSYS when {@code errno} is 0, else fails with that errno.
 *
 * <p>rkt's rules: without a seccomp isolator the app gets {@code @rkt/default-whitelist}, killing
 * on anything else; {@code os/linux/seccomp-retain-set} and {@code ...-remove-set} take a
 * {@code set} of names and {@code @group}s and an optional symbolic {@code errno}.
 */
public record SeccompFilter(boolean retain, int errno, List<String> syscalls) {
  public static final String DEFAULT_GROUP = "@rkt/default-whitelist";

  public SeccompFilter {
    syscalls = List.copyOf(syscalls);
    if (errno < 0 || errno > 4095) {
      throw new IllegalArgumentException("errno " + errno + " is out of range");
    }
    for (String name : syscalls) {
      if (!SeccompTables.get().isSyscall(name)) {
        throw new IllegalArgumentException("unknown syscall " + name);
      }
    }
  }

  /** The default filter: rkt's whitelist, killing the app on anything else. */
  public static SeccompFilter defaultFilter() {
    return new SeccompFilter(true, 0, SeccompTables.get().group(DEFAULT_GROUP).orElseThrow());
  }

  /**
   * The filter of an app's isolator list.
   *
   * @param where the app, for messages ({@code app "web"})
   */
  public static SeccompFilter of(List<Isolator> isolators, String where) throws Stage1Exception {
    Optional<Isolator> found = Optional.empty();
    for (Isolator iso : isolators) {
      if (iso.name().equals(Isolator.SECCOMP_RETAIN) || iso.name().equals(Isolator.SECCOMP_REMOVE)) {
        if (found.isPresent()) {
          throw new Stage1Exception(where + ": isolator " + iso.name() + ": only one seccomp "
              + "isolator is allowed (" + found.get().name() + " is given too)");
        }
        found = Optional.of(iso);
      }
    }
    if (found.isEmpty()) {
      return defaultFilter();
    }
    Isolator iso = found.get();
    String context = where + ": isolator " + iso.name() + ": ";
    return new SeccompFilter(iso.name().equals(Isolator.SECCOMP_RETAIN),
        errno(iso, context), expand(iso.set(), context));
  }

  private static int errno(Isolator iso, String context) throws Stage1Exception {
    if (iso.errno().isEmpty()) {
      return 0;
    }
    String name = iso.errno().get();
    return SeccompTables.get().errno(name).orElseThrow(() -> new Stage1Exception(context
        + "unknown errno " + name + " (a symbolic name such as EPERM)"));
  }

  /** The set's names with its groups replaced by their members, in order, each name once. */
  static List<String> expand(List<String> set, String context) throws Stage1Exception {
    if (set.isEmpty()) {
      throw new Stage1Exception(context + "the \"set\" is empty (use @appc.io/empty for none)");
    }
    Set<String> out = new LinkedHashSet<>();
    for (String entry : set) {
      if (entry.startsWith("@")) {
        out.addAll(SeccompTables.get().group(entry).orElseThrow(() -> new Stage1Exception(
            context + "unknown syscall group " + entry)));
      } else if (SeccompTables.get().isSyscall(entry)) {
        out.add(entry);
      } else {
        throw new Stage1Exception(context + "unknown syscall " + entry + " (not an x86_64 "
            + "syscall name)");
      }
    }
    return List.copyOf(out);
  }
}
