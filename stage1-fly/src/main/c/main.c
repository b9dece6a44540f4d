/* Picks the entrypoint from the name the binary was started under (run, enter, stop, gc). */
#define _GNU_SOURCE
#include <string.h>

#include "fly.h"

static const struct {
  const char *name;
  int (*main)(int argc, char **argv);
} entrypoints[] = {
    {"run", run_main},
    {"enter", enter_main},
    {"stop", stop_main},
    {"gc", gc_main},
};

int main(int argc, char **argv) {
  const char *self = argc > 0 ? argv[0] : "";
  const char *slash = strrchr(self, '/');
  const char *name = slash != NULL ? slash + 1 : self;
  /* "stage1-fly ENTRYPOINT ARGS..." works too. */
  if (strcmp(name, "stage1-fly") == 0 && argc > 1) {
    argc--;
    argv++;
    name = argv[0];
  }
  for (size_t i = 0; i < sizeof entrypoints / sizeof entrypoints[0]; i++) {
    if (strcmp(name, entrypoints[i].name) == 0) {
      return entrypoints[i].main(argc, argv);
    }
  }
  die("started as \"%s\"; the entrypoints are run, enter, stop and gc", name);
}
