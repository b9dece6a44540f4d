package io.jrkt.net;

/** An IPv4 network in CIDR form, e.g. {@code 172.16.28.0/24}. */
public record Ipv4Subnet(int address, int prefix) {
  public Ipv4Subnet {
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("prefix length " + prefix + " not in 0..32");
    }
    address &= mask(prefix);
  }

  /** Parses {@code A.B.C.D/N}. */
  public static Ipv4Subnet parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("\"" + cidr + "\" is not A.B.C.D/N");
    }
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + cidr + "\" is not A.B.C.D/N");
    }
    return new Ipv4Subnet(address(cidr.substring(0, slash)), prefix);
  }

  /** Parses a dotted quad. */
  public static int address(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("\"" + dotted + "\" is not an IPv4 address");
    }
    int a = 0;
    for (String p : parts) {
      int v;
      try {
        v = Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + dotted + "\" is not an IPv4 address");
      }
      if (v < 0 || v > 255 || p.isEmpty() || p.length() > 3) {
        throw new IllegalArgumentException("\"" + dotted + "\" is not an IPv4 address");
      }
      a = (a << 8) | v;
    }
    return a;
  }

  /** Whether the two networks share an address. */
  public boolean overlaps(Ipv4Subnet other) {
    int p = Math.min(prefix, other.prefix);
    return (address & mask(p)) == (other.address & mask(p));
  }

  /** The mask as a dotted quad, e.g. {@code 255.255.255.0}. */
  public String dottedMask() {
    return dotted(mask(prefix));
  }

  public static String dotted(int a) {
    return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "."
        + (a & 255);
  }

  @Override
  public String toString() {
    return dotted(address) + "/" + prefix;
  }

  private static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }
}
