/*
 * The VM's network, host side. stage0 made the pod's network namespace (its path in the pod
 * directory's `netns` file) with eth0, eth1, ... from the CNI plugins, one per network. /run
 * joins it before starting qemu and connects a tap device tapN to each ethN the way Kata does:
 * each interface's ingress traffic is redirected (tc mirred) to the other, so the guest's NIC,
 * which gets ethN's MAC, takes ethN's place on the wire. ethN keeps its addresses and routes;
 * the guest takes the same ones (IPv4 and IPv6, from KVM_NET_FILE).
 * Everything lives in the pod's namespace, which stage0's gc removes with the tap in it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <net/route.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm.h"

#define POD_NETNS_FILE "netns"
#define POD_IF_PREFIX "eth"

static void if_request(int sock, unsigned long request, const char *ifname, struct ifreq *ifr,
                       const char *what) {
  memset(ifr, 0, sizeof *ifr);
  snprintf(ifr->ifr_name, IFNAMSIZ, "%s", ifname);
  if (ioctl(sock, request, ifr) != 0) {
    die_errno("%s of %s in the pod's network namespace", what, ifname);
  }
}

static void set_up(int sock, const char *ifname) {
  struct ifreq ifr;
  if_request(sock, SIOCGIFFLAGS, ifname, &ifr, "read the flags");
  ifr.ifr_flags |= IFF_UP;
  if (ioctl(sock, SIOCSIFFLAGS, &ifr) != 0) {
    die_errno("bring %s up in the pod's network namespace", ifname);
  }
}

static void run_tc(char *const argv[]) {
  pid_t pid = fork();
  if (pid < 0) {
    die_errno("fork tc");
  }
  if (pid == 0) {
    execvp(argv[0], argv);
    fprintf(stderr, "stage1-kvm: exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  int status;
  wait_child(pid, &status);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    die("cannot connect the VM's tap device to the pod's interface: `tc %s %s %s %s ...` failed",
        argv[1], argv[2], argv[3], argv[4]);
  }
}

/* Redirects everything arriving on from to the egress of to. */
static void redirect(const char *from, const char *to) {
  char *qdisc[] = {"tc", "qdisc", "add", "dev", (char *)from, "ingress", NULL};
  run_tc(qdisc);
  char *filter[] = {"tc", "filter", "add", "dev", (char *)from, "parent", "ffff:",
                    "protocol", "all", "u32", "match", "u8", "0", "0", "action", "mirred",
                    "egress", "redirect", "dev", (char *)to, NULL};
  run_tc(filter);
}

/* Appends one line to the guest's set-up. */
static void net_line(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void net_line(FILE *out, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfprintf(out, fmt, ap);
  va_end(ap);
  fputc('\n', out);
}

/* ifname's IPv4 address and its routes other than the prefix's own (the guest's kernel adds
 * that one with the address), from the namespace the process is in. */
static void ipv4_config(int sock, const char *ifname, FILE *out) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
  if (ioctl(sock, SIOCGIFADDR, &ifr) != 0) {
    if (errno == EADDRNOTAVAIL) {
      return; /* no IPv4 on this network */
    }
    die_errno("read the address of %s in the pod's network namespace", ifname);
  }
  struct in_addr addr = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;
  if_request(sock, SIOCGIFNETMASK, ifname, &ifr, "read the netmask");
  uint32_t mask = ((struct sockaddr_in *)&ifr.ifr_netmask)->sin_addr.s_addr;
  char a[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &addr, a, sizeof a);
  net_line(out, "addr %s %s %d", ifname, a, __builtin_popcount(mask));

  FILE *f = fopen("/proc/net/route", "r");
  if (f == NULL) {
    die_errno("read /proc/net/route in the pod's network namespace");
  }
  char line[256], dev[IFNAMSIZ + 1];
  unsigned dest, gateway, flags, rmask;
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "%16s %x %x %x %*s %*s %*s %x", dev, &dest, &gateway, &flags, &rmask) != 5 ||
        strcmp(dev, ifname) != 0 || !(flags & RTF_UP)) {
      continue;
    }
    if (gateway == 0 && rmask == mask && dest == (addr.s_addr & mask)) {
      continue;
    }
    char d[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN] = "-";
    inet_ntop(AF_INET, &(struct in_addr){dest}, d, sizeof d);
    if (gateway != 0) {
      inet_ntop(AF_INET, &(struct in_addr){gateway}, g, sizeof g);
    }
    net_line(out, "route %s %s %d %s", ifname, d, __builtin_popcount(rmask), g);
  }
  fclose(f);
}

/* "0123..." (32 hex digits, as /proc/net's IPv6 files write them) to an address's text. */
static int ipv6_from_hex(const char *hex, char *text, size_t size) {
  struct in6_addr a;
  for (int i = 0; i < 16; i++) {
    unsigned byte;
    if (sscanf(hex + 2 * i, "%2x", &byte) != 1) {
      return -1;
    }
    a.s6_addr[i] = (unsigned char)byte;
  }
  return inet_ntop(AF_INET6, &a, text, (socklen_t)size) == NULL ? -1 : 0;
}

#define IPV6_SCOPE_GLOBAL 0x00
#define RTF_LOCAL_ROUTE 0x80000000u
#define RTF_ANYCAST_ROUTE 0x00100000u

/* ifname's global IPv6 addresses, then its IPv6 routes other than the link's own (prefix and
 * link-local routes the guest's kernel makes itself, local and multicast routes). */
static void ipv6_config(const char *ifname, FILE *out) {
  FILE *f = fopen("/proc/net/if_inet6", "r");
  if (f == NULL) {
    return; /* no IPv6 in this kernel */
  }
  char line[512], hex[33], dev[IFNAMSIZ + 1], text[INET6_ADDRSTRLEN];
  unsigned index, prefix, scope, flags;
  struct {
    char hex[33];
    unsigned prefix;
  } own[16];
  size_t nown = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "%32s %x %x %x %x %16s", hex, &index, &prefix, &scope, &flags, dev) == 6 &&
        strcmp(dev, ifname) == 0 && scope == IPV6_SCOPE_GLOBAL &&
        ipv6_from_hex(hex, text, sizeof text) == 0) {
      net_line(out, "addr %s %s %u", ifname, text, prefix);
      if (nown < sizeof own / sizeof own[0]) {
        snprintf(own[nown].hex, sizeof own[nown].hex, "%s", hex);
        own[nown++].prefix = prefix;
      }
    }
  }
  fclose(f);
  f = fopen("/proc/net/ipv6_route", "r");
  if (f == NULL) {
    return;
  }
  char dst[33], src[33], via[33], d[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
  unsigned dst_len, src_len, metric, refcnt, use;
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "%32s %x %32s %x %32s %x %x %x %x %16s", dst, &dst_len, src, &src_len, via,
               &metric, &refcnt, &use, &flags, dev) != 10 ||
        strcmp(dev, ifname) != 0 || !(flags & RTF_UP) ||
        (flags & (RTF_LOCAL_ROUTE | RTF_ANYCAST_ROUTE)) || strncmp(dst, "fe80", 4) == 0 ||
        strncmp(dst, "ff", 2) == 0 || ipv6_from_hex(dst, d, sizeof d) != 0) {
      continue;
    }
    int gateway = strspn(via, "0") != 32;
    int connected = 0;
    for (size_t i = 0; !gateway && i < nown; i++) {
      /* the prefix route of an own address: the same first dst_len bits */
      connected |= own[i].prefix == dst_len && dst_len % 4 == 0 &&
                   strncmp(own[i].hex, dst, dst_len / 4) == 0;
    }
    if (connected) {
      continue;
    }
    if (gateway) {
      ipv6_from_hex(via, g, sizeof g);
    } else {
      snprintf(g, sizeof g, "-");
    }
    net_line(out, "route %s %s %u %s", ifname, d, dst_len, g);
  }
  fclose(f);
}

/* Creates tapN, connects it to ethN both ways and brings both up; returns its fd. */
static int connect_tap(int sock, const char *eth, const char *tap_name, const char *netns) {
  int tap = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (tap < 0) {
    die_errno("open /dev/net/tun for the VM's tap device");
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", tap_name);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  if (ioctl(tap, TUNSETIFF, &ifr) != 0) {
    die_errno("create the tap device %s in %s", tap_name, netns);
  }
  set_up(sock, tap_name);
  set_up(sock, eth);
  redirect(eth, tap_name);
  redirect(tap_name, eth);
  return tap;
}

size_t kvm_net_setup(const char *net_flag, struct vm_nic *nics, size_t max) {
  if (net_flag != NULL && strcmp(net_flag, "none") == 0) {
    return 0;
  }
  size_t size;
  char *netns = read_file(POD_NETNS_FILE, &size);
  if (netns == NULL) {
    debugf("no network namespace recorded: the VM gets no network interface");
    return 0;
  }
  netns[strcspn(netns, "\n")] = '\0';
  int nsfd = open(netns, O_RDONLY | O_CLOEXEC);
  if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) != 0) {
    die_errno("join the pod's network namespace %s", netns);
  }
  close(nsfd);
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) {
    die_errno("socket");
  }
  char *text = NULL;
  size_t text_size = 0;
  FILE *out = open_memstream(&text, &text_size);
  if (out == NULL) {
    die("out of memory");
  }
  size_t n = 0;
  for (; n < max; n++) {
    char eth[IFNAMSIZ], tap_name[IFNAMSIZ];
    snprintf(eth, sizeof eth, "%s%u", POD_IF_PREFIX, (unsigned)n % 100);
    snprintf(tap_name, sizeof tap_name, "%s%u", KVM_TAP_PREFIX, (unsigned)n % 100);
    if (if_nametoindex(eth) == 0) {
      break;
    }
    struct ifreq ifr;
    if_request(sock, SIOCGIFHWADDR, eth, &ifr, "read the MAC address");
    unsigned char *hw = (unsigned char *)ifr.ifr_hwaddr.sa_data;
    snprintf(nics[n].mac, sizeof nics[n].mac, "%02x:%02x:%02x:%02x:%02x:%02x", hw[0], hw[1],
             hw[2], hw[3], hw[4], hw[5]);
    net_line(out, "nic %s %s", eth, nics[n].mac);
    ipv4_config(sock, eth, out);
    ipv6_config(eth, out);
    nics[n].tap = connect_tap(sock, eth, tap_name, netns);
    debugf("%s connected to %s in %s, MAC %s", tap_name, eth, netns, nics[n].mac);
  }
  char next[IFNAMSIZ];
  snprintf(next, sizeof next, "%s%u", POD_IF_PREFIX, (unsigned)n % 100);
  if (n == max && if_nametoindex(next) != 0) {
    die("the pod has more than %zu networks; a VM takes at most %zu", max, max);
  }
  close(sock);
  fclose(out);
  if (n == 0) {
    debugf("no %s0 in %s: the VM gets no network interface", POD_IF_PREFIX, netns);
  } else if (write_file_atomic(KVM_NET_FILE, text) != 0) {
    die_errno("write %s", KVM_NET_FILE);
  }
  debugf("the guest's network:\n%s", text);
  free(text);
  free(netns);
  return n;
}
