// SPDX-License-Identifier: GPL-2.0
/*
 * The per-event cost probes of scripts/bench-events.sh:
 *   syscall N       N getppid() system calls in a tight loop; prints ns per call
 *   switch N CPU    a pipe ping-pong of N round trips between two processes pinned to CPU:
 *                   each round trip is 2 context switches and 4 system calls; prints ns per
 *                   context switch (the round trip's time over 2)
 * getppid is the cheapest system call glibc does not answer from a cache; the ping-pong blocks
 * on every read, so each message is one voluntary switch on a single CPU.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int bench_syscall(long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	printf("%.1f\n", (now_ns() - t0) / n);
	return 0;
}

static int bench_switch(long n, int cpu)
{
	int ping[2], pong[2], status;
	double t0;
	char c = 0;
	pid_t pid;

	if (pin(cpu) || pipe(ping) || pipe(pong)) {
		perror("evbench");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (!pid) {
		for (long i = 0; i < n; i++) {
			if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) {
			perror("ping-pong");
			return 1;
		}
	}
	printf("%.1f\n", (now_ns() - t0) / (2.0 * n));
	waitpid(pid, &status, 0);
	return !WIFEXITED(status) || WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "syscall"))
		return bench_syscall(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "switch"))
		return bench_switch(atol(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: evbench syscall N | switch N CPU\n");
	return 2;
}
