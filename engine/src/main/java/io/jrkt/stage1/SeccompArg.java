package io.jrkt.stage1;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code --seccomp mode=retain|remove[,errno=ENAME],SYSCALL[,SYSCALL...]}: a seccomp isolator
 * override. Syscall entries may be names or {@code @group} wildcards.
 */
public record SeccompArg(boolean retain, Optional<String> errno, List<String> syscalls) {
  private static final Pattern ERRNO = Pattern.compile("^E[A-Z0-9]+$");
  private static final Pattern SYSCALL = Pattern.compile("^(@[a-z0-9._/-]+|[a-z0-9_]+)$");

  public SeccompArg {
    if (syscalls.isEmpty()) {
      throw new IllegalArgumentException("a seccomp set needs at least one syscall");
    }
    syscalls = List.copyOf(syscalls);
  }

  /** The isolator name: {@code os/linux/seccomp-retain-set} or {@code ...-remove-set}. */
  public String isolatorName() {
    return retain ? "os/linux/seccomp-retain-set" : "os/linux/seccomp-remove-set";
  }

  public static SeccompArg parse(String text) throws ArgsException {
    String[] parts = text.split(",", -1);
    String where = "--seccomp=" + text + ": ";
    if (!parts[0].startsWith("mode=")) {
      throw new ArgsException(where + "must start with mode=retain or mode=remove");
    }
    String mode = parts[0].substring("mode=".length());
    if (!mode.equals("retain") && !mode.equals("remove")) {
      throw new ArgsException(where + "mode must be retain or remove, not \"" + mode + "\"");
    }
    Optional<String> errno = Optional.empty();
    List<String> syscalls = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      if (p.startsWith("errno=")) {
        String e = p.substring("errno=".length());
        if (errno.isPresent() || !ERRNO.matcher(e).matches()) {
          throw new ArgsException(where + "errno must be given once as a symbolic name like EPERM");
        }
        errno = Optional.of(e);
      } else if (SYSCALL.matcher(p).matches()) {
        syscalls.add(p);
      } else {
        throw new ArgsException(where + "\"" + p + "\" is not a syscall name or @group");
      }
    }
    if (syscalls.isEmpty()) {
      throw new ArgsException(where + "name at least one syscall");
    }
    return new SeccompArg(mode.equals("retain"), errno, syscalls);
  }
}
