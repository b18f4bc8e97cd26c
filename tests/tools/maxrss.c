/*
 * maxrss.c: run a command and print its peak resident set size in KiB on
 * stderr's last line ("maxrss KIB"), passing its exit status through. Used
 * by tests to check memory stays flat; never to time anything.
 *   maxrss CMD [ARGS...]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int st;
	if (argc < 2) {
		fputs("usage: maxrss CMD [ARGS...]\n", stderr);
		return 2;
	}
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0) {
		perror("maxrss");
		return 2;
	}
	fprintf(stderr, "maxrss %ld\n", ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
