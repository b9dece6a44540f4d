/*
 * The VM's network, host side. stage0 made the pod's network namespace (its path in the pod
 * directory's `netns` file) with eth0 from the CNI plugin. /run joins it before starting qemu
 * and connects a tap device to eth0 the way Kata does: each interface's ingress traffic is
 * redirected (tc mirred) to the other, so the guest's NIC, which gets eth0's MAC, takes eth0's
 * place on the wire. eth0 keeps its address; the guest takes the same one (from KVM_NET_FILE).
 * Everything lives in the pod's namespace, which stage0's gc removes with the tap in it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kvm.h"

#define POD_NETNS_FILE "netns"
#define POD_IF "eth0"

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

/* The default route's gateway in the current network namespace (/proc/net follows it). */
static int default_gateway(struct in_addr *gw) {
  FILE *f = fopen("/proc/net/route", "r");
  if (f == NULL) {
    return -1;
  }
  char line[256], ifname[IFNAMSIZ + 1];
  unsigned dest, gateway, flags, mask;
  int found = -1;
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, "%16s %x %x %x %*s %*s %*s %x", ifname, &dest, &gateway, &flags, &mask) == 5 &&
        dest == 0 && mask == 0 && strcmp(ifname, POD_IF) == 0) {
      gw->s_addr = gateway;
      found = 0;
      break;
    }
  }
  fclose(f);
  return found;
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
    die("cannot connect the VM's tap device to %s: `tc %s %s %s %s ...` failed", POD_IF, argv[1],
        argv[2], argv[3], argv[4]);
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

int kvm_net_setup(const char *net_flag, char *mac, size_t mac_size) {
  if (net_flag != NULL && strcmp(net_flag, "none") == 0) {
    return -1;
  }
  size_t size;
  char *netns = read_file(POD_NETNS_FILE, &size);
  if (netns == NULL) {
    debugf("no network namespace recorded: the VM gets no network interface");
    return -1;
  }
  netns[strcspn(netns, "\n")] = '\0';
  int nsfd = open(netns, O_RDONLY | O_CLOEXEC);
  if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) != 0) {
    die_errno("join the pod's network namespace %s", netns);
  }
  close(nsfd);
  if (if_nametoindex(POD_IF) == 0) {
    debugf("no %s in %s: the VM gets no network interface", POD_IF, netns);
    free(netns);
    return -1;
  }
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) {
    die_errno("socket");
  }
  struct ifreq ifr;
  if_request(sock, SIOCGIFHWADDR, POD_IF, &ifr, "read the MAC address");
  unsigned char *hw = (unsigned char *)ifr.ifr_hwaddr.sa_data;
  snprintf(mac, mac_size, "%02x:%02x:%02x:%02x:%02x:%02x", hw[0], hw[1], hw[2], hw[3], hw[4],
           hw[5]);
  if_request(sock, SIOCGIFADDR, POD_IF, &ifr, "read the address");
  struct in_addr addr = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;
  if_request(sock, SIOCGIFNETMASK, POD_IF, &ifr, "read the netmask");
  int prefix = __builtin_popcount(((struct sockaddr_in *)&ifr.ifr_netmask)->sin_addr.s_addr);
  struct in_addr gw = {0};
  int have_gw = default_gateway(&gw) == 0;

  int tap = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  if (tap < 0) {
    die_errno("open /dev/net/tun for the VM's tap device");
  }
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", KVM_TAP);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  if (ioctl(tap, TUNSETIFF, &ifr) != 0) {
    die_errno("create the tap device %s in %s", KVM_TAP, netns);
  }
  set_up(sock, KVM_TAP);
  set_up(sock, POD_IF);
  redirect(POD_IF, KVM_TAP);
  redirect(KVM_TAP, POD_IF);
  close(sock);

  char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN] = "-";
  inet_ntop(AF_INET, &addr, a, sizeof a);
  if (have_gw) {
    inet_ntop(AF_INET, &gw, g, sizeof g);
  }
  char line[128];
  snprintf(line, sizeof line, "%s %d %s\n", a, prefix, g);
  if (write_file_atomic(KVM_NET_FILE, line) != 0) {
    die_errno("write %s", KVM_NET_FILE);
  }
  debugf("%s connected to %s in %s: guest %s/%d via %s, MAC %s", KVM_TAP, POD_IF, netns, a,
         prefix, g, mac);
  free(netns);
  return tap;
}
