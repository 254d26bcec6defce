/* bench_util.h: small readers the benchmarks share (each bench is one
 * binary built from one .c file, so these are static to each). */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* A "Name:   123 kB" line from /proc/PID/file, or -1 when the file or
 * the line is not there. */
static inline long proc_kb(pid_t pid, const char *file, const char *name)
{
	char path[64], line[256];
	size_t n = strlen(name);
	FILE *f;
	long kb = -1;

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, name, n) == 0 && line[n] == ':')
			kb = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return kb;
}

/* The number in line just before `what` ("12 read(s)" -> 12), or -1. */
static inline long count_before(const char *line, const char *what)
{
	const char *p = strstr(line, what);

	while (p && p > line && p[-1] == ' ')
		p--;
	while (p && p > line && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return p && *p >= '0' && *p <= '9' ? strtol(p, NULL, 10) : -1;
}

#endif
