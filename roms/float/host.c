/* The host build of compute.c: prints its lines on stdout. roms/float/build runs it to make
   expected.txt, the host CPU's results that the guest compares its own against. */
#include <stdio.h>
#include "compute.h"

static void emit(const char *line) { puts(line); }

int main(void) {
    COMPUTE(emit);
    return 0;
}
