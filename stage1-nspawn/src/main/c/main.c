/* Picks the entrypoint from the name the binary was started under. */
#include "nspawn.h"

static const struct entrypoint entrypoints[] = {
    {"init", nspawn_init_main},   {"supervisor", nspawn_supervisor_main},
    {"enter", nspawn_enter_main}, {"stop", nspawn_stop_main},
    {"gc", nspawn_gc_main},
};

int main(int argc, char **argv) {
  fly_program_name = "stage1-nspawn";
  plan_accepts_isolators = 1;
  return dispatch_entrypoint("stage1-nspawn", entrypoints,
                             sizeof entrypoints / sizeof entrypoints[0],
                             "init, supervisor, enter, stop and gc", argc, argv);
}
