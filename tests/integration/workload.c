// SPDX-License-Identifier: GPL-2.0
/*
 * Workloads for the integration tests, each with a known CPU footprint:
 *   spin SECS [CPU]      user-space loop (pinned to CPU if given), comm "ct-spin"
 *   fixed MS             use MS ms of CPU in user space, then sleep until killed, "ct-fixed"
 *   cpu MS [CPU]         use MS ms of CPU in user space (pinned to CPU if given), then exit,
 *                        "ct-cpu"
 *   burst N MS [PAR]     fork N children, PAR at a time (default 4), each using about MS ms of
 *                        CPU then exiting ("ct-burst"); prints the children's CPU from
 *                        getrusage(RUSAGE_CHILDREN) in ns
 *   threads N SECS       N spinning threads besides the sleeping main thread, "ct-threads"
 *   leadfirst N SECS     N threads spinning SECS while the main thread spins SECS / 2 and
 *                        ends first (pthread_exit: the leader waits as a zombie), "ct-lead"
 *   name NAME SECS       sleep with comm set to NAME (escape codes welcome)
 *   names N [FIRST]      fork N children one after another, each named "ct-nNNNNNN" (its
 *                        number, from FIRST), which exit at once: N distinct programs
 *   sysrate N SECS       exactly N system calls a second: 1000 times a second, N / 1000 - 1
 *                        getppid() and one clock_nanosleep() to the next millisecond
 *                        ("ct-sysrate")
 *   pingpong N SECS CPU  N one-byte messages a second to a child that answers each, both
 *                        pinned to CPU: the child ("ct-pong") blocks once per message;
 *                        prints "child PID"; the parent ("ct-ping") is SCHED_BATCH
 *   bounce N SECS        spin, moving itself to the other of CPUs 0 and 1 N times a second
 *                        with sched_setaffinity ("ct-bounce")
 *   yield SECS CPU       call sched_yield() in a loop, pinned to CPU ("ct-yield")
 *   dsleep SECS          spend the time in uninterruptible sleep: a vfork() parent waits in
 *                        D state for its child, which sleeps 100 ms and exits ("ct-dsleep")
 *   tree N MS SECS [KEEP] a process tree, all "ct-tree": fork N children evenly over SECS
 *                        seconds; each uses about MS ms of CPU in user space, and every other
 *                        one (the 1st, 3rd, ...) then forks a grandchild that does the same,
 *                        waits for it and exits. With KEEP 1, first a child and its grandchild
 *                        that sleep until the end ("keep CHILD GRANDCHILD"). Each descendant
 *                        prints "pid PID PPID" as it starts; each reaping says "reaped PID NS"
 *                        (its CPU and its descendants', from wait4()). At the end, once all are
 *                        waited
 *                        for: "children N CPU_NS" (N descendants, CPU_NS their user + sys from
 *                        getrusage(RUSAGE_CHILDREN)), then "self CPU_NS" (RUSAGE_SELF)
 * Each prints "ready PID" on stdout once it is set up.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Built with ASan (make test SANITIZE=1), a process that exits through exit() (not _exit())
 * runs LeakSanitizer, which stops it with a tracer it clones: one more short-lived process,
 * with the workload's name and the exiting process as parent, which the tests that count a
 * tree's processes and exits would see as a stray. The workload is not what is under test:
 * leaks are looked for in cputop only. ASan still checks every access here.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_leaks=0";
}

static double clock_s(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Burn @secs as read on @clk (wall or this thread's CPU time) without a system call. */
static void burn(double secs, clockid_t clk)
{
	double end = clock_s(clk) + secs;
	volatile unsigned long x = 0;

	/* clock_gettime is a vDSO call: no syscall, so all of it is user time. */
	while (clock_s(clk) < end) {
		for (int i = 0; i < 10000; i++)
			x += i;
	}
}

static void ready(void)
{
	printf("ready %d\n", getpid());
	fflush(stdout);
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		return -1;
	}
	return 0;
}

static int do_spin(double secs, int cpu)
{
	prctl(PR_SET_NAME, "ct-spin");
	if (cpu >= 0 && pin(cpu))
		return 1;
	ready();
	burn(secs, CLOCK_MONOTONIC);
	return 0;
}

static _Noreturn void do_fixed(double ms)
{
	prctl(PR_SET_NAME, "ct-fixed");
	ready();
	burn(ms / 1000, CLOCK_THREAD_CPUTIME_ID);
	printf("done\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int do_cpu(double ms, int cpu)
{
	prctl(PR_SET_NAME, "ct-cpu");
	if (cpu >= 0 && pin(cpu))
		return 1;
	ready();
	burn(ms / 1000, CLOCK_THREAD_CPUTIME_ID);
	return 0;
}

static int do_burst(int n, double ms, int par)
{
	struct rusage ru;
	int running = 0, i;

	prctl(PR_SET_NAME, "ct-burstparent");
	ready();
	for (i = 0; i < n; i++) {
		pid_t pid;

		if (running == par) {
			wait(NULL);
			running--;
		}
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid) {
			/*
			 * Spread over 0.5 to 1.5 times MS: equal lives would all round the same
			 * way in a one-decimal %CPU column, and the test reads that column.
			 */
			prctl(PR_SET_NAME, "ct-burst");
			burn(ms * (0.5 + (i % 11) / 10.0) / 1000, CLOCK_THREAD_CPUTIME_ID);
			_exit(0);
		}
		running++;
	}
	while (running--)
		wait(NULL);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("children_ns %lld\n",
	       (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL);
	return 0;
}

static int do_names(int n, int first)
{
	char name[16];

	ready();
	for (int i = 0; i < n; i++) {
		pid_t pid;

		/*
		 * vfork(): no page tables to copy, so ten thousand cost seconds, not tens. The
		 * name is made before: the child only names itself (its own task) and ends.
		 */
		snprintf(name, sizeof(name), "ct-n%06d", first + i);
		pid = vfork();
		if (pid < 0) {
			perror("vfork");
			return 1;
		}
		if (!pid) {
			prctl(PR_SET_NAME, name);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
	puts("done");
	return 0;
}

static double thread_secs;

static void *thread_spin(void *arg)
{
	(void)arg;
	burn(thread_secs, CLOCK_MONOTONIC);
	return NULL;
}

static int do_threads(int n, double secs)
{
	pthread_t t[64];
	int i;

	prctl(PR_SET_NAME, "ct-threads");
	thread_secs = secs;
	for (i = 0; i < n && i < 64; i++)
		pthread_create(&t[i], NULL, thread_spin, NULL);
	ready();
	for (i = 0; i < n && i < 64; i++)
		pthread_join(t[i], NULL);
	return 0;
}

static int do_leadfirst(int n, double secs)
{
	pthread_t t[64];
	int i;

	prctl(PR_SET_NAME, "ct-lead");
	thread_secs = secs;
	for (i = 0; i < n && i < 64; i++)
		pthread_create(&t[i], NULL, thread_spin, NULL);
	ready();
	burn(secs / 2, CLOCK_MONOTONIC);
	pthread_exit(NULL);
}

static int do_name(const char *name, double secs)
{
	prctl(PR_SET_NAME, name);
	ready();
	usleep(secs * 1e6);
	return 0;
}

/* @t advanced by @ns, for clock_nanosleep(TIMER_ABSTIME): a fixed pace, without drift. */
static void ts_add(struct timespec *t, long ns)
{
	t->tv_nsec += ns;
	while (t->tv_nsec >= 1000000000) {
		t->tv_nsec -= 1000000000;
		t->tv_sec++;
	}
}

static int do_sysrate(long n, double secs)
{
	long per_ms = n / 1000 - 1, ms = secs * 1000;
	struct timespec t;

	prctl(PR_SET_NAME, "ct-sysrate");
	ready();
	clock_gettime(CLOCK_MONOTONIC, &t);
	for (long i = 0; i < ms; i++) {
		for (long j = 0; j < per_ms; j++)
			syscall(SYS_getppid);
		ts_add(&t, 1000000);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
	}
	return 0;
}

static int do_pingpong(long n, double secs, int cpu)
{
	long ticks = secs * 100, per_tick = n / 100;
	int ping[2], pong[2];
	struct timespec t;
	pid_t child;
	char c = 0;

	if (pin(cpu) || pipe(ping) || pipe(pong)) {
		perror("pingpong");
		return 1;
	}
	child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (!child) {
		/* Only the parent writes pings: their end of file is its exit or its kill. */
		close(ping[1]);
		close(pong[0]);
		prctl(PR_SET_NAME, "ct-pong");
		while (read(ping[0], &c, 1) == 1 && write(pong[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	/*
	 * A woken SCHED_BATCH task never preempts the running one (kernel/sched/fair.c): the
	 * child, running when the answer it sent wakes this one, always goes on to block.
	 */
	if (sched_setscheduler(0, SCHED_BATCH, &(struct sched_param){ 0 })) {
		perror("SCHED_BATCH");
		return 1;
	}
	prctl(PR_SET_NAME, "ct-ping");
	ready();
	printf("child %d\n", child);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t);
	for (long i = 0; i < ticks; i++) {
		for (long j = 0; j < per_tick; j++) {
			if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
				return 1;
		}
		ts_add(&t, 10000000);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
	}
	close(ping[1]);
	wait(NULL);
	return 0;
}

static int do_bounce(long n, double secs)
{
	double end = clock_s(CLOCK_MONOTONIC) + secs, next = 0;
	int cpu = 0;

	prctl(PR_SET_NAME, "ct-bounce");
	if (pin(0))
		return 1;
	ready();
	while (clock_s(CLOCK_MONOTONIC) < end) {
		double now = clock_s(CLOCK_MONOTONIC);

		if (now >= next) {
			cpu = !cpu;
			if (pin(cpu))
				return 1;
			next = (next ? next : now) + 1.0 / n;
		}
	}
	return 0;
}

static int do_yield(double secs, int cpu)
{
	double end = clock_s(CLOCK_MONOTONIC) + secs;

	prctl(PR_SET_NAME, "ct-yield");
	if (pin(cpu))
		return 1;
	ready();
	while (clock_s(CLOCK_MONOTONIC) < end)
		sched_yield();
	return 0;
}

static int do_dsleep(double secs)
{
	double end = clock_s(CLOCK_MONOTONIC) + secs;

	prctl(PR_SET_NAME, "ct-dsleep");
	ready();
	while (clock_s(CLOCK_MONOTONIC) < end) {
		/* The parent waits for the child's exit in TASK_KILLABLE: D in ps(1). */
		pid_t pid = vfork();

		if (pid < 0) {
			perror("vfork");
			return 1;
		}
		if (!pid) {
			struct timespec t = { 0, 100000000 };

			syscall(SYS_nanosleep, &t, NULL);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
	return 0;
}

static long long rusage_ns(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

/*
 * Reap @pid and say what the kernel counted for it, exit included: "reaped PID NS", its CPU
 * and its reaped descendants' (wait4() gives both). It is reaped only once it has been a
 * zombie for 20 ms, so that its last switch-out, after which it never runs, is long past.
 */
static void tree_reap(pid_t pid)
{
	struct rusage ru;
	siginfo_t info;

	if (waitid(P_PID, pid, &info, WEXITED | WNOWAIT))
		return;
	usleep(20000);
	if (wait4(pid, NULL, 0, &ru) != pid)
		return;
	dprintf(STDOUT_FILENO, "reaped %d %lld\n", pid,
		(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL);
}

/* Sleep until @t (CLOCK_MONOTONIC seconds), reaping the children that have exited meanwhile. */
static void tree_sleep_until(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - (time_t)t) * 1e9) };
	siginfo_t info = {};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
	while (!waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) && info.si_pid) {
		tree_reap(info.si_pid);
		info.si_pid = 0;
	}
}

/*
 * A descendant: says who it is (one write(), so lines never mix), then waits on @hold (KEEP:
 * until the parent closes its end) or uses @ms of CPU.
 */
static void tree_node(int hold, double ms)
{
	char c;

	dprintf(STDOUT_FILENO, "pid %d %d\n", getpid(), getppid());
	if (hold >= 0) {
		while (read(hold, &c, 1) < 0 && errno == EINTR)
			;
	} else {
		burn(ms / 1000, CLOCK_THREAD_CPUTIME_ID);
	}
}

static int do_tree(int n, double ms, double secs, int keep)
{
	double start = clock_s(CLOCK_MONOTONIC);
	int hold[2] = { -1, -1 }, desc = 0, i;
	pid_t pid, g;

	prctl(PR_SET_NAME, "ct-tree");
	ready();
	if (keep) {
		if (pipe(hold)) {
			perror("pipe");
			return 1;
		}
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid) {
			/* Only the parent keeps the write end: its close is the signal to go. */
			close(hold[1]);
			g = fork();
			if (!g) {
				tree_node(hold[0], 0);
				_exit(0);
			}
			dprintf(STDOUT_FILENO, "keep %d %d\n", getpid(), g);
			tree_node(hold[0], 0);
			waitpid(g, NULL, 0);
			_exit(0);
		}
		close(hold[0]);
		desc += 2;
	}
	for (i = 0; i < n; i++) {
		tree_sleep_until(start + secs * i / n);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid) {
			if (hold[1] >= 0)
				close(hold[1]);
			tree_node(-1, ms);
			if (i % 2 == 0) {
				g = fork();
				if (!g) {
					tree_node(-1, ms);
					_exit(0);
				}
				if (g > 0)
					tree_reap(g);
			}
			_exit(0);
		}
		desc += 1 + (i % 2 == 0);
	}
	tree_sleep_until(start + secs);
	if (hold[1] >= 0)
		close(hold[1]);
	fflush(stdout);
	for (;;) {
		siginfo_t info;

		if (waitid(P_ALL, 0, &info, WEXITED | WNOWAIT))
			break;
		tree_reap(info.si_pid);
	}
	printf("children %d %lld\n", desc, rusage_ns(RUSAGE_CHILDREN));
	printf("self %lld\n", rusage_ns(RUSAGE_SELF));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "spin"))
		return do_spin(atof(argv[2]), argc > 3 ? atoi(argv[3]) : -1);
	if (argc >= 3 && !strcmp(argv[1], "fixed"))
		do_fixed(atof(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "cpu"))
		return do_cpu(atof(argv[2]), argc > 3 ? atoi(argv[3]) : -1);
	if (argc >= 4 && !strcmp(argv[1], "burst"))
		return do_burst(atoi(argv[2]), atof(argv[3]), argc > 4 ? atoi(argv[4]) : 4);
	if (argc >= 4 && !strcmp(argv[1], "threads"))
		return do_threads(atoi(argv[2]), atof(argv[3]));
	if (argc >= 4 && !strcmp(argv[1], "leadfirst"))
		return do_leadfirst(atoi(argv[2]), atof(argv[3]));
	if (argc >= 4 && !strcmp(argv[1], "name"))
		return do_name(argv[2], atof(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "names"))
		return do_names(atoi(argv[2]), argc > 3 ? atoi(argv[3]) : 0);
	if (argc >= 4 && !strcmp(argv[1], "sysrate"))
		return do_sysrate(atol(argv[2]), atof(argv[3]));
	if (argc >= 5 && !strcmp(argv[1], "pingpong"))
		return do_pingpong(atol(argv[2]), atof(argv[3]), atoi(argv[4]));
	if (argc >= 4 && !strcmp(argv[1], "bounce"))
		return do_bounce(atol(argv[2]), atof(argv[3]));
	if (argc >= 4 && !strcmp(argv[1], "yield"))
		return do_yield(atof(argv[2]), atoi(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "dsleep"))
		return do_dsleep(atof(argv[2]));
	if (argc >= 5 && !strcmp(argv[1], "tree"))
		return do_tree(atoi(argv[2]), atof(argv[3]), atof(argv[4]),
			       argc > 5 ? atoi(argv[5]) : 0);
	fprintf(stderr, "usage: workload spin|fixed|cpu|burst|threads|name|names|sysrate|pingpong|"
		"bounce|yield|dsleep|tree ...\n");
	return 2;
}
