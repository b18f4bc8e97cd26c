/* peakrss.c: run one command and report its wall time, CPU time and peak RSS.
 *
 *   peakrss [-o FILE] [--] CMD [ARG...]
 *
 * Fork/execs CMD (stdin, stdout and stderr are inherited, so redirect them around
 * peakrss), waits for it with wait4() and writes one line to FILE (default: stderr):
 *
 *   wall=1.234567 user=1.100000 sys=0.120000 cpu=1.220000 maxrss_kb=4321 status=0
 *
 * wall is CLOCK_MONOTONIC from just before fork() to wait4() returning; user/sys and
 * maxrss_kb (ru_maxrss, kilobytes on Linux) are the child's rusage. Exits with CMD's exit
 * status, 128+N if it was killed by signal N, 127 if it could not be run, 2 on bad usage.
 * Plain POSIX + wait4(): no dependency on GNU time or hyperfine. Used by the bench scripts. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--") == 0) { i++; break; }
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) { out = argv[i + 1]; i += 2; continue; }
		fprintf(stderr, "usage: peakrss [-o FILE] [--] CMD [ARG...]\n");
		return 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: peakrss [-o FILE] [--] CMD [ARG...]\n");
		return 2;
	}
	FILE *fo = stderr;
	if (out && !(fo = fopen(out, "w"))) {
		fprintf(stderr, "peakrss: %s: %s\n", out, strerror(errno));
		return 2;
	}

	double t0 = now_s();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "peakrss: fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "peakrss: %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	int st = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	pid_t w;
	while ((w = wait4(pid, &st, 0, &ru)) < 0 && errno == EINTR)
		;
	double wall = now_s() - t0;
	if (w < 0) {
		fprintf(stderr, "peakrss: wait4: %s\n", strerror(errno));
		return 127;
	}
	int rc = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 127;
	double user = tv_s(ru.ru_utime), sys = tv_s(ru.ru_stime);
	fprintf(fo, "wall=%.6f user=%.6f sys=%.6f cpu=%.6f maxrss_kb=%ld status=%d\n",
		wall, user, sys, user + sys, (long)ru.ru_maxrss, rc);
	if (fo != stderr && fclose(fo) != 0) {
		fprintf(stderr, "peakrss: %s: %s\n", out, strerror(errno));
		return rc ? rc : 2;
	}
	return rc;
}
