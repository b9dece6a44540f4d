package io.jrkt.cli;

import io.jrkt.pod.PodException;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** How pod commands take their pods: UUIDs (or unique prefixes) as arguments, or --uuid-file. */
final class PodArgs {
  static final String UUID_FILE = "uuid-file";

  private PodArgs() {}

  static void defineUuidFile(Flags flags) {
    flags.string(UUID_FILE, "", "read pod UUID from file instead of argument");
  }

  /** The UUID written to {@code file} (by {@code --uuid-file-save}); surrounding space ignored. */
  static PodUuid readUuidFile(String file) throws CliException {
    String text;
    try {
      text = new String(Files.readAllBytes(Path.of(file)), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new CliException("unable to read UUID from file " + file + ": " + e.getMessage());
    }
    try {
      return PodUuid.parse(text);
    } catch (PodException e) {
      throw new CliException("unable to read UUID from file " + file + ": " + e.getMessage());
    }
  }

  /** Fails unless exactly one of UUID arguments and --uuid-file is used. */
  static void requireOneSource(Flags flags, List<String> args) throws CliException {
    boolean file = !flags.getString(UUID_FILE).isEmpty();
    if (file && !args.isEmpty()) {
      throw new CliException("UUID arguments and --uuid-file are mutually exclusive");
    }
    if (!file && args.isEmpty()) {
      throw new CliException("no pod given: pass UUIDs (or unique prefixes) or --uuid-file");
    }
  }

  /** Resolves a UUID or unique prefix; errors as rkt's ({@code no matches found for "x"}). */
  static PodUuid resolve(PodStore store, String arg) throws CliException {
    try {
      return store.resolve(arg);
    } catch (PodException e) {
      throw new CliException(e.getMessage());
    }
  }

  /** What a command does to one of its pods; false when there is nothing to report. */
  interface PodAction {
    boolean apply(PodUuid uuid) throws CliException, PodException;
  }

  /**
   * Applies {@code action} to every pod a multi-pod command is given (UUIDs or unique prefixes,
   * or --uuid-file), as rkt's rm and stop do: {@code "<uuid>"} on stdout for each pod done, a
   * failure on stderr (prefixed by the command) without stopping the others, and exit status 254
   * when any failed.
   */
  static int forEachPod(Context ctx, String command, Flags flags, List<String> args,
      PodStore store, PodAction action) throws CliException {
    requireOneSource(flags, args);
    List<String> targets = args.isEmpty()
        ? List.of(readUuidFile(flags.getString(UUID_FILE)).value()) : args;
    int failures = 0;
    for (String target : targets) {
      try {
        PodUuid uuid = resolve(store, target);
        if (action.apply(uuid)) {
          ctx.out().println("\"" + uuid + "\"");
        }
      } catch (CliException | PodException e) {
        ctx.err().println(command + ": " + e.getMessage());
        failures++;
      }
      ctx.out().flush();
    }
    return failures == 0 ? 0 : 254;
  }

  /** The one pod of a single-pod command: its argument or --uuid-file. */
  static PodUuid single(PodStore store, Flags flags, List<String> args) throws CliException {
    requireOneSource(flags, args);
    if (args.size() > 1) {
      throw new CliException("expected one pod UUID, got " + args.size() + " arguments");
    }
    String file = flags.getString(UUID_FILE);
    return file.isEmpty() ? resolve(store, args.get(0)) : readUuidFile(file);
  }
}
