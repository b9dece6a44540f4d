/*
 * The guest's network: loopback up, and when the host connected a NIC (KVM_NET_FILE names its
 * address), eth0 (virtio-net, carrying the pod's eth0 MAC) gets the pod's address, prefix and
 * default route: the guest takes the place of the pod's CNI interface.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
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

#define GUEST_IF "eth0"
#define NIC_WAIT_MS 5000

static void set_in_addr(struct sockaddr *sa, struct in_addr addr) {
  struct sockaddr_in *in = (struct sockaddr_in *)sa;
  memset(in, 0, sizeof *in);
  in->sin_family = AF_INET;
  in->sin_addr = addr;
}

static void bring_up(int sock, const char *ifname) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
  if (ioctl(sock, SIOCGIFFLAGS, &ifr) != 0) {
    die_errno("read the flags of %s", ifname);
  }
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl(sock, SIOCSIFFLAGS, &ifr) != 0) {
    die_errno("bring %s up", ifname);
  }
}

static void wait_for_nic(void) {
  for (int waited = 0; if_nametoindex(GUEST_IF) == 0; waited += 10) {
    if (waited >= NIC_WAIT_MS) {
      die("the network interface %s did not appear within %d ms", GUEST_IF, NIC_WAIT_MS);
    }
    struct timespec ts = {0, 10 * 1000000L};
    nanosleep(&ts, NULL);
  }
}

void guest_net_setup(void) {
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) {
    die_errno("socket");
  }
  bring_up(sock, "lo");
  size_t size;
  char *line = read_file(KVM_NET_FILE, &size);
  if (line == NULL) {
    close(sock);
    return; /* --net=none, or no network: loopback only */
  }
  char address[INET_ADDRSTRLEN], gateway[INET_ADDRSTRLEN];
  int prefix;
  struct in_addr addr, gw = {0}, mask;
  if (sscanf(line, "%15s %d %15s", address, &prefix, gateway) != 3 || prefix < 0 || prefix > 32 ||
      inet_pton(AF_INET, address, &addr) != 1 ||
      (strcmp(gateway, "-") != 0 && inet_pton(AF_INET, gateway, &gw) != 1)) {
    die("bad network set-up in %s: %s", KVM_NET_FILE, line);
  }
  mask.s_addr = prefix == 0 ? 0 : htonl(~0u << (32 - prefix));
  wait_for_nic();
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", GUEST_IF);
  set_in_addr(&ifr.ifr_addr, addr);
  if (ioctl(sock, SIOCSIFADDR, &ifr) != 0) {
    die_errno("set the address %s of %s", address, GUEST_IF);
  }
  set_in_addr(&ifr.ifr_netmask, mask);
  if (ioctl(sock, SIOCSIFNETMASK, &ifr) != 0) {
    die_errno("set the prefix /%d of %s", prefix, GUEST_IF);
  }
  bring_up(sock, GUEST_IF);
  if (gw.s_addr != 0) {
    struct rtentry rt;
    memset(&rt, 0, sizeof rt);
    set_in_addr(&rt.rt_dst, (struct in_addr){0});
    set_in_addr(&rt.rt_genmask, (struct in_addr){0});
    set_in_addr(&rt.rt_gateway, gw);
    rt.rt_flags = RTF_UP | RTF_GATEWAY;
    rt.rt_dev = GUEST_IF;
    if (ioctl(sock, SIOCADDRT, &rt) != 0) {
      die_errno("add the default route via %s", gateway);
    }
  }
  debugf("%s: %s/%d, gateway %s", GUEST_IF, address, prefix, gateway);
  free(line);
  close(sock);
}
