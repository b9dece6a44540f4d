package io.jrkt.logs;

import io.jrkt.appc.RuntimeApp;
import io.jrkt.pod.Pod;
import io.jrkt.pod.PodException;
import io.jrkt.pod.PodStore;
import io.jrkt.systemd.UnitRecord;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Logs of pods that run as systemd units, read from journald with {@code journalctl
 * --output=export} (see {@link JournalQuery}, {@link JournalExportReader}). journalctl rather than the journal files: it
 * knows every journal format and compression journald writes, and follows files as journald
 * rotates them. A reader thread parses journalctl's output into batches, so the caller can be
 * interrupted while following and parsing overlaps with the sink's work.
 */
public final class JournalLogSource implements LogSource {
  private static final int BATCH = 512;
  private static final List<LogEntry> END = List.of();

  private final PodStore store;
  private final List<String> journalctl;

  /** {@code journalDir}: read that directory ({@code journalctl -D}) instead of the system's. */
  public JournalLogSource(PodStore store, Optional<Path> journalDir) {
    this.store = store;
    List<String> cmd = new ArrayList<>(List.of("journalctl"));
    journalDir.ifPresent(d -> cmd.add("--directory=" + d));
    this.journalctl = List.copyOf(cmd);
  }

  @Override
  public void read(LogQuery q, LogSink sink) throws LogException, InterruptedException {
    Pod pod;
    List<String> apps = new ArrayList<>();
    Optional<UnitRecord> unit;
    try {
      pod = store.get(q.pod());
      for (RuntimeApp a : pod.manifest().apps()) {
        apps.add(a.name().toString());
      }
      unit = UnitRecord.read(pod.dir());
    } catch (PodException e) {
      throw new LogException(e.getMessage(), e);
    } catch (IOException e) {
      throw new LogException("cannot read the unit record of pod " + q.pod() + ": "
          + e.getMessage(), e);
    }
    if (unit.isEmpty()) {
      throw new LogException("pod " + q.pod() + " did not run as a systemd unit (run --unit), "
          + "so its output is not in the journal");
    }
    if (q.app().isPresent()) {
      if (!apps.contains(q.app().get())) {
        throw new LogException("pod " + q.pod() + " has no app \"" + q.app().get()
            + "\" (apps: " + String.join(", ", apps) + ")");
      }
      apps = List.of(q.app().get());
    }
    if (q.lines().isPresent() && q.lines().getAsInt() == 0) {
      return;
    }
    run(JournalQuery.argv(journalctl, unit.get().name().value(), apps, q), q, sink);
  }

  private static void run(List<String> argv, LogQuery q, LogSink sink)
      throws LogException, InterruptedException {
    Process p;
    Path errFile;
    try {
      errFile = Files.createTempFile("jrkt-journalctl-", ".err");
      p = new ProcessBuilder(argv).redirectInput(new File("/dev/null"))
          .redirectError(errFile.toFile()).start();
    } catch (IOException e) {
      throw new LogException("cannot run journalctl: " + e.getMessage(), e);
    }
    BlockingQueue<List<LogEntry>> queue = new ArrayBlockingQueue<>(64);
    LogException[] failure = new LogException[1];
    Thread reader = new Thread(() -> readAll(p, queue, failure), "journalctl-reader");
    reader.setDaemon(true);
    reader.start();
    boolean stopped = false;
    try {
      while (!stopped) {
        List<LogEntry> batch = queue.poll(100, TimeUnit.MILLISECONDS);
        if (batch == null) {
          if (Thread.interrupted()) {
            throw new InterruptedException();
          }
          continue;
        }
        if (batch == END) {
          break;
        }
        for (LogEntry e : batch) {
          if (q.inWindow(e) && !sink.accept(e)) {
            stopped = true;
            break;
          }
        }
      }
      if (stopped) {
        return;
      }
      reader.join();
      if (failure[0] != null) {
        throw failure[0];
      }
      int code = p.waitFor();
      if (code != 0) {
        throw new LogException("journalctl exited with status " + code + ": "
            + firstLine(errFile));
      }
    } finally {
      p.destroy();
      reader.interrupt();
      try {
        Files.deleteIfExists(errFile);
      } catch (IOException e) {
        // a temp file
      }
    }
  }

  private static void readAll(Process p, BlockingQueue<List<LogEntry>> queue,
      LogException[] failure) {
    try (InputStream stdout = p.getInputStream()) {
      JournalExportReader in = new JournalExportReader(stdout);
      List<LogEntry> batch = new ArrayList<>(BATCH);
      LogEntry e;
      while ((e = in.next()) != null) {
        batch.add(e);
        // Hand over full batches, and partial ones when journalctl has nothing more for now.
        if (batch.size() >= BATCH || !in.ready()) {
          queue.put(batch);
          batch = new ArrayList<>(BATCH);
        }
      }
      if (!batch.isEmpty()) {
        queue.put(batch);
      }
    } catch (LogException e) {
      failure[0] = e;
    } catch (IOException e) {
      failure[0] = new LogException("reading journalctl's output: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      return;
    }
    try {
      queue.put(END);
    } catch (InterruptedException e) {
      // the caller stopped reading
    }
  }

  private static String firstLine(Path f) {
    try {
      String s = Files.readString(f, StandardCharsets.UTF_8).strip();
      int nl = s.indexOf('\n');
      return nl < 0 ? s : s.substring(0, nl);
    } catch (IOException e) {
      return "(no output)";
    }
  }
}
