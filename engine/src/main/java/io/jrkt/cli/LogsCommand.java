package io.jrkt.cli;

import io.jrkt.logs.JournalLogSource;
import io.jrkt.logs.LogEntry;
import io.jrkt.logs.LogException;
import io.jrkt.logs.LogQuery;
import io.jrkt.logs.LogSource;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodStore;
import io.jrkt.pod.PodUuid;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code jrkt logs}: a pod's app output, from the {@link LogSource} (journald for pods run as
 * systemd units), for running and exited pods until they are garbage-collected.
 */
final class LogsCommand implements Command {
  @Override
  public String name() {
    return "logs";
  }

  @Override
  public String summary() {
    return "Print the logs of a pod's apps";
  }

  @Override
  public String usage() {
    return "[--app=NAME] [--lines=N] [--follow] [--since=TIME] [--timestamps] UUID";
  }

  @Override
  public void define(Flags flags) {
    flags.string("app", "", "only this app's output")
        .string("lines", "", "only the last N lines")
        .bool("follow", "keep printing new lines as the apps write them")
        .string("since", "", "only lines from this time on: RFC 3339 (2026-01-02T15:04:05Z) "
            + "or a duration before now (10m)")
        .bool("timestamps", "prefix each line with its time (RFC 3339, UTC)")
        .string("journal-dir", "", "read the journal files in this directory instead of the "
            + "system journal");
    PodArgs.defineUuidFile(flags);
  }

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    PodStore store = new PodStore(ctx.dataDir());
    PodUuid uuid = PodArgs.single(store, flags, args);
    String app = flags.getString("app");
    LogQuery q = new LogQuery(uuid, app.isEmpty() ? Optional.empty() : Optional.of(app),
        lines(flags.getString("lines")), flags.getBool("follow"),
        since(flags.getString("since")), Optional.empty());
    boolean prefixApp;
    try {
      prefixApp = app.isEmpty() && store.get(uuid).manifest().apps().size() > 1;
    } catch (PodException e) {
      throw new CliException(e.getMessage(), e);
    }
    String dir = flags.getString("journal-dir");
    LogSource source = new JournalLogSource(store, dir.isEmpty() ? Optional.empty()
        : Optional.of(Path.of(dir)));
    boolean timestamps = flags.getBool("timestamps");
    boolean follow = q.follow();
    Writer out = new BufferedWriter(new OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8),
        1 << 16);
    try {
      source.read(q, e -> print(out, e, timestamps, prefixApp, follow)
          && !ctx.out().checkError());
      out.flush();
    } catch (LogException e) {
      throw new CliException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    } catch (IOException | UncheckedIOException e) {
      return 0; // the reader went away (a closed pipe)
    }
    return 0;
  }

  private static boolean print(Writer out, LogEntry e, boolean timestamps, boolean prefixApp,
      boolean follow) {
    try {
      if (timestamps) {
        out.write(e.time().toString());
        out.write(' ');
      }
      if (prefixApp) {
        out.write(e.app());
        out.write(": ");
      }
      out.write(e.message());
      out.write('\n');
      if (follow) {
        out.flush(); // a follower wants each line as it comes
      }
      return true;
    } catch (IOException ex) {
      return false;
    }
  }

  static OptionalInt lines(String v) throws CliException {
    if (v.isEmpty() || v.equals("all")) {
      return OptionalInt.empty();
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return OptionalInt.of(n);
    } catch (NumberFormatException e) {
      throw new CliException("invalid --lines \"" + v + "\": want a number of lines (0 or more)"
          + " or all");
    }
  }

  static Optional<Instant> since(String v) throws CliException {
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(v));
    } catch (DateTimeParseException notTime) {
      try {
        return Optional.of(Instant.now().minus(Durations.parse(v)));
      } catch (Durations.DurationException notDuration) {
        throw new CliException("invalid --since \"" + v + "\": want an RFC 3339 time like "
            + "2026-01-02T15:04:05Z or a duration like 10m");
      }
    }
  }
}
