/*
 * The guest's network: loopback up, and when the host connected NICs (KVM_NET_FILE), each
 * virtio-net NIC, found by the MAC of the pod interface it stands for, is named like that
 * interface (ethN) and gets its IPv4 and IPv6 addresses and routes: the guest takes the place of
 * the pod's CNI interfaces. IPv6 addresses are usable at once (no duplicate address detection:
 * the plugin gave the address to this pod) and the guest takes no router advertisements: its
 * addresses and routes are the plugins'.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <net/route.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

#define NIC_WAIT_MS 5000

/* The kernel's struct in6_ifreq (linux/ipv6.h clashes with the libc headers). */
struct guest_in6_ifreq {
  struct in6_addr addr;
  uint32_t prefixlen;
  int ifindex;
};

static int sock4 = -1, sock6 = -1;

static void set_in_addr(struct sockaddr *sa, struct in_addr addr) {
  struct sockaddr_in *in = (struct sockaddr_in *)sa;
  memset(in, 0, sizeof *in);
  in->sin_family = AF_INET;
  in->sin_addr = addr;
}

static void bring_up(const char *ifname) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%.15s", ifname);
  if (ioctl(sock4, SIOCGIFFLAGS, &ifr) != 0) {
    die_errno("read the flags of %s", ifname);
  }
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl(sock4, SIOCSIFFLAGS, &ifr) != 0) {
    die_errno("bring %s up", ifname);
  }
}

static void rename_if(const char *from, const char *to) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%.15s", from);
  snprintf(ifr.ifr_newname, IFNAMSIZ, "%.15s", to);
  if (ioctl(sock4, SIOCSIFNAME, &ifr) != 0) {
    die_errno("rename the network interface %s to %s", from, to);
  }
}

/* The name of the interface with this MAC, in name (IFNAMSIZ); 0 when found. */
static int find_by_mac(const char *mac, char *name) {
  DIR *d = opendir("/sys/class/net");
  struct dirent *e;
  int found = -1;
  while (found != 0 && d != NULL && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || strlen(e->d_name) >= IFNAMSIZ) {
      continue;
    }
    char path[600];
    snprintf(path, sizeof path, "/sys/class/net/%s/address", e->d_name);
    size_t size;
    char *text = read_file(path, &size);
    if (text != NULL && strncasecmp(text, mac, 17) == 0) {
      snprintf(name, IFNAMSIZ, "%s", e->d_name);
      found = 0;
    }
    free(text);
  }
  if (d != NULL) {
    closedir(d);
  }
  return found;
}

struct nic {
  char name[IFNAMSIZ];
  char mac[18];
};

/* Gives each NIC its pod interface's name: through a temporary name first, since the kernel may
 * have named them in another order (eth1 may be what must become eth0). */
static void name_nics(struct nic *nics, size_t n) {
  char (*current)[IFNAMSIZ] = calloc(n + 1, IFNAMSIZ);
  if (current == NULL) {
    die("out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    for (int waited = 0; find_by_mac(nics[i].mac, current[i]) != 0; waited += 10) {
      if (waited >= NIC_WAIT_MS) {
        die("the network interface with MAC %s (%s) did not appear within %d ms", nics[i].mac,
            nics[i].name, NIC_WAIT_MS);
      }
      struct timespec ts = {0, 10 * 1000000L};
      nanosleep(&ts, NULL);
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (strcmp(current[i], nics[i].name) != 0) {
      char temporary[IFNAMSIZ];
      snprintf(temporary, sizeof temporary, "jrkt%u", (unsigned)i % 100);
      rename_if(current[i], temporary);
      snprintf(current[i], IFNAMSIZ, "%s", temporary);
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (strcmp(current[i], nics[i].name) != 0) {
      rename_if(current[i], nics[i].name);
    }
  }
  free(current);
}

static void write_sysctl(const char *ifname, const char *key, const char *value) {
  char path[256];
  snprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%.15s/%.32s", ifname, key);
  FILE *f = fopen(path, "w");
  if (f != NULL) {
    fputs(value, f);
    fclose(f);
  }
}

static void ipv6_socket(void) {
  if (sock6 < 0) {
    sock6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock6 < 0) {
      die_errno("IPv6 socket (the guest kernel has no IPv6?)");
    }
  }
}

static void add_address(const char *ifname, const char *address, int prefix) {
  struct in_addr a4;
  struct in6_addr a6;
  if (inet_pton(AF_INET, address, &a4) == 1 && prefix >= 0 && prefix <= 32) {
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, IFNAMSIZ, "%.15s", ifname);
    set_in_addr(&ifr.ifr_addr, a4);
    if (ioctl(sock4, SIOCSIFADDR, &ifr) != 0) {
      die_errno("set the address %s of %s", address, ifname);
    }
    struct in_addr mask = {prefix == 0 ? 0 : htonl(~0u << (32 - prefix))};
    set_in_addr(&ifr.ifr_netmask, mask);
    if (ioctl(sock4, SIOCSIFNETMASK, &ifr) != 0) {
      die_errno("set the prefix /%d of %s", prefix, ifname);
    }
  } else if (inet_pton(AF_INET6, address, &a6) == 1 && prefix >= 0 && prefix <= 128) {
    ipv6_socket();
    struct guest_in6_ifreq req = {a6, (uint32_t)prefix, (int)if_nametoindex(ifname)};
    if (ioctl(sock6, SIOCSIFADDR, &req) != 0) {
      die_errno("set the address %s/%d of %s", address, prefix, ifname);
    }
  } else {
    die("bad address %s/%d for %s in %s", address, prefix, ifname, KVM_NET_FILE);
  }
}

static void add_route(const char *ifname, const char *dest, int prefix, const char *gateway) {
  int has_gw = strcmp(gateway, "-") != 0;
  struct in_addr d4, g4 = {0};
  struct in6_addr d6, g6 = IN6ADDR_ANY_INIT;
  if (inet_pton(AF_INET, dest, &d4) == 1 && prefix >= 0 && prefix <= 32 &&
      (!has_gw || inet_pton(AF_INET, gateway, &g4) == 1)) {
    struct rtentry rt;
    memset(&rt, 0, sizeof rt);
    set_in_addr(&rt.rt_dst, d4);
    set_in_addr(&rt.rt_genmask, (struct in_addr){prefix == 0 ? 0 : htonl(~0u << (32 - prefix))});
    set_in_addr(&rt.rt_gateway, g4);
    rt.rt_flags = RTF_UP | (has_gw ? RTF_GATEWAY : 0) | (prefix == 32 ? RTF_HOST : 0);
    rt.rt_dev = (char *)ifname;
    if (ioctl(sock4, SIOCADDRT, &rt) != 0 && errno != EEXIST) {
      die_errno("add the route to %s/%d via %s on %s", dest, prefix, gateway, ifname);
    }
  } else if (inet_pton(AF_INET6, dest, &d6) == 1 && prefix >= 0 && prefix <= 128 &&
             (!has_gw || inet_pton(AF_INET6, gateway, &g6) == 1)) {
    ipv6_socket();
    struct in6_rtmsg rt;
    memset(&rt, 0, sizeof rt);
    rt.rtmsg_dst = d6;
    rt.rtmsg_dst_len = (unsigned short)prefix;
    rt.rtmsg_gateway = g6;
    rt.rtmsg_flags = RTF_UP | (has_gw ? RTF_GATEWAY : 0);
    rt.rtmsg_metric = 1;
    rt.rtmsg_ifindex = (int)if_nametoindex(ifname);
    if (ioctl(sock6, SIOCADDRT, &rt) != 0 && errno != EEXIST) {
      die_errno("add the route to %s/%d via %s on %s", dest, prefix, gateway, ifname);
    }
  } else {
    die("bad route %s/%d via %s for %s in %s", dest, prefix, gateway, ifname, KVM_NET_FILE);
  }
}

void guest_net_setup(void) {
  sock4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock4 < 0) {
    die_errno("socket");
  }
  bring_up("lo");
  size_t size;
  char *text = read_file(KVM_NET_FILE, &size);
  if (text == NULL) {
    close(sock4);
    return; /* --net=none, or no network: loopback only */
  }
  /* First pass: the NICs, named and up; then the addresses, then the routes (a gateway must be
   * reachable through an address's prefix before a route can use it). */
  struct nic nics[KVM_MAX_NICS];
  size_t nnics = 0;
  for (int pass = 0; pass < 3; pass++) {
    char *copy = strdup(text), *save = NULL;
    if (copy == NULL) {
      die("out of memory");
    }
    for (char *line = strtok_r(copy, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
      char kind[8], ifname[IFNAMSIZ + 1], a[INET6_ADDRSTRLEN + 1], g[INET6_ADDRSTRLEN + 1];
      int prefix, fields = sscanf(line, "%7s %16s %46s %d %46s", kind, ifname, a, &prefix, g);
      if (strcmp(kind, "nic") == 0 && fields >= 3) {
        if (pass == 0) {
          if (nnics == KVM_MAX_NICS || strlen(ifname) >= IFNAMSIZ || strlen(a) != 17) {
            die("bad network interface in %s: %s", KVM_NET_FILE, line);
          }
          memcpy(nics[nnics].name, ifname, strlen(ifname) + 1);
          memcpy(nics[nnics++].mac, a, 18);
        }
      } else if (strcmp(kind, "addr") == 0 && fields == 4) {
        if (pass == 1) {
          add_address(ifname, a, prefix);
          debugf("%s: address %s/%d", ifname, a, prefix);
        }
      } else if (strcmp(kind, "route") == 0 && fields == 5) {
        if (pass == 2) {
          add_route(ifname, a, prefix, g);
          debugf("%s: route %s/%d via %s", ifname, a, prefix, g);
        }
      } else {
        die("bad line in %s: %s", KVM_NET_FILE, line);
      }
    }
    free(copy);
    if (pass == 0) {
      name_nics(nics, nnics);
      for (size_t i = 0; i < nnics; i++) {
        write_sysctl(nics[i].name, "accept_dad", "0");
        write_sysctl(nics[i].name, "accept_ra", "0");
        write_sysctl(nics[i].name, "autoconf", "0");
        bring_up(nics[i].name);
      }
    }
  }
  free(text);
  close(sock4);
  if (sock6 >= 0) {
    close(sock6);
  }
}
