package io.jrkt.systemd.dbus;

import java.util.List;
import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** D-Bus {@code (sasb)}: one ExecStart command (path, argv, ignore failure). */
public final class ExecStruct extends Struct {
  @Position(0)
  public final String path;
  @Position(1)
  public final List<String> argv;
  @Position(2)
  public final boolean ignoreFailure;

  public ExecStruct(String path, List<String> argv, boolean ignoreFailure) {
    this.path = path;
    this.argv = argv;
    this.ignoreFailure = ignoreFailure;
  }
}
