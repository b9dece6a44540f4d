package io.jrkt.logs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The journalctl command line for a {@link LogQuery}: export output of the entries whose
 * {@code _SYSTEMD_UNIT} is the pod's unit, whose {@code SYSLOG_FACILITY} is the apps' and whose
 * {@code SYSLOG_IDENTIFIER} is one of the apps (journalctl ORs matches on one field and ANDs
 * different fields), so the unit's own messages (stage0, stage1, systemd's "Started ...")
 * stay out.
 */
public final class JournalQuery {
  /** syslog's LOG_USER: the facility of the apps' journal streams (stage1 journal.c). */
  public static final int APP_FACILITY = 1;

  private JournalQuery() {}

  public static List<String> argv(List<String> journalctl, String unit, List<String> apps,
      LogQuery q) {
    List<String> a = new ArrayList<>(journalctl);
    a.add("--no-pager");
    a.add("--quiet");
    a.add("--output=export");
    a.add("--output-fields=MESSAGE,SYSLOG_IDENTIFIER");
    if (q.lines().isPresent()) {
      a.add("--lines=" + q.lines().getAsInt());
    } else if (q.follow()) {
      a.add("--no-tail"); // journalctl -f shows only the last 10 lines otherwise
    }
    if (q.follow()) {
      a.add("--follow");
    }
    // Whole seconds here; the exact window is applied to each entry (LogQuery.inWindow).
    q.since().ifPresent(t -> a.add("--since=@" + t.getEpochSecond()));
    q.until().ifPresent(t -> a.add("--until=@" + ceilSeconds(t)));
    a.add("_SYSTEMD_UNIT=" + unit);
    // The stage1 opens the apps' streams with facility user; the unit's own stream is daemon.
    a.add("SYSLOG_FACILITY=" + APP_FACILITY);
    for (String app : apps) {
      a.add("SYSLOG_IDENTIFIER=" + app);
    }
    return a;
  }

  private static long ceilSeconds(Instant t) {
    return t.getNano() == 0 ? t.getEpochSecond() : t.getEpochSecond() + 1;
  }
}
