/*
 * The run plan stage0 writes (see the stage1 implementor's guide): NUL-terminated strings,
 * "version" "1", then directives. Fields point into the file's buffer, which is never freed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fly.h"

int plan_accepts_isolators;

struct reader {
  const char *path;
  char **fields;
  size_t nfields;
  size_t next;
  size_t at; /* index of the directive being read, for messages */
};

static void plan_fail(const struct reader *r, const char *fmt, const char *arg)
    __attribute__((noreturn));

static void plan_fail(const struct reader *r, const char *fmt, const char *arg) {
  char what[1024];
  snprintf(what, sizeof what, fmt, arg);
  die("plan %s: entry %zu: %s", r->path, r->at, what);
}

static const char *next_field(struct reader *r, const char *directive) {
  if (r->next >= r->nfields) {
    plan_fail(r, "directive \"%s\" is cut short", directive);
  }
  return r->fields[r->next++];
}

static long next_number(struct reader *r, const char *directive, long max) {
  const char *field = next_field(r, directive);
  long value = parse_decimal(field, max);
  if (value < 0) {
    char what[256];
    snprintf(what, sizeof what, "%s: \"%%s\" is not a number in range", directive);
    plan_fail(r, what, field);
  }
  return value;
}

/* Reads a counted list; returns a NULL-terminated array of the fields. */
static char **next_list(struct reader *r, const char *directive, size_t *count) {
  long n = next_number(r, directive, INT_MAX);
  if ((size_t)n > r->nfields - r->next) {
    plan_fail(r, "directive \"%s\" counts more fields than the plan has", directive);
  }
  char **list = calloc((size_t)n + 1, sizeof *list);
  if (list == NULL) {
    die("out of memory");
  }
  for (long i = 0; i < n; i++) {
    list[i] = r->fields[r->next++];
  }
  *count = (size_t)n;
  return list;
}

/* Absolute, no empty, "." or ".." components: resolution inside the root stays predictable. */
static int is_clean_absolute(const char *path) {
  if (path[0] != '/') {
    return 0;
  }
  const char *p = path;
  while (*p == '/') {
    p++;
    const char *end = strchrnul(p, '/');
    size_t len = (size_t)(end - p);
    if (len == 0 && *end == '/') {
      return 0; /* "//" */
    }
    if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.')) {
      return 0;
    }
    p = end;
  }
  return 1;
}

static void parse_mount_options(struct reader *r, const char *options, struct plan_mount *m) {
  char *copy = strdup(options);
  if (copy == NULL) {
    die("out of memory");
  }
  int kinds = 0;
  m->bind = 0;
  m->readonly = 0;
  for (char *save = NULL, *opt = strtok_r(copy, ",", &save); opt != NULL;
       opt = strtok_r(NULL, ",", &save)) {
    if (strcmp(opt, "bind") == 0) {
      m->bind = 1;
      kinds++;
    } else if (strcmp(opt, "rbind") == 0) {
      m->bind = 2;
      kinds++;
    } else if (strcmp(opt, "tmpfs") == 0) {
      m->bind = 0;
      kinds++;
    } else if (strcmp(opt, "ro") == 0) {
      m->readonly = 1;
    } else {
      plan_fail(r, "mount: unknown option \"%s\"", opt);
    }
  }
  free(copy);
  if (kinds != 1) {
    plan_fail(r, "mount: options \"%s\" must name exactly one of bind, rbind, tmpfs", options);
  }
}

static struct plan_app *current_app(struct reader *r, struct plan *plan, const char *directive) {
  if (plan->napps == 0) {
    plan_fail(r, "directive \"%s\" before any \"app\"", directive);
  }
  return &plan->apps[plan->napps - 1];
}

static void check_app(const struct reader *r, const struct plan_app *app) {
  if (app->root == NULL) {
    die("plan %s: app \"%s\" has no \"root\"", r->path, app->name);
  }
  if (app->nexec == 0) {
    die("plan %s: app \"%s\" has no \"exec\"", r->path, app->name);
  }
  if (app->exec[0][0] != '/') {
    die("plan %s: app \"%s\": exec \"%s\" is not an absolute path", r->path, app->name,
        app->exec[0]);
  }
}

/* The isolator directives; returns 0 when d is not one of them. */
static int parse_isolator(struct reader *r, struct plan *plan, const char *d) {
  if (strcmp(d, "no-new-privileges") == 0) {
    current_app(r, plan, d)->no_new_privileges = (int)next_number(r, d, 1);
  } else if (strcmp(d, "oom-score-adj") == 0) {
    struct plan_app *app = current_app(r, plan, d);
    const char *field = next_field(r, d);
    int negative = field[0] == '-';
    long value = parse_decimal(field + negative, 1000);
    if (value < 0) {
      plan_fail(r, "oom-score-adj: \"%s\" is not a number from -1000 to 1000", field);
    }
    app->has_oom_score_adj = 1;
    app->oom_score_adj = (int)(negative ? -value : value);
  } else if (strcmp(d, "caps") == 0) {
    struct plan_app *app = current_app(r, plan, d);
    free(app->caps);
    app->caps = next_list(r, d, &app->ncaps);
    app->has_caps = 1;
    for (size_t i = 0; i < app->ncaps; i++) {
      if (strncmp(app->caps[i], "CAP_", 4) != 0) {
        plan_fail(r, "caps: \"%s\" is not a capability name", app->caps[i]);
      }
    }
  } else if (strcmp(d, "memory-limit") == 0) {
    current_app(r, plan, d)->memory_limit = next_number(r, d, LONG_MAX / 16);
  } else if (strcmp(d, "cpu-quota") == 0) {
    current_app(r, plan, d)->cpu_quota_milli = next_number(r, d, LONG_MAX / 1000);
  } else if (strcmp(d, "seccomp") == 0) {
    struct plan_app *app = current_app(r, plan, d);
    const char *mode = next_field(r, d);
    if (strcmp(mode, "retain") != 0 && strcmp(mode, "remove") != 0) {
      plan_fail(r, "seccomp: mode \"%s\" is neither retain nor remove", mode);
    }
    app->seccomp_retain = strcmp(mode, "retain") == 0;
    app->seccomp_errno = (int)next_number(r, d, 4095);
    free(app->seccomp);
    app->seccomp = next_list(r, d, &app->nseccomp);
    app->has_seccomp = 1;
  } else {
    return 0;
  }
  return 1;
}

void plan_load(const char *path, struct plan *plan) {
  size_t size;
  char *buf = read_file(path, &size);
  if (buf == NULL) {
    die_errno("read plan %s", path);
  }
  struct reader r = {.path = path};
  if (size == 0 || buf[size - 1] != '\0') {
    die("plan %s: not a NUL-terminated list of strings", path);
  }
  for (size_t i = 0; i < size; i++) {
    r.nfields += buf[i] == '\0';
  }
  r.fields = calloc(r.nfields, sizeof *r.fields);
  if (r.fields == NULL) {
    die("out of memory");
  }
  for (size_t i = 0, f = 0; i < size; f++) {
    r.fields[f] = buf + i;
    i += strlen(buf + i) + 1;
  }

  if (r.nfields < 2 || strcmp(r.fields[0], "version") != 0) {
    die("plan %s: does not start with \"version\"", path);
  }
  if (strcmp(r.fields[1], "1") != 0) {
    die("plan %s: version \"%s\" is not supported (this stage1 reads version 1)", path,
        r.fields[1]);
  }
  r.next = 2;

  memset(plan, 0, sizeof *plan);
  while (r.next < r.nfields) {
    r.at = r.next;
    const char *d = r.fields[r.next++];
    if (strcmp(d, "app") == 0) {
      const char *name = next_field(&r, d);
      if (name[0] == '\0' || strchr(name, '/') != NULL) {
        plan_fail(&r, "app: \"%s\" is not a valid app name", name);
      }
      if (plan->napps > 0) {
        check_app(&r, &plan->apps[plan->napps - 1]);
      }
      struct plan_app *apps = realloc(plan->apps, (plan->napps + 1) * sizeof *apps);
      if (apps == NULL) {
        die("out of memory");
      }
      plan->apps = apps;
      struct plan_app *app = &plan->apps[plan->napps++];
      memset(app, 0, sizeof *app);
      app->name = name;
      app->cwd = "/";
      app->env = calloc(1, sizeof *app->env);
      app->exec = calloc(1, sizeof *app->exec);
      if (app->env == NULL || app->exec == NULL) {
        die("out of memory");
      }
    } else if (strcmp(d, "root") == 0) {
      struct plan_app *app = current_app(&r, plan, d);
      app->root = next_field(&r, d);
      if (app->root[0] == '\0' || app->root[0] == '/') {
        plan_fail(&r, "root: \"%s\" is not a path relative to the pod directory", app->root);
      }
    } else if (strcmp(d, "uid") == 0) {
      current_app(&r, plan, d)->uid = (uid_t)next_number(&r, d, UINT_MAX - 1);
    } else if (strcmp(d, "gid") == 0) {
      current_app(&r, plan, d)->gid = (gid_t)next_number(&r, d, UINT_MAX - 1);
    } else if (strcmp(d, "groups") == 0) {
      struct plan_app *app = current_app(&r, plan, d);
      long n = next_number(&r, d, 65536);
      free(app->groups);
      app->groups = calloc((size_t)n + 1, sizeof *app->groups);
      if (app->groups == NULL) {
        die("out of memory");
      }
      for (long i = 0; i < n; i++) {
        app->groups[i] = (gid_t)next_number(&r, d, UINT_MAX - 1);
      }
      app->ngroups = (size_t)n;
    } else if (strcmp(d, "cwd") == 0) {
      struct plan_app *app = current_app(&r, plan, d);
      app->cwd = next_field(&r, d);
      if (app->cwd[0] != '/') {
        plan_fail(&r, "cwd: \"%s\" is not an absolute path", app->cwd);
      }
    } else if (strcmp(d, "env") == 0) {
      struct plan_app *app = current_app(&r, plan, d);
      free(app->env);
      app->env = next_list(&r, d, &app->nenv);
      for (size_t i = 0; i < app->nenv; i++) {
        if (strchr(app->env[i], '=') == NULL || app->env[i][0] == '=') {
          plan_fail(&r, "env: \"%s\" is not KEY=VALUE", app->env[i]);
        }
      }
    } else if (strcmp(d, "exec") == 0) {
      struct plan_app *app = current_app(&r, plan, d);
      free(app->exec);
      app->exec = next_list(&r, d, &app->nexec);
    } else if (strcmp(d, "mount") == 0) {
      struct plan_app *app = current_app(&r, plan, d);
      struct plan_mount m;
      m.source = next_field(&r, d);
      m.target = next_field(&r, d);
      parse_mount_options(&r, next_field(&r, d), &m);
      if (m.bind && m.source[0] != '/') {
        plan_fail(&r, "mount: source \"%s\" is not an absolute path", m.source);
      }
      if (!m.bind && strcmp(m.source, "tmpfs") != 0) {
        plan_fail(&r, "mount: the source of a tmpfs mount must be \"tmpfs\", not \"%s\"",
                  m.source);
      }
      if (!is_clean_absolute(m.target)) {
        plan_fail(&r, "mount: target \"%s\" is not an absolute path without . or ..", m.target);
      }
      struct plan_mount *mounts = realloc(app->mounts, (app->nmounts + 1) * sizeof *mounts);
      if (mounts == NULL) {
        die("out of memory");
      }
      app->mounts = mounts;
      app->mounts[app->nmounts++] = m;
    } else if (strcmp(d, "readonly-rootfs") == 0) {
      current_app(&r, plan, d)->readonly_rootfs = (int)next_number(&r, d, 1);
    } else if (plan_accepts_isolators && parse_isolator(&r, plan, d)) {
    } else {
      plan_fail(&r, "unknown directive \"%s\"", d);
    }
  }
  if (plan->napps > 0) {
    check_app(&r, &plan->apps[plan->napps - 1]);
  }
  free(r.fields);
}
