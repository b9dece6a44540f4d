/* Picks the entrypoint from the name the binary was started under. */
#define _GNU_SOURCE
#include <string.h>

#include "nspawn.h"

static const struct {
  const char *name;
  int (*main)(int argc, char **argv);
} entrypoints[] = {
    {"init", nspawn_init_main},   {"supervisor", nspawn_supervisor_main},
    {"enter", nspawn_enter_main}, {"stop", nspawn_stop_main},
    {"gc", nspawn_gc_main},
};

int main(int argc, char **argv) {
  fly_program_name = "stage1-nspawn";
  plan_accepts_isolators = 1;
  const char *self = argc > 0 ? argv[0] : "";
  const char *slash = strrchr(self, '/');
  const char *name = slash != NULL ? slash + 1 : self;
  /* "stage1-nspawn ENTRYPOINT ARGS..." works too. */
  if (strcmp(name, "stage1-nspawn") == 0 && argc > 1) {
    argc--;
    argv++;
    name = argv[0];
  }
  for (size_t i = 0; i < sizeof entrypoints / sizeof entrypoints[0]; i++) {
    if (strcmp(name, entrypoints[i].name) == 0) {
      return entrypoints[i].main(argc, argv);
    }
  }
  die("started as \"%s\"; the entrypoints are init, supervisor, enter, stop and gc", name);
}
