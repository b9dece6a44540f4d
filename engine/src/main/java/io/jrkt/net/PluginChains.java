package io.jrkt.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The iptables chains the plugins name after a pod ({@code CNI-<hash>} for ipMasq,
 * {@code CNI-DN-<hash>}, {@code CNI-SN-<hash>} for portmap; hash = SHA-512 of network name +
 * container id, the name cut at 28 characters, as the plugins' {@code FormatChainName}).
 *
 * <p>Why jrkt knows them: a plugin killed during ADD after allocating the address but before
 * creating its chain leaves a state its DEL cannot undo with iptables-nft (deleting a rule that
 * jumps to a missing chain exits 2, "Chain ... does not exist", which the plugins do not take for
 * "already gone"). Creating that empty chain of the pod's own lets the DEL finish; jrkt records
 * it first and removes it after the DEL if the plugin did not.
 */
final class PluginChains {
  private static final Pattern MISSING =
      Pattern.compile("Chain '(CNI-[A-Za-z0-9-]+)' does not exist");
  private static final int MAX_CHAIN = 28;

  private PluginChains() {}

  static String chainName(String prefix, String netName, String containerId) {
    try {
      byte[] sum = MessageDigest.getInstance("SHA-512").digest(
          (netName + containerId).getBytes(StandardCharsets.UTF_8));
      String chain = "CNI-" + prefix + HexFormat.of().formatHex(sum);
      return chain.substring(0, MAX_CHAIN);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is missing from this JVM", e);
    }
  }

  /** The pod's chain a DEL error says is missing, if it is one of the pod's. */
  static Optional<String> missingChain(String error, String netName, String containerId) {
    Matcher m = MISSING.matcher(error);
    while (m.find()) {
      if (isPodChain(m.group(1), netName, containerId)) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /** Whether {@code chain} is one the plugins name after this pod on this network. */
  static boolean isPodChain(String chain, String netName, String containerId) {
    for (String prefix : List.of("", "DN-", "SN-")) {
      if (chain.equals(chainName(prefix, netName, containerId))) {
        return true;
      }
    }
    return false;
  }

  /** Creates the empty chain in the nat table. */
  static void create(String chain) throws NetException {
    Iptables.Outcome o = Iptables.nat("-N", chain);
    if (o.code() != 0) {
      throw new NetException("cannot create chain " + chain + " for the plugin's DEL: "
          + o.output());
    }
  }

  /**
   * Removes the chain from the nat table if it is there; false if it was not. The kernel refuses
   * to remove a chain that holds rules or is jumped to, so only an unused chain goes.
   */
  static boolean removeIfPresent(String chain) throws NetException {
    Iptables.Outcome o = Iptables.nat("-X", chain);
    if (o.code() == 0) {
      return true;
    }
    if (o.code() == 1 && o.output().contains("No chain/target/match")) {
      return false;
    }
    throw new NetException("cannot remove chain " + chain + ", made for the plugin's DEL: "
        + o.output());
  }
}
