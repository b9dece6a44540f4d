package io.jrkt.stage1.kvm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the host offers for hardware virtualization, as far as it decides whether a VM pod can
 * use KVM: {@code /dev/kvm} and whether it opens, the KVM modules loaded, the CPU's
 * virtualization flags.
 *
 * @param devKvmError empty when {@code /dev/kvm} opens read-write, else why not
 * @param kvmModules loaded modules among {@link #KNOWN_MODULES}
 * @param cpuVirtFlags the CPU advertises {@code vmx} or {@code svm}
 */
public record HostVirt(Optional<String> devKvmError, Set<String> kvmModules,
    boolean cpuVirtFlags) {
  /** Modules that provide {@code /dev/kvm}: Intel VT-x, AMD-V, and PVM's nested one. */
  public static final Set<String> KNOWN_MODULES = Set.of("kvm_intel", "kvm_amd", "kvm_pvm");

  public HostVirt {
    Objects.requireNonNull(devKvmError, "devKvmError");
    kvmModules = Set.copyOf(new TreeSet<>(kvmModules));
    for (String m : kvmModules) {
      if (!KNOWN_MODULES.contains(m)) {
        throw new IllegalArgumentException("unknown KVM module " + m);
      }
    }
  }

  /** Looks at this host ({@code root} is {@code /}, or a test's fake root). */
  public static HostVirt probe(Path root) {
    Path dev = root.resolve("dev/kvm");
    Optional<String> error = Optional.empty();
    if (!Files.exists(dev)) {
      error = Optional.of("/dev/kvm does not exist");
    } else {
      try (RandomAccessFile f = new RandomAccessFile(dev.toFile(), "rw")) {
        // opened: usable by this process
      } catch (IOException e) {
        error = Optional.of("/dev/kvm cannot be opened: " + e.getMessage());
      }
    }
    Set<String> modules = new TreeSet<>();
    for (String m : KNOWN_MODULES) {
      if (Files.isDirectory(root.resolve("sys/module").resolve(m))) {
        modules.add(m);
      }
    }
    return new HostVirt(error, modules, cpuHasVirtFlags(root.resolve("proc/cpuinfo")));
  }

  private static boolean cpuHasVirtFlags(Path cpuinfo) {
    try {
      for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
        if (line.startsWith("flags")) {
          String flags = " " + line.substring(line.indexOf(':') + 1).trim() + " ";
          return flags.contains(" vmx ") || flags.contains(" svm ");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
