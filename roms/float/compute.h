/* The interface between compute.c (the numeric work, compiled for the host and for the guest)
   and the program around it: compute.c calls emit() once per result with a finished line. */
#ifndef FLOAT_COMPUTE_H
#define FLOAT_COMPUTE_H

/* COMPUTE names the entry point, so that two builds of compute.c (-O2 and -O3 -msse4.1) can be
   linked into one program. */
void COMPUTE(void (*emit)(const char *line));

#endif
