// SPDX-License-Identifier: GPL-2.0
/*
 * The probes and helpers of scripts/bench.sh:
 *   syscall N       N getppid() system calls in a tight loop; prints ns per call
 *   switch N CPU    a pipe ping-pong of N round trips between two processes pinned to CPU:
 *                   each round trip is 2 context switches and 4 system calls; prints ns per
 *                   context switch (the round trip's time over 2)
 *   spawn N         forks N children that sleep in pause(); prints "ready" once all exist, and
 *                   on SIGTERM or SIGINT kills and reaps them all
 *   attach OBJ      loads BPF object file OBJ and attaches each of its programs; prints
 *                   "attached", then waits for SIGTERM or SIGINT and detaches
 *   refresh CMD...  runs CMD, which prints a burst of output per refresh; prints the median
 *                   CPU ns of its refreshes after the second burst, and its peak RSS in kB
 *   first [-m TEXT] CMD...
 *                   runs CMD with stdout to a pipe; prints the ns from fork to its first line
 *                   (the first starting with TEXT, given -m), then reads the rest and reaps it
 *   cputime PID     prints the CPU ns of process PID so far and the CLOCK_MONOTONIC ns now
 * getppid is the cheapest system call glibc does not answer from a cache; the ping-pong blocks
 * on every read, so each message is one voluntary switch on a single CPU.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

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

/*
 * Block SIGTERM and SIGINT, so that they wait for sigwait() instead of ending us; and have
 * SIGTERM sent if the caller dies first (killed outright), so that neither the processes nor
 * the programs outlive the benchmark, where they would weigh on every later figure.
 */
static void block_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigprocmask(SIG_BLOCK, set, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static void reap_all(void)
{
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

static int spawn(long n)
{
	pid_t *pids = calloc(n, sizeof(*pids));
	pid_t parent = getpid();
	long i, made = 0;
	sigset_t set;
	int sig, err = 0;

	if (!pids) {
		perror("evbench");
		return 1;
	}
	block_stop_signals(&set);
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			err = 1;
			break;
		}
		if (!pids[i]) {
			/* Not one left behind if the spawner is killed outright. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(0);
			for (;;)
				pause();
		}
		made++;
	}
	if (!err) {
		printf("ready\n");
		fflush(stdout);
		sigwait(&set, &sig);
	}
	/* SIGKILL needs no handler in the child and cannot be blocked: all die now. */
	for (i = 0; i < made; i++)
		kill(pids[i], SIGKILL);
	reap_all();
	free(pids);
	return err;
}

static int attach(const char *path)
{
	struct bpf_link *links[16];
	struct bpf_program *prog;
	struct bpf_object *obj;
	int n = 0, sig, err;
	sigset_t set;

	block_stop_signals(&set);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "evbench: %s: %s\n", path, strerror(errno));
		return 1;
	}
	err = bpf_object__load(obj);
	bpf_object__for_each_program(prog, obj) {
		if (err)
			break;
		if (n == (int)(sizeof(links) / sizeof(links[0]))) {
			err = -E2BIG;
			break;
		}
		links[n] = bpf_program__attach(prog);
		if (!links[n]) {
			err = -errno;
			break;
		}
		n++;
	}
	if (err) {
		fprintf(stderr, "evbench: %s: %s\n", path, strerror(-err));
	} else {
		printf("attached\n");
		fflush(stdout);
		sigwait(&set, &sig);
	}
	while (n--)
		bpf_link__destroy(links[n]);
	bpf_object__close(obj);
	return !!err;
}

/* Fork and exec argv with stdout on fd out; the child's pid, or -1. */
static pid_t start(char **argv, int out)
{
	pid_t pid = fork();

	if (pid)
		return pid;
	if (dup2(out, STDOUT_FILENO) < 0)
		_exit(127);
	execvp(argv[0], argv);
	fprintf(stderr, "evbench: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* 0 if child pid ended with status 0; *ru gets its rusage (its reaped descendants' too). */
static int finish(pid_t pid, struct rusage *ru)
{
	int status;

	if (wait4(pid, &status, 0, ru) < 0) {
		perror("wait4");
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "evbench: %s %d\n", WIFEXITED(status) ? "exit status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return 1;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Run CMD with stdout to a pipe and read its CPU time (exact, all threads, from its CPU-time
 * clock) as each burst of output begins, the first bytes after 0.4 s of silence: one burst per
 * refresh. The refreshes measured are those after the second burst, which leaves out start-up
 * (whose BPF load varies by more than a refresh costs) and pidstat's banner, its first burst.
 * Their median, not their mean, so that a refresh that met a burst of other processes starting
 * and exiting on this shared machine does not count.
 */
static int refresh(char **argv)
{
	double cpu[64], last = 0, t;
	char buf[65536];
	struct timespec ts;
	struct rusage ru;
	int fd[2], n = 0;
	clockid_t clock;
	ssize_t got;
	pid_t pid;

	if (pipe2(fd, O_CLOEXEC)) {
		perror("evbench");
		return 1;
	}
	pid = start(argv, fd[1]);
	close(fd[1]);
	if (pid < 0 || clock_getcpuclockid(pid, &clock)) {
		perror("evbench");
		return 1;
	}
	while ((got = read(fd[0], buf, sizeof(buf))) > 0 || (got < 0 && errno == EINTR)) {
		t = now_ns();
		if (got > 0 && (!n || t - last > 0.4e9) && n < 64 && !clock_gettime(clock, &ts))
			cpu[n++] = ts.tv_sec * 1e9 + ts.tv_nsec;
		last = t;
	}
	close(fd[0]);
	if (finish(pid, &ru))
		return 1;
	if (n < 3) {
		fprintf(stderr, "evbench: %s: %d bursts of output, not 3 or more\n", argv[0], n);
		return 1;
	}
	/* The cost of each refresh after the second burst, in place. */
	for (int i = 1; i < n - 1; i++)
		cpu[i - 1] = cpu[i + 1] - cpu[i];
	n -= 2;
	qsort(cpu, n, sizeof(cpu[0]), cmp_double);
	printf("%.0f %ld\n", n % 2 ? cpu[n / 2] : (cpu[n / 2 - 1] + cpu[n / 2]) / 2, ru.ru_maxrss);
	return 0;
}

static int first(const char *match, char **argv)
{
	size_t len = match ? strlen(match) : 0, at = 0;
	double t0, t1 = 0;
	/* The start of the current line, enough to compare with match. */
	char buf[4096], head[256];
	struct rusage ru;
	int fd[2], bol = 1;
	ssize_t got;
	pid_t pid;

	if (len >= sizeof(head) || pipe2(fd, O_CLOEXEC)) {
		fprintf(stderr, "evbench: bad -m or no pipe\n");
		return 1;
	}
	t0 = now_ns();
	pid = start(argv, fd[1]);
	close(fd[1]);
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	while ((got = read(fd[0], buf, sizeof(buf))) > 0 || (got < 0 && errno == EINTR)) {
		for (ssize_t i = 0; i < got && !t1; i++) {
			if (bol)
				at = 0;
			bol = buf[i] == '\n';
			if (at < len)
				head[at++] = buf[i];
			if (bol && at >= len && !memcmp(head, match, len))
				t1 = now_ns();
		}
	}
	close(fd[0]);
	if (finish(pid, &ru))
		return 1;
	if (!t1) {
		fprintf(stderr, "evbench: %s printed no such line\n", argv[0]);
		return 1;
	}
	printf("%.0f\n", t1 - t0);
	return 0;
}

/*
 * A process's CPU time from its CPU-time clock: exact, and the sum of all its threads, those that
 * have ended included, where /proc/PID/stat rounds to ticks and /proc/PID/schedstat counts the
 * main thread alone (an exporter serves from other threads).
 */
static int cputime(pid_t pid)
{
	struct timespec ts;
	clockid_t clock;
	int err;

	err = clock_getcpuclockid(pid, &clock);
	if (err || clock_gettime(clock, &ts)) {
		fprintf(stderr, "evbench: process %d: %s\n", pid, strerror(err ? err : errno));
		return 1;
	}
	printf("%.0f %.0f\n", ts.tv_sec * 1e9 + ts.tv_nsec, now_ns());
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "syscall"))
		return bench_syscall(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "switch"))
		return bench_switch(atol(argv[2]), atoi(argv[3]));
	if (argc == 3 && !strcmp(argv[1], "spawn") && atol(argv[2]) > 0)
		return spawn(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "attach"))
		return attach(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "refresh"))
		return refresh(argv + 2);
	if (argc >= 5 && !strcmp(argv[1], "first") && !strcmp(argv[2], "-m"))
		return first(argv[3], argv + 4);
	if (argc >= 3 && !strcmp(argv[1], "first"))
		return first(NULL, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "cputime") && atoi(argv[2]) > 0)
		return cputime(atoi(argv[2]));
	fprintf(stderr, "usage: evbench syscall N | switch N CPU | spawn N | attach OBJ |\n"
		"               refresh CMD... | first [-m TEXT] CMD... | cputime PID\n");
	return 2;
}
