/* The guest side of stage1-kvm: /init (init.c) and its agent for `enter` (agent.c). */
#ifndef GUEST_H
#define GUEST_H

#include <signal.h>

#include "../kvm.h"
#include "isolators/isolators.h"

/* Starts the agent on its (non-blocking) port; plan and the signals the init blocks (which a
 * command unblocks) must outlive it. */
void agent_init(int fd, const struct plan *plan, const sigset_t *blocked);
/* A frame the host sent on the agent port. */
void agent_request(struct frame *frame);
/* The running command's stdout (0) or stderr (1) pipe, -1 when there is none. */
int agent_output(int which);
/* Relays what that pipe has to the host (closing it at its end). */
void agent_relay(int which);
/* 1 when pid was the running command (its exit status is kept for the host). */
int agent_reaped(pid_t pid, int status);
/* Sends the command's EXIT once it has ended and its output is relayed. */
void agent_finish_if_done(void);
/* Kills a running command (the pod is ending). */
void agent_stop(void);

/* net.c: loopback up; eth0 set up as KVM_NET_FILE says, when it exists. */
void guest_net_setup(void);
/* dns.c: prepends the binds of the pod's hostname, hosts and resolv.conf to the app's mounts. */
void guest_dns_mounts(struct plan_app *app);
/* limits.c: the cgroups of the apps' memory and CPU limits (cgroup2, the guest's own root);
 * dies on a limit the kernel refuses. */
void guest_limits_setup(const struct plan *plan);
/* In the app's process: joins its cgroup, when it has limits. */
void guest_limits_join(const struct plan_app *app);
#define GUEST_POD_MOUNT "/pod"

#endif
