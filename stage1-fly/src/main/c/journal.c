/*
 * journal: gives each app its own stream to journald when the pod runs in a systemd unit whose
 * output goes to the journal (systemd then sets JOURNAL_STREAM). The app's stdout and stderr
 * become one stream socket to journald's stdout socket, whose header names the app as
 * SYSLOG_IDENTIFIER; journald attributes the stream to the unit by the writer's cgroup, so
 * `journalctl -u UNIT` and `journalctl -t APP` both find the lines. The header names the unit
 * too: journald falls back to it for lines of a process that exited before it read its cgroup.
 * Without that socket the app keeps the stage1's stdout and stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fly.h"

int journal_wanted(void) {
  const char *stream = getenv("JOURNAL_STREAM");
  return stream != NULL && stream[0] != '\0' && access(JOURNAL_STDOUT_SOCKET, F_OK) == 0;
}

char *journal_own_unit(void) {
  char *text = read_file("/proc/self/cgroup", NULL);
  if (text == NULL) {
    return NULL;
  }
  char *unit = NULL;
  for (char *save = NULL, *line = strtok_r(text, "\n", &save); line != NULL;
       line = strtok_r(NULL, "\n", &save)) {
    if (strncmp(line, "0::", 3) != 0) {
      continue;
    }
    /* the innermost component ending in .service */
    for (char *save2 = NULL, *part = strtok_r(line + 3, "/", &save2); part != NULL;
         part = strtok_r(NULL, "/", &save2)) {
      size_t n = strlen(part);
      if (n > 8 && strcmp(part + n - 8, ".service") == 0) {
        free(unit);
        unit = strdup(part);
      }
    }
  }
  free(text);
  return unit;
}

int journal_connect(const char *socket_path, const char *app, const char *unit) {
  if (socket_path == NULL || socket_path[0] == '\0') {
    return -1;
  }
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(socket_path) >= sizeof addr.sun_path) {
    debugf("journal: socket path %s is too long; app \"%s\" keeps the stage1's output",
           socket_path, app);
    return -1;
  }
  strcpy(addr.sun_path, socket_path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    debugf("journal: connect %s: %s; app \"%s\" keeps the stage1's output", socket_path,
           strerror(errno), app);
    close(fd);
    return -1;
  }
  /* identifier, unit id, priority, level prefix, forward to syslog, to kmsg, to console.
   * The priority is facility user (1) and level info (6): journald records SYSLOG_FACILITY=1,
   * which sets the apps' lines apart from the unit's own output (facility daemon by default)
   * even when the unit's SyslogIdentifier is an app's name. */
  char header[1024];
  int n = snprintf(header, sizeof header, "%s\n%s\n%d\n0\n0\n0\n0\n", app,
                   unit != NULL ? unit : "", (1 << 3) | 6);
  if (n <= 0 || (size_t)n >= sizeof header || write(fd, header, (size_t)n) != n) {
    close(fd);
    return -1;
  }
  return fd;
}

int journal_attach_app(const char *socket_path, const char *app, const char *unit) {
  int fd = journal_connect(socket_path, app, unit);
  if (fd < 0) {
    return 0;
  }
  shutdown(fd, SHUT_RD);
  if (dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0) {
    die_errno("app \"%s\": connect its output to the journal", app);
  }
  close(fd);
  return 1;
}
