package io.jrkt.net;

import io.jrkt.json.Json;
import io.jrkt.json.JsonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One CNI network configuration: its raw bytes (what the plugin gets on stdin) and the few
 * fields jrkt itself needs.
 *
 * @param source the file it came from, or {@code builtin:NAME}
 * @param ipamType the IPAM plugin's type, when the config names one
 * @param subnets the IPv4 subnets its IPAM hands out ({@code ipam.subnet}, {@code ipam.ranges})
 */
public record NetConf(String name, String type, String cniVersion, Optional<String> ipamType,
    List<Ipv4Subnet> subnets, byte[] bytes, String source) {

  public NetConf {
    subnets = List.copyOf(subnets);
  }

  /** Parses a config file's bytes; {@code source} names it in errors. */
  public static NetConf parse(byte[] bytes, String source) throws NetException {
    Map<String, Object> m;
    try {
      m = Json.asObject(Json.parse(bytes), "network config");
    } catch (JsonException e) {
      throw new NetException(source + ": invalid network config JSON: " + e.getMessage(), e);
    }
    String name = requiredString(m, "name", source);
    String type = requiredString(m, "type", source);
    if (!NetNames.isValid(name)) {
      throw new NetException(source + ": \"" + name + "\" is not a valid network name");
    }
    if (!NetNames.isValidPluginType(type)) {
      throw new NetException(source + ": \"" + type + "\" is not a valid plugin type");
    }
    Object version = m.get("cniVersion");
    String cniVersion = version instanceof String ? (String) version : "0.1.0";
    Optional<String> ipamType = Optional.empty();
    List<Ipv4Subnet> subnets = new ArrayList<>();
    if (m.get("ipam") instanceof Map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> ipam = (Map<String, Object>) m.get("ipam");
      if (ipam.get("type") instanceof String) {
        String t = (String) ipam.get("type");
        if (!NetNames.isValidPluginType(t)) {
          throw new NetException(source + ": \"" + t + "\" is not a valid IPAM plugin type");
        }
        ipamType = Optional.of(t);
      }
      addSubnet(ipam.get("subnet"), subnets, source);
      if (ipam.get("ranges") instanceof List) {
        for (Object set : (List<?>) ipam.get("ranges")) {
          if (set instanceof List) {
            for (Object range : (List<?>) set) {
              if (range instanceof Map) {
                addSubnet(((Map<?, ?>) range).get("subnet"), subnets, source);
              }
            }
          }
        }
      }
    }
    return new NetConf(name, type, cniVersion, ipamType, subnets, bytes.clone(), source);
  }

  /** The plugin types this network needs: its own and its IPAM's. */
  public List<String> pluginTypes() {
    return ipamType.isPresent() ? List.of(type, ipamType.get()) : List.of(type);
  }

  private static void addSubnet(Object v, List<Ipv4Subnet> out, String source)
      throws NetException {
    if (v instanceof String && ((String) v).indexOf(':') < 0) {
      try {
        out.add(Ipv4Subnet.parse((String) v));
      } catch (IllegalArgumentException e) {
        throw new NetException(source + ": ipam subnet: " + e.getMessage());
      }
    }
  }

  private static String requiredString(Map<String, Object> m, String key, String source)
      throws NetException {
    Object v = m.get(key);
    if (!(v instanceof String) || ((String) v).isEmpty()) {
      throw new NetException(source + ": network config has no \"" + key + "\"");
    }
    return (String) v;
  }
}
