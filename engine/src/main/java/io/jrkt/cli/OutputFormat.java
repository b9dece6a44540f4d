package io.jrkt.cli;

/** rkt's {@code --format} values for list-like commands. */
enum OutputFormat {
  TABBED, JSON, JSON_PRETTY;

  static final String FLAG = "format";

  static void define(Flags flags) {
    flags.string(FLAG, "", "choose the output format, allowed format includes 'json', "
        + "'json-pretty'. If empty, then the result is printed as key value pairs");
  }

  static OutputFormat of(Flags flags) throws CliException {
    String v = flags.getString(FLAG);
    switch (v) {
      case "": return TABBED;
      case "json": return JSON;
      case "json-pretty": return JSON_PRETTY;
      default:
        throw new CliException("invalid --format \"" + v + "\": must be json or json-pretty");
    }
  }
}
