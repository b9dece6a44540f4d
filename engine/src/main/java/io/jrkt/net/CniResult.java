package io.jrkt.net;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What jrkt reads from a plugin's ADD result (CNI 0.1.0 to 1.0.0 shapes): the pod's first IPv4
 * address with its mask and gateway, and the DNS settings.
 *
 * @param ip empty when the result has no IPv4 address
 * @param mask dotted, e.g. {@code 255.255.255.0}; empty with {@code ip}
 * @param prefix the address with its prefix length, e.g. {@code 172.16.28.2/24}
 */
public record CniResult(String ip, String mask, String prefix, String gateway,
    List<String> nameservers, List<String> search, List<String> options, String domain,
    Map<String, Object> raw) {

  public CniResult {
    nameservers = List.copyOf(nameservers);
    search = List.copyOf(search);
    options = List.copyOf(options);
  }

  public static CniResult parse(byte[] json, String netName) throws NetException {
    Map<String, Object> m;
    try {
      m = Json.asObject(Json.parse(json), "CNI result");
    } catch (JsonException e) {
      throw new NetException("network \"" + netName + "\": the plugin's result is not JSON: "
          + e.getMessage(), e);
    }
    String address = "";
    String gateway = "";
    if (m.get("ip4") instanceof Map) {
      Map<?, ?> ip4 = (Map<?, ?>) m.get("ip4");
      address = str(ip4.get("ip"));
      gateway = str(ip4.get("gateway"));
    } else if (m.get("ips") instanceof List) {
      for (Object o : (List<?>) m.get("ips")) {
        if (o instanceof Map) {
          String a = str(((Map<?, ?>) o).get("address"));
          if (a.indexOf(':') < 0 && !a.isEmpty()) {
            address = a;
            gateway = str(((Map<?, ?>) o).get("gateway"));
            break;
          }
        }
      }
    }
    String ip = "";
    String mask = "";
    if (!address.isEmpty()) {
      try {
        Ipv4Subnet s = Ipv4Subnet.parse(address);
        ip = address.substring(0, address.indexOf('/'));
        Ipv4Subnet.address(ip);
        mask = s.dottedMask();
      } catch (IllegalArgumentException e) {
        throw new NetException("network \"" + netName + "\": the plugin returned address \""
            + address + "\": " + e.getMessage());
      }
    }
    List<String> ns = new ArrayList<>();
    List<String> search = new ArrayList<>();
    List<String> options = new ArrayList<>();
    String domain = "";
    if (m.get("dns") instanceof Map) {
      Map<?, ?> dns = (Map<?, ?>) m.get("dns");
      strings(dns.get("nameservers"), ns);
      strings(dns.get("search"), search);
      strings(dns.get("options"), options);
      domain = str(dns.get("domain"));
    }
    return new CniResult(ip, mask, address, gateway, ns, search, options, domain, m);
  }

  /** Whether the result carries any DNS setting. */
  public boolean hasDns() {
    return !nameservers.isEmpty() || !search.isEmpty() || !options.isEmpty()
        || !domain.isEmpty();
  }

  /**
   * The result as a chained plugin's {@code prevResult} (CNI 0.3.0 or later), and the version
   * to give the chained call: this result as it is when the network speaks 0.3.0 or later, else
   * its IPv4 address converted to the 0.4.0 shape.
   */
  public Map<String, Object> asPrevResult(String cniVersion) {
    if (!cniVersion.startsWith("0.1.") && !cniVersion.startsWith("0.2.")) {
      return raw;
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("cniVersion", "0.4.0");
    List<Object> ips = new ArrayList<>();
    if (!prefix.isEmpty()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("version", "4");
      e.put("address", prefix);
      if (!gateway.isEmpty()) {
        e.put("gateway", gateway);
      }
      ips.add(e);
    }
    r.put("ips", ips);
    return r;
  }

  private static String str(Object o) {
    return o instanceof String ? (String) o : "";
  }

  private static void strings(Object o, List<String> out) {
    if (o instanceof List) {
      for (Object e : (List<?>) o) {
        if (e instanceof String) {
          out.add((String) e);
        }
      }
    }
  }
}
