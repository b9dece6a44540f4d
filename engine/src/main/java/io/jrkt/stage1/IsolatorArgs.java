package io.jrkt.stage1;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The per-app isolator overrides of the command line ({@code --memory}, {@code --cpu},
 * {@code --cpu-shares}, {@code --caps-retain}/{@code --caps-remove}, {@code --seccomp},
 * {@code --oom-score-adj}), validated; each replaces the image's isolator of the same kind.
 */
public record IsolatorArgs(
    Optional<String> memory,
    Optional<String> cpu,
    Optional<Long> cpuShares,
    Optional<List<String>> capsRetain,
    Optional<List<String>> capsRemove,
    Optional<SeccompArg> seccomp,
    Optional<Integer> oomScoreAdj) {

  /** A Kubernetes resource quantity: a decimal number with an optional SI/IEC suffix. */
  private static final Pattern QUANTITY = Pattern.compile(
      "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$");
  private static final Pattern CAPABILITY = Pattern.compile("^CAP_[A-Z0-9_]+$");

  public static final IsolatorArgs NONE = new IsolatorArgs(Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public IsolatorArgs {
    if (capsRetain.isPresent() && capsRemove.isPresent()) {
      throw new IllegalArgumentException("--caps-retain and --caps-remove exclude each other");
    }
    capsRetain = AppArgs.copy(capsRetain);
    capsRemove = AppArgs.copy(capsRemove);
  }

  public boolean isEmpty() {
    return equals(NONE);
  }

  static String quantity(String flag, String value) throws ArgsException {
    if (!QUANTITY.matcher(value).matches()) {
      throw new ArgsException(flag + "=" + value
          + ": not a resource quantity (e.g. 128M, 1Gi, 500m, 2)");
    }
    return value;
  }

  static long cpuShares(String value) throws ArgsException {
    try {
      long shares = Long.parseLong(value);
      if (shares >= 2 && shares <= 262144) {
        return shares;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ArgsException("--cpu-shares=" + value + ": want an integer from 2 to 262144");
  }

  static int oomScoreAdj(String value) throws ArgsException {
    try {
      int adj = Integer.parseInt(value);
      if (adj >= -1000 && adj <= 1000) {
        return adj;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ArgsException("--oom-score-adj=" + value + ": want an integer from -1000 to 1000");
  }

  static List<String> capabilities(String flag, String value) throws ArgsException {
    List<String> caps = new java.util.ArrayList<>();
    for (String c : value.split(",", -1)) {
      String cap = c.trim();
      if (!CAPABILITY.matcher(cap).matches()) {
        throw new ArgsException(flag + "=" + value + ": \"" + cap
            + "\" is not a capability name (e.g. CAP_NET_BIND_SERVICE)");
      }
      if (!caps.contains(cap)) {
        caps.add(cap);
      }
    }
    return caps;
  }
}
