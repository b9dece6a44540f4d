/* The host side of stage1-kvm: picks the entrypoint from the name it was started under. */
#include "kvm.h"

static const struct entrypoint entrypoints[] = {
    {"run", kvm_run_main},
    {"enter", kvm_enter_main},
    {"stop", kvm_stop_main},
    {"gc", kvm_gc_main},
};

int main(int argc, char **argv) {
  fly_program_name = "stage1-kvm";
  return dispatch_entrypoint("stage1-kvm", entrypoints,
                             sizeof entrypoints / sizeof entrypoints[0],
                             "run, enter, stop and gc", argc, argv);
}
