package io.jrkt.cli.image;

import io.jrkt.oci.FetchProgress;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetch progress on a terminal: one line, rewritten in place at most a few times a second, with
 * each active blob's bytes, total and rate. Only made when stderr is a terminal; machine output
 * (stdout) never sees it.
 */
final class TtyProgress implements FetchProgress {
  private static final long REFRESH_NANOS = 200_000_000L;

  private final PrintStream err;
  private final List<Item> items = new ArrayList<>();
  private long lastDraw;
  private int lastWidth;

  TtyProgress(PrintStream err) {
    this.err = err;
  }

  private final class Item implements Blob {
    final String label;
    final long total;
    final long started = System.nanoTime();
    long bytes;
    boolean done;

    Item(String label, long total) {
      this.label = label;
      this.total = total;
    }

    @Override
    public void advance(long n) {
      synchronized (TtyProgress.this) {
        bytes += n;
        draw(false);
      }
    }

    @Override
    public void done() {
      synchronized (TtyProgress.this) {
        done = true;
        draw(true);
      }
    }
  }

  @Override
  public synchronized Blob start(String label, long total) {
    Item i = new Item(label, total);
    items.add(i);
    return i;
  }

  @Override
  public synchronized void finish() {
    if (lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      err.flush();
      lastWidth = 0;
    }
  }

  private void draw(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastDraw < REFRESH_NANOS) {
      return;
    }
    lastDraw = now;
    StringBuilder sb = new StringBuilder();
    int finished = 0;
    for (Item i : items) {
      if (i.done) {
        finished++;
        continue;
      }
      double secs = Math.max((now - i.started) / 1e9, 0.001);
      sb.append(sb.length() == 0 ? "" : "  ").append(i.label).append(' ')
          .append(size(i.bytes)).append('/').append(size(i.total)).append(' ')
          .append(size((long) (i.bytes / secs))).append("/s");
    }
    String line = "layers " + finished + "/" + items.size() + (sb.length() > 0 ? ": " : "") + sb;
    int width = line.length();
    err.print("\r" + line + (lastWidth > width ? " ".repeat(lastWidth - width) : ""));
    err.flush();
    lastWidth = width;
  }

  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + "B";
    }
    double v = bytes;
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    long tenths = Math.round(v * 10);
    return (tenths / 10) + "." + (tenths % 10) + units[u];
  }
}
