/* example_structure.h: the fase-2 Zoomwijck of
 * deploy/examples/zoomwijck-fase2.json for fuzz targets that need a real
 * structure (fuzz_command, fuzz_overlay). Read once, on the first call,
 * relative to the working directory: run the targets from the repository
 * root (as replay.sh and run.sh do). Kept until exit. */
#ifndef FUZZ_EXAMPLE_STRUCTURE_H
#define FUZZ_EXAMPLE_STRUCTURE_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_EXAMPLE_STRUCTURE "deploy/examples/zoomwijck-fase2.json"

/* The file's text, NUL-terminated, its length in *len; aborts when it
 * cannot be read, so a target never runs without its structure. */
static const char *fuzz_example_structure(size_t *len)
{
	static char *text;
	static size_t n;

	if (text == NULL) {
		FILE *f = fopen(FUZZ_EXAMPLE_STRUCTURE, "rb");
		long size;

		if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
		    fseek(f, 0, SEEK_SET) != 0 || (text = malloc((size_t)size + 1)) == NULL ||
		    fread(text, 1, (size_t)size, f) != (size_t)size) {
			fprintf(stderr, "fuzz: cannot read %s (run from the repository root)\n",
				FUZZ_EXAMPLE_STRUCTURE);
			abort();
		}
		fclose(f);
		n = (size_t)size;
		text[n] = '\0';
	}
	*len = n;
	return text;
}

#endif
