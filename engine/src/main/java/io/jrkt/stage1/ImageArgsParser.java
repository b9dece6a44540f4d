package io.jrkt.stage1;

import io.jrkt.appc.AcIdentifier;
import io.jrkt.appc.AcName;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the image part of a run/prepare command line, rkt's syntax:
 * {@code IMAGE [per-app flags] [-- ARGS...] [--- IMAGE2 ...]}. A word that is not a flag starts a
 * new app; {@code --} makes everything up to {@code ---} (or the end) the current app's
 * arguments; per-app flags apply to the image before them.
 */
public final class ImageArgsParser {
  /** The per-app flags that take no value ({@code --flag} or {@code --flag=true|false}). */
  private static final Set<String> BOOL_FLAGS = Set.of("readonly-rootfs");
  /** Every per-app flag, in help order. */
  public static final List<String> APP_FLAGS = List.of("name", "exec", "working-dir",
      "readonly-rootfs", "mount", "user", "group", "supplementary-gids", "annotation",
      "user-annotation", "user-label", "environment", "memory", "cpu", "cpu-shares",
      "caps-retain", "caps-remove", "seccomp", "oom-score-adj", "signature", "stdin", "stdout",
      "stderr");

  private ImageArgsParser() {}

  /**
   * Parses the words after the pod-level flags.
   *
   * @throws ArgsException naming the offending word: no image, a flag before any image, an
   *     unknown flag, a bad flag value
   */
  public static List<AppArgs> parse(List<String> words) throws ArgsException {
    List<AppArgs> apps = new ArrayList<>();
    AppArgs.Builder current = null;
    boolean needImage = false; // right after "---"
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w.equals("---")) {
        if (current == null || needImage) {
          throw new ArgsException("\"---\" must follow an image and its arguments");
        }
        needImage = true;
        continue;
      }
      if (w.equals("--")) {
        if (current == null || needImage) {
          throw new ArgsException("app arguments (\"--\") must follow an image");
        }
        int start = i + 1;
        int end = start;
        while (end < words.size() && !words.get(end).equals("---")) {
          end++;
        }
        current.args(words.subList(start, end));
        i = end - 1; // the loop sees "---" next, if any
        continue;
      }
      if (w.startsWith("-") && w.length() > 1) {
        String body = w.startsWith("--") ? w.substring(2) : w.substring(1);
        int eq = body.indexOf('=');
        String flag = eq < 0 ? body : body.substring(0, eq);
        if (!w.startsWith("--") || !APP_FLAGS.contains(flag)) {
          String where = current == null ? "" : " (after image " + current.image() + ")";
          throw new ArgsException("unknown flag " + (w.startsWith("--") ? "--" + flag : w)
              + where + "; per-app flags are --" + String.join(", --", APP_FLAGS));
        }
        if (current == null || needImage) {
          throw new ArgsException("--" + flag + " must follow an image");
        }
        String value;
        if (eq >= 0) {
          value = body.substring(eq + 1);
        } else if (BOOL_FLAGS.contains(flag)) {
          value = "true";
        } else if (i + 1 < words.size()) {
          value = words.get(++i);
        } else {
          throw new ArgsException("--" + flag + " needs a value (after image "
              + current.image() + ")");
        }
        apply(current, flag, value);
        continue;
      }
      if (w.isEmpty()) {
        throw new ArgsException("empty image argument");
      }
      if (current != null) {
        apps.add(current.build());
      }
      current = AppArgs.builder(w);
      needImage = false;
    }
    if (needImage) {
      throw new ArgsException("\"---\" must be followed by another image");
    }
    if (current != null) {
      apps.add(current.build());
    }
    if (apps.isEmpty()) {
      throw new ArgsException("no image given (usage: IMAGE [flags] [-- ARGS] [--- IMAGE ...])");
    }
    return apps;
  }

  private static void apply(AppArgs.Builder app, String flag, String value)
      throws ArgsException {
    String where = "--" + flag + "=" + value;
    switch (flag) {
      case "name":
        if (!AcName.isValid(value)) {
          throw new ArgsException(where + ": not a valid app name "
              + "(lowercase letters and digits, joined by single dashes)");
        }
        app.name(new AcName(value));
        break;
      case "exec":
        nonEmpty(where, value);
        app.exec(value);
        break;
      case "working-dir":
        absolute(where, value);
        app.workingDir(value);
        break;
      case "readonly-rootfs":
        app.readOnlyRootfs(bool(where, value));
        break;
      case "mount":
        app.mount(MountArg.parse(value));
        break;
      case "user":
        nonEmpty(where, value);
        app.user(value);
        break;
      case "group":
        nonEmpty(where, value);
        app.group(value);
        break;
      case "supplementary-gids":
        app.supplementaryGids(gids(where, value));
        break;
      case "annotation": {
        KeyValue kv = KeyValue.parse("--annotation", value);
        if (!AcIdentifier.isValid(kv.key())) {
          throw new ArgsException(where + ": annotation name \"" + kv.key()
              + "\" is not a valid AC Identifier");
        }
        app.annotation(kv);
        break;
      }
      case "user-annotation":
        app.userAnnotation(KeyValue.parse("--user-annotation", value));
        break;
      case "user-label":
        app.userLabel(KeyValue.parse("--user-label", value));
        break;
      case "environment":
        app.environment(EnvVars.parseAssignment("--environment", value));
        break;
      case "memory":
        app.memory(IsolatorArgs.quantity("--memory", value));
        break;
      case "cpu":
        app.cpu(IsolatorArgs.quantity("--cpu", value));
        break;
      case "cpu-shares":
        app.cpuShares(IsolatorArgs.cpuShares(value));
        break;
      case "caps-retain":
        if (app.hasCapsRemove()) {
          throw new ArgsException(where + ": --caps-retain and --caps-remove exclude each other");
        }
        app.capsRetain(IsolatorArgs.capabilities("--caps-retain", value));
        break;
      case "caps-remove":
        if (app.hasCapsRetain()) {
          throw new ArgsException(where + ": --caps-retain and --caps-remove exclude each other");
        }
        app.capsRemove(IsolatorArgs.capabilities("--caps-remove", value));
        break;
      case "seccomp":
        app.seccomp(SeccompArg.parse(value));
        break;
      case "oom-score-adj":
        app.oomScoreAdj(IsolatorArgs.oomScoreAdj(value));
        break;
      case "signature":
        nonEmpty(where, value);
        app.signature(value);
        break;
      case "stdin":
        app.stdio(new KeyValue("stdin", oneOf(where, value, "null", "tty", "stream")));
        break;
      case "stdout":
      case "stderr":
        app.stdio(new KeyValue(flag, oneOf(where, value, "null", "tty", "stream", "log")));
        break;
      default:
        throw new AssertionError(flag);
    }
  }

  private static void nonEmpty(String where, String value) throws ArgsException {
    if (value.isEmpty()) {
      throw new ArgsException(where + ": must not be empty");
    }
  }

  private static void absolute(String where, String value) throws ArgsException {
    if (!value.startsWith("/")) {
      throw new ArgsException(where + ": must be an absolute path");
    }
  }

  private static boolean bool(String where, String value) throws ArgsException {
    if (value.equals("true")) {
      return true;
    }
    if (value.equals("false")) {
      return false;
    }
    throw new ArgsException(where + ": must be true or false");
  }

  private static String oneOf(String where, String value, String... allowed)
      throws ArgsException {
    for (String a : allowed) {
      if (a.equals(value)) {
        return value;
      }
    }
    throw new ArgsException(where + ": must be one of " + String.join(", ", allowed));
  }

  static List<Integer> gids(String where, String value) throws ArgsException {
    List<Integer> gids = new ArrayList<>();
    for (String g : value.split(",", -1)) {
      try {
        int gid = Integer.parseInt(g.trim());
        if (gid >= 0) {
          gids.add(gid);
          continue;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new ArgsException(where + ": \"" + g + "\" is not a group id (want N[,N...])");
    }
    return gids;
  }
}
