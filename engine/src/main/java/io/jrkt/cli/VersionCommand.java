package io.jrkt.cli;

import java.util.List;

/** {@code jrkt version}: rkt's line format, plus jrkt's own version. */
final class VersionCommand implements Command {
  @Override
  public String name() {
    return "version";
  }

  @Override
  public String summary() {
    return "Print the version and exit";
  }

  @Override
  public void define(Flags flags) {}

  @Override
  public int run(Context ctx, Flags flags, List<String> args) throws CliException {
    ctx.out().println("rkt Version: " + Main.RKT_VERSION);
    ctx.out().println("appc Version: " + Main.APPC_VERSION);
    ctx.out().println("jrkt Version: " + Main.JRKT_VERSION);
    ctx.out().println("Java Version: " + System.getProperty("java.version"));
    ctx.out().println("Go OS/Arch: linux/amd64");
    ctx.out().println("Features: -TPM +SDJOURNAL");
    return 0;
  }
}
