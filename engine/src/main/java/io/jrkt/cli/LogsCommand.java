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
    boolean prefixApp;
    boolean running;
    try {
      io.jrkt.pod.Pod pod = store.get(uuid);
      prefixApp = app.isEmpty() && pod.manifest().apps().size() > 1;
      running = !ended(pod.state());
    } catch (PodException e) {
      throw new CliException(e.getMessage(), e);
    }
    // Following a pod that already ended prints what it wrote and returns.
    LogQuery q = new LogQuery(uuid, app.isEmpty() ? Optional.empty() : Optional.of(app),
        lines(flags.getString("lines")), flags.getBool("follow") && running,
        since(flags.getString("since")), Optional.empty());
    if (q.follow()) {
      stopWhenPodEnds(store, uuid, Thread.currentThread());
    }
    String dir = flags.getString("journal-dir");
    LogSource source = new JournalLogSource(store, dir.isEmpty() ? Optional.empty()
        : Optional.of(Path.of(dir)));
    boolean timestamps = flags.getBool("timestamps");
    Writer out = new BufferedWriter(new OutputStreamWriter(ctx.out(), StandardCharsets.UTF_8),
        1 << 16);
    if (q.follow()) {
      flushEvery(out, 50);
    }
    try {
      source.read(q, e -> print(out, e, timestamps, prefixApp) && !ctx.out().checkError());
      out.flush();
    } catch (LogException e) {
      throw new CliException(e.getMessage(), e);
    } catch (InterruptedException e) {
      // the pod ended while we followed it (stopWhenPodEnds)
      try {
        out.flush();
      } catch (IOException ignored) {
        // a closed pipe
      }
      return 0;
    } catch (IOException | UncheckedIOException e) {
      return 0; // the reader went away (a closed pipe)
    }
    return 0;
  }

  /**
   * Interrupts {@code reader} once the pod has stopped running and journald had a moment to
   * store its last lines; the log source returns once it has delivered what it read.
   */
  private static void stopWhenPodEnds(PodStore store, PodUuid uuid, Thread reader) {
    Thread watcher = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(200);
          io.jrkt.pod.Pod pod = store.get(uuid);
          if (ended(pod.state())) {
            Thread.sleep(500);
            reader.interrupt();
            return;
          }
        }
      } catch (InterruptedException | PodException e) {
        // the pod is gone: the reader gets no more lines either
        reader.interrupt();
      }
    }, "pod-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** A pod that will print nothing more: it ran and exited, or never will run. */
  private static boolean ended(io.jrkt.pod.PodState state) {
    return state.exited() || state == io.jrkt.pod.PodState.GARBAGE
        || state == io.jrkt.pod.PodState.ABORTED_PREPARE;
  }

  /**
   * A follower wants lines as they come, but a flush per line costs a write per line: the
   * buffer is flushed every {@code millis} instead (Writer methods lock the writer).
   */
  private static void flushEvery(Writer out, long millis) {
    Thread flusher = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(millis);
          out.flush();
        }
      } catch (InterruptedException | IOException e) {
        // the process is ending, or the reader went away
      }
    }, "log-flusher");
    flusher.setDaemon(true);
    flusher.start();
  }

  private static boolean print(Writer out, LogEntry e, boolean timestamps, boolean prefixApp) {
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
      return Optional.of(java.time.OffsetDateTime.parse(v).toInstant()); // Z or +hh:mm
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
