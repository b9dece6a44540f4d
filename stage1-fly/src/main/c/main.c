/* Picks the entrypoint from the name the binary was started under (run, enter, stop, gc). */
#include "fly.h"

static const struct entrypoint entrypoints[] = {
    {"run", run_main},
    {"enter", enter_main},
    {"stop", stop_main},
    {"gc", gc_main},
};

int main(int argc, char **argv) {
  return dispatch_entrypoint("stage1-fly", entrypoints, sizeof entrypoints / sizeof entrypoints[0],
                             "run, enter, stop and gc", argc, argv);
}
