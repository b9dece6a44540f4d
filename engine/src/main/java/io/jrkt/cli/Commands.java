package io.jrkt.cli;

import java.util.List;

/** The pod commands, in help order. */
final class Commands {
  private Commands() {}

  static List<Command> all() {
    return List.of(new VersionCommand(),
        new RunCommand(), new PrepareCommand(), new RunPreparedCommand(), new EnterCommand(),
        new ListCommand(), new StatusCommand(), new CatManifestCommand(), new StopCommand(),
        new RmCommand(), new GcCommand(), new LogsCommand(), new ApiServiceCommand(),
        new KvmCheckCommand());
  }
}
