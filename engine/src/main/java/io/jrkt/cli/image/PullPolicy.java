package io.jrkt.cli.image;

import io.jrkt.cli.CliException;
import io.jrkt.cli.Flags;

/** rkt's {@code --pull-policy}: when an image named by name may come from the store. */
enum PullPolicy {
  /** Only the store. */
  NEVER("never"),
  /** The store when it has a match, else remote. */
  NEW("new"),
  /** Always check remote. */
  UPDATE("update");

  private final String flagValue;

  PullPolicy(String flagValue) {
    this.flagValue = flagValue;
  }

  String flagValue() {
    return flagValue;
  }

  static void define(Flags flags, PullPolicy defaultPolicy) {
    flags.string("pull-policy", defaultPolicy.flagValue,
            "when to pull an image: never (store only), new (store, then remote), update (remote)")
        .bool("store-only", "deprecated: use --pull-policy=never")
        .bool("no-store", "deprecated: use --pull-policy=update");
  }

  /** The policy the flags ask for; the deprecated flags win, as in rkt. */
  static PullPolicy of(Flags flags) throws CliException {
    boolean storeOnly = flags.getBool("store-only");
    boolean noStore = flags.getBool("no-store");
    if (storeOnly && noStore) {
      throw new CliException("--store-only and --no-store cannot be used together");
    }
    if (storeOnly) {
      return NEVER;
    }
    if (noStore) {
      return UPDATE;
    }
    String value = flags.getString("pull-policy");
    for (PullPolicy p : values()) {
      if (p.flagValue.equals(value)) {
        return p;
      }
    }
    throw new CliException("invalid --pull-policy \"" + value
        + "\": must be one of never, new, update");
  }
}
