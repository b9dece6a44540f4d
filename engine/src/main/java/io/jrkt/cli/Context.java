package io.jrkt.cli;

import io.jrkt.net.NetConfigDirs;
import io.jrkt.store.ImageStore;
import io.jrkt.store.StoreException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * What every command sees: the global flags, resolved, and the output streams.
 *
 * @param dataDir the data directory ({@code --dir}, default {@code /var/lib/rkt})
 * @param localConfigGiven whether {@code --local-config} was given (not its default)
 * @param binDir the directory of the launcher; stage1 images live next to it
 */
public record Context(
    Path dataDir,
    Path systemConfig,
    Path localConfig,
    boolean localConfigGiven,
    Path userConfig,
    boolean debug,
    Set<String> insecureOptions,
    boolean trustKeysFromHttps,
    Path binDir,
    PrintStream out,
    PrintStream err) {

  /** Whether {@code --insecure-options} names {@code option} (after expanding all, all-fetch, all-run). */
  public boolean insecure(String option) {
    return insecureOptions.contains(option);
  }

  /** Where the user's networks are configured ({@link NetConfigDirs}). */
  public NetConfigDirs netConfigDirs() {
    return NetConfigDirs.of(localConfig, localConfigGiven);
  }

  /** Opens (creating it if needed) the image store in the data directory. */
  public ImageStore openImageStore() throws CliException {
    try {
      return ImageStore.open(dataDir);
    } catch (StoreException e) {
      throw new CliException(e.getMessage(), e);
    }
  }

  /** Writes a line to stderr when {@code --debug} is on. */
  public void debug(String line) {
    if (debug) {
      err.println(line);
    }
  }
}
