// SPDX-License-Identifier: GPL-2.0
/*
 * A snapshot as a recording's payload and back (docs/record-format.md).
 *
 * A payload is a message: a sequence of fields, each a key (varint: tag << 3 | wire type) and
 * a value whose length the wire type gives, so that a reader skips a field it does not know.
 * Each struct is described once, by a table of its fields indexed by tag; one encoder and one
 * decoder walk the tables. Every figure is written as its change since the previous snapshot,
 * and only when it changed: a refresh where little moved costs little. The tasks are a list of
 * operations on the previous snapshot's tasks (keep n, drop n, change one, add one); the
 * cgroups, the changes of the previous snapshot's table by id (change one, add one, drop one).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/record.h"
#include "model/rows.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* How long a value is, so that a reader can skip it: protobuf's wire types. */
enum rec_wire {
	WT_VARINT = 0,		/* LEB128, 1-10 bytes */
	WT_FIXED64 = 1,		/* 8 bytes, little-endian */
	WT_LEN = 2,		/* a varint length, then that many bytes */
};

/*
 * Tags: a file format. A number once given is never given to another field, even when its
 * field is gone; a new field takes the next free number of its message. Tags 1-15 cost one
 * byte of key and 16-2047 two: those that change on most refreshes have the small ones.
 */

/* The payload: struct snapshot. */
enum tag_snap {
	TAG_SNAP_SAME		= 1,	/* varint n > 0: prev's next n tasks, unchanged */
	TAG_SNAP_SKIP		= 2,	/* varint n > 0: prev's next n tasks are gone */
	TAG_SNAP_DIFF		= 3,	/* task: prev's next task, what changed */
	TAG_SNAP_NEW		= 4,	/* task: one not in prev, against zeros */
	TAG_SNAP_TS_NS		= 5,
	TAG_SNAP_WALL_NS	= 6,
	TAG_SNAP_UPTIME_S	= 7,
	TAG_SNAP_LOAD		= 8,	/* loadavg */
	TAG_SNAP_MEM		= 9,	/* meminfo */
	TAG_SNAP_CPU_TOTAL	= 10,	/* ticks */
	TAG_SNAP_CPU		= 11,	/* ticks, with the CPU's index */
	TAG_SNAP_CTXT		= 12,
	TAG_SNAP_INTR		= 13,
	TAG_SNAP_CTRS		= 14,	/* ctrs, with the CPU's index */
	TAG_SNAP_SYS		= 15,	/* metrics */
	TAG_SNAP_SELF_CPU_NS	= 16,
	TAG_SNAP_BPF_COST	= 17,
	TAG_SNAP_EXITS_SEEN	= 18,
	TAG_SNAP_EXITS_DELIVERED = 19,
	TAG_SNAP_EXITS_DROPPED	= 20,
	TAG_SNAP_UNTRACKED	= 21,
	TAG_SNAP_TASK_ERRORS	= 22,
	TAG_SNAP_VERSION	= 23,	/* the writer's SNAPSHOT_VERSION, in key frames */
	TAG_SNAP_CAPS		= 24,
	TAG_SNAP_SOURCE_KIND	= 25,
	TAG_SNAP_SOURCE_NAME	= 26,
	TAG_SNAP_SOURCE_NOTE	= 27,
	TAG_SNAP_IPC_WHY	= 28,
	TAG_SNAP_NR_CPUS	= 29,	/* before any TAG_SNAP_CPU: it sizes the array */
	TAG_SNAP_HZ		= 30,
	TAG_SNAP_HAVE_INTR	= 31,
	TAG_SNAP_STAT_ERR	= 32,
	TAG_SNAP_MEM_ERR	= 33,
	TAG_SNAP_LOAD_ERR	= 34,
	TAG_SNAP_UPTIME_ERR	= 35,
	TAG_SNAP_NR_CTRS	= 36,	/* before any TAG_SNAP_CTRS: it sizes the array */
	TAG_SNAP_CTR_HAVE	= 37,
	TAG_SNAP_NR_SOFTIRQS	= 38,
	TAG_SNAP_SOFTIRQ_NAME	= 39,	/* name, with its index */
	TAG_SNAP_TASK_HAVE	= 40,
	TAG_SNAP_HAVE_BPF_COST	= 41,
	TAG_SNAP_CGROUP		= 42,	/* cgroup: one of cgroups[] that changed, by its id */
	TAG_SNAP_CG_WHY		= 43,
	TAG_SNAP_PSI		= 44,	/* psi */
	TAG_SNAP_PSI_ERR	= 45,
};

/*
 * An array's element (CPU, counters, softirq name, status, sensor, interface, disk): where. A
 * cgroup's: its id, less the one of the cgroup written before it in the payload (from 0).
 */
#define TAG_INDEX 1

/* struct snap_task: what changes on most refreshes first. */
enum tag_task {
	TAG_TASK_CPU_NS		= 1,
	TAG_TASK_USER_NS	= 2,
	TAG_TASK_SYS_NS		= 3,
	TAG_TASK_MAX_WAIT_NS	= 4,
	TAG_TASK_STATE		= 5,
	TAG_TASK_SYSC		= 6,	/* ctr[TASK_SYSC] */
	TAG_TASK_VCSW		= 7,
	TAG_TASK_ICSW		= 8,
	TAG_TASK_MIGR		= 9,
	TAG_TASK_WAIT_NS	= 10,
	TAG_TASK_IOW_NS		= 11,
	TAG_TASK_CYCLES		= 12,
	TAG_TASK_INSNS		= 13,	/* ctr[TASK_INSNS] */
	TAG_TASK_EXIT_NS	= 14,
	TAG_TASK_DEAD_NS	= 15,
	TAG_TASK_TID		= 16,
	TAG_TASK_TGID		= 17,
	TAG_TASK_PPID		= 18,
	TAG_TASK_UID		= 19,
	TAG_TASK_START_NS	= 20,
	TAG_TASK_LEADER_START_NS = 21,
	TAG_TASK_LACKS		= 22,
	TAG_TASK_KTHREAD	= 23,
	TAG_TASK_PRIO		= 24,
	TAG_TASK_NICE		= 25,
	TAG_TASK_COMM		= 26,
	TAG_TASK_CGROUP_ID	= 27,
};

/* struct snap_cgroup, after its id (TAG_INDEX): what changes on most refreshes first. */
enum tag_cg {
	TAG_CG_PSI		= 2,	/* psi */
	TAG_CG_NR_PERIODS	= 3,
	TAG_CG_NR_THROTTLED	= 4,
	TAG_CG_THROTTLED_NS	= 5,
	TAG_CG_QUOTA_US		= 6,
	TAG_CG_PERIOD_US	= 7,
	TAG_CG_HAVE		= 8,
	TAG_CG_PARENT		= 9,
	TAG_CG_PATH		= 10,	/* text: the path, when it is not prev's of the id */
	TAG_CG_GONE		= 11,	/* varint 1: prev's cgroup of the id is not in this one */
};

enum tag_psi {
	TAG_PSI_SOME_US		= 1,
	TAG_PSI_FULL_US		= 2,
	TAG_PSI_SOME_AVG10	= 3,
	TAG_PSI_FULL_AVG10	= 4,
	TAG_PSI_HAVE_FULL	= 5,
};

/* struct cpu_ticks: t[k] is tag 2 + k (tag 1 is the CPU's index). */
enum tag_ticks {
	TAG_TICKS_USER		= 2,
	TAG_TICKS_NICE		= 3,
	TAG_TICKS_SYSTEM	= 4,
	TAG_TICKS_IDLE		= 5,
	TAG_TICKS_IOWAIT	= 6,
	TAG_TICKS_IRQ		= 7,
	TAG_TICKS_SOFTIRQ	= 8,
	TAG_TICKS_STEAL		= 9,
	TAG_TICKS_GUEST		= 10,
	TAG_TICKS_GUEST_NICE	= 11,
};

/*
 * struct cpu_ctrs: v[k] is tag 2 + k (tag 1 is the CPU's index). ctr_have has a bit per
 * counter, so that there are never more than 64: tags 2-65 are theirs.
 */
enum tag_ctr {
	TAG_CTR_CSW		= 2,
	TAG_CTR_PRE		= 3,
	TAG_CTR_SYSC		= 4,
	TAG_CTR_YLD		= 5,
	TAG_CTR_BUSY_NS		= 6,
	TAG_CTR_IDLE_NS		= 7,
	TAG_CTR_IRQ		= 8,
	TAG_CTR_LOC		= 9,
	TAG_CTR_RES		= 10,
	TAG_CTR_CAL		= 11,
	TAG_CTR_TLB		= 12,
	TAG_CTR_SOFTIRQ		= 13,	/* to 28: v[CTR_SOFTIRQ + k] is tag 13 + k */
};

enum tag_mem {
	TAG_MEM_TOTAL		= 1,
	TAG_MEM_FREE		= 2,
	TAG_MEM_AVAILABLE	= 3,
	TAG_MEM_BUFFERS		= 4,
	TAG_MEM_CACHED		= 5,
	TAG_MEM_SRECLAIMABLE	= 6,
	TAG_MEM_SHMEM		= 7,
	TAG_MEM_SWAP_TOTAL	= 8,
	TAG_MEM_SWAP_FREE	= 9,
	TAG_MEM_HUGE_TOTAL	= 10,
	TAG_MEM_HUGE_FREE	= 11,
	TAG_MEM_HUGE_RSVD	= 12,
	TAG_MEM_HUGE_SIZE	= 13,
};

enum tag_load {
	TAG_LOAD_1		= 1,	/* load[0] */
	TAG_LOAD_5		= 2,
	TAG_LOAD_15		= 3,
	TAG_LOAD_RUNNABLE	= 4,
	TAG_LOAD_THREADS	= 5,
};

/* A softirq's name: softirq_names[index]. */
#define TAG_NAME_TEXT 2

/* struct metrics */
enum tag_met {
	TAG_MET_STATUS		= 1,	/* status, with its metric_kind as index */
	TAG_MET_FREQ		= 2,	/* freq */
	TAG_MET_NR_TEMPS	= 3,
	TAG_MET_TEMPS_MORE	= 4,
	TAG_MET_TEMPS_BAD	= 5,
	TAG_MET_TEMP		= 6,	/* temp, with its index */
	TAG_MET_NR_NETS		= 7,
	TAG_MET_NETS_MORE	= 8,
	TAG_MET_NETS_BAD	= 9,
	TAG_MET_NET		= 10,	/* net, with its index */
	TAG_MET_NR_DISKS	= 11,
	TAG_MET_DISKS_MORE	= 12,
	TAG_MET_DISKS_BAD	= 13,
	TAG_MET_DISK		= 14,	/* disk, with its index */
	TAG_MET_VM		= 15,	/* vm */
};

enum tag_status {
	TAG_STATUS_OK		= 2,
	TAG_STATUS_WHY		= 3,
};

enum tag_freq {
	TAG_FREQ_SOURCE		= 1,
	TAG_FREQ_NR		= 2,
	TAG_FREQ_MORE		= 3,
	TAG_FREQ_KHZ		= 4,	/* packed */
};

enum tag_temp {
	TAG_TEMP_NAME		= 2,
	TAG_TEMP_MDEGC		= 3,
};

enum tag_net {
	TAG_NET_NAME		= 2,
	TAG_NET_RX_BYTES	= 3,
	TAG_NET_RX_PACKETS	= 4,
	TAG_NET_RX_ERRS		= 5,
	TAG_NET_RX_DROP		= 6,
	TAG_NET_TX_BYTES	= 7,
	TAG_NET_TX_PACKETS	= 8,
	TAG_NET_TX_ERRS		= 9,
	TAG_NET_TX_DROP		= 10,
};

enum tag_disk {
	TAG_DISK_NAME		= 2,
	TAG_DISK_RD_IOS		= 3,
	TAG_DISK_RD_SECTORS	= 4,
	TAG_DISK_RD_MS		= 5,
	TAG_DISK_WR_IOS		= 6,
	TAG_DISK_WR_SECTORS	= 7,
	TAG_DISK_WR_MS		= 8,
};

enum tag_vm {
	TAG_VM_PGPGIN_KIB	= 1,
	TAG_VM_PGPGOUT_KIB	= 2,
	TAG_VM_PSWPIN		= 3,
	TAG_VM_PSWPOUT		= 4,
	TAG_VM_PGMAJFAULT	= 5,
};

/*
 * Every field of these structs has its tag in the tables below (or, for the arrays of struct
 * snapshot and its version, and the cgroups' ids and paths, in record_encode() and
 * record_decode()): a new field needs its tag here, then update the size. Mind that a field
 * put into padding leaves the size as it was.
 */
_Static_assert(sizeof(struct snapshot) == 21568, "a snapshot field without its tag");
_Static_assert(sizeof(struct snap_task) == 184, "a task field without its tag");
_Static_assert(sizeof(struct snap_cgroup) == 96 && sizeof(struct psi) == 32,
	       "a cgroup or pressure field without its tag");
_Static_assert(sizeof(struct metrics) == 20296, "a metrics field without its tag");
_Static_assert(sizeof(struct cpu_ticks) == 80 && sizeof(struct cpu_ctrs) == 216 &&
	       sizeof(struct meminfo) == 104 && sizeof(struct loadavg) == 32,
	       "a CPU, memory or load field without its tag");
_Static_assert(sizeof(struct metric_status) == 97 && sizeof(struct met_freq) == 4112 &&
	       sizeof(struct met_temp) == 68 && sizeof(struct met_net) == 96 &&
	       sizeof(struct met_disk) == 80 && sizeof(struct met_vmstat) == 40,
	       "a metrics field without its tag");

/* How a field is written: the wire type follows from it (kind_wire[]). */
enum rec_kind {
	REC_NONE,	/* no field: skipped, as the tags a reader does not know */
	REC_INT,	/* any integer: the zigzag varint of its change, in its own width */
	REC_BOOL,	/* its value, 0 or 1 */
	REC_DOUBLE,	/* its value's IEEE 754 bits */
	REC_TEXT,	/* char array: its bytes up to the last nonzero one */
	REC_MSG,	/* struct: a message of its fields that changed */
	REC_ARRAY,	/* array of structs: a message per changed element, its index first */
	REC_PACKED,	/* array of integers: the first changed one's index, then the changes */
};

static const uint8_t kind_wire[] = {
	[REC_INT] = WT_VARINT, [REC_BOOL] = WT_VARINT, [REC_DOUBLE] = WT_FIXED64,
	[REC_TEXT] = WT_LEN, [REC_MSG] = WT_LEN, [REC_ARRAY] = WT_LEN, [REC_PACKED] = WT_LEN,
};

struct rec_msg;

struct rec_field {
	enum rec_kind kind;
	uint32_t off, size;		/* where in its struct, and its bytes */
	uint32_t stride;		/* REC_ARRAY, REC_PACKED: an element's bytes */
	const struct rec_msg *msg;	/* REC_MSG: the struct's fields, REC_ARRAY an element's */
};

/* A struct's fields, indexed by tag. */
struct rec_msg {
	const struct rec_field *f;
	uint32_t nr;			/* tags below it */
};

#define FIELD(k, type, m, ...)								\
	{ .kind = (k), .off = offsetof(type, m), .size = sizeof(((type *)0)->m), __VA_ARGS__ }
#define MSG(fields) { .f = (fields), .nr = ARRAY_SIZE(fields) }
/* A field of struct @type that is an array of @elem, each a message of @fields */
#define ARRAY(type, m, elem, fields) \
	FIELD(REC_ARRAY, type, m, .stride = sizeof(elem), .msg = (fields))

#define TASK(k, m) FIELD(k, struct snap_task, m)
static const struct rec_field task_fields[] = {
	[TAG_TASK_CPU_NS]		= TASK(REC_INT, cpu_ns),
	[TAG_TASK_USER_NS]		= TASK(REC_INT, user_ns),
	[TAG_TASK_SYS_NS]		= TASK(REC_INT, sys_ns),
	[TAG_TASK_MAX_WAIT_NS]		= TASK(REC_INT, max_wait_ns),
	[TAG_TASK_STATE]		= TASK(REC_INT, state),
	[TAG_TASK_SYSC]			= TASK(REC_INT, ctr[TASK_SYSC]),
	[TAG_TASK_VCSW]			= TASK(REC_INT, ctr[TASK_VCSW]),
	[TAG_TASK_ICSW]			= TASK(REC_INT, ctr[TASK_ICSW]),
	[TAG_TASK_MIGR]			= TASK(REC_INT, ctr[TASK_MIGR]),
	[TAG_TASK_WAIT_NS]		= TASK(REC_INT, ctr[TASK_WAIT_NS]),
	[TAG_TASK_IOW_NS]		= TASK(REC_INT, ctr[TASK_IOW_NS]),
	[TAG_TASK_CYCLES]		= TASK(REC_INT, ctr[TASK_CYCLES]),
	[TAG_TASK_INSNS]		= TASK(REC_INT, ctr[TASK_INSNS]),
	[TAG_TASK_EXIT_NS]		= TASK(REC_INT, exit_ns),
	[TAG_TASK_DEAD_NS]		= TASK(REC_INT, dead_ns),
	[TAG_TASK_TID]			= TASK(REC_INT, tid),
	[TAG_TASK_TGID]			= TASK(REC_INT, tgid),
	[TAG_TASK_PPID]			= TASK(REC_INT, ppid),
	[TAG_TASK_UID]			= TASK(REC_INT, uid),
	[TAG_TASK_START_NS]		= TASK(REC_INT, start_ns),
	[TAG_TASK_LEADER_START_NS]	= TASK(REC_INT, leader_start_ns),
	[TAG_TASK_LACKS]		= TASK(REC_INT, lacks),
	[TAG_TASK_KTHREAD]		= TASK(REC_BOOL, kthread),
	[TAG_TASK_PRIO]			= TASK(REC_INT, prio),
	[TAG_TASK_NICE]			= TASK(REC_INT, nice),
	[TAG_TASK_COMM]			= TASK(REC_TEXT, comm),
	[TAG_TASK_CGROUP_ID]		= TASK(REC_INT, cgroup_id),
};
static const struct rec_msg task_msg = MSG(task_fields);

#define PSI(k, m) FIELD(k, struct psi, m)
static const struct rec_field psi_fields[] = {
	[TAG_PSI_SOME_US]	= PSI(REC_INT, some_us),
	[TAG_PSI_FULL_US]	= PSI(REC_INT, full_us),
	[TAG_PSI_SOME_AVG10]	= PSI(REC_INT, some_avg10),
	[TAG_PSI_FULL_AVG10]	= PSI(REC_INT, full_avg10),
	[TAG_PSI_HAVE_FULL]	= PSI(REC_BOOL, have_full),
};
static const struct rec_msg psi_msg = MSG(psi_fields);

/* Not here: the id, the path, and GONE (enc_cgroup(), dec_cgroup()). */
#define CG(k, m, ...) FIELD(k, struct snap_cgroup, m, __VA_ARGS__)
static const struct rec_field cg_fields[] = {
	[TAG_CG_PSI]		= CG(REC_MSG, psi, .msg = &psi_msg),
	[TAG_CG_NR_PERIODS]	= CG(REC_INT, nr_periods),
	[TAG_CG_NR_THROTTLED]	= CG(REC_INT, nr_throttled),
	[TAG_CG_THROTTLED_NS]	= CG(REC_INT, throttled_ns),
	[TAG_CG_QUOTA_US]	= CG(REC_INT, quota_us),
	[TAG_CG_PERIOD_US]	= CG(REC_INT, period_us),
	[TAG_CG_HAVE]		= CG(REC_INT, have),
	[TAG_CG_PARENT]		= CG(REC_INT, parent),
};
static const struct rec_msg cg_msg = MSG(cg_fields);

#define TICKS(k) FIELD(REC_INT, struct cpu_ticks, t[k])
static const struct rec_field ticks_fields[] = {
	[TAG_TICKS_USER]	= TICKS(CPU_USER),
	[TAG_TICKS_NICE]	= TICKS(CPU_NICE),
	[TAG_TICKS_SYSTEM]	= TICKS(CPU_SYSTEM),
	[TAG_TICKS_IDLE]	= TICKS(CPU_IDLE),
	[TAG_TICKS_IOWAIT]	= TICKS(CPU_IOWAIT),
	[TAG_TICKS_IRQ]		= TICKS(CPU_IRQ),
	[TAG_TICKS_SOFTIRQ]	= TICKS(CPU_SOFTIRQ),
	[TAG_TICKS_STEAL]	= TICKS(CPU_STEAL),
	[TAG_TICKS_GUEST]	= TICKS(CPU_GUEST),
	[TAG_TICKS_GUEST_NICE]	= TICKS(CPU_GUEST_NICE),
};
static const struct rec_msg ticks_msg = MSG(ticks_fields);

#define CTR(k) FIELD(REC_INT, struct cpu_ctrs, v[k])
static const struct rec_field ctr_fields[] = {
	[TAG_CTR_CSW]		= CTR(CTR_CSW),
	[TAG_CTR_PRE]		= CTR(CTR_PRE),
	[TAG_CTR_SYSC]		= CTR(CTR_SYSC),
	[TAG_CTR_YLD]		= CTR(CTR_YLD),
	[TAG_CTR_BUSY_NS]	= CTR(CTR_BUSY_NS),
	[TAG_CTR_IDLE_NS]	= CTR(CTR_IDLE_NS),
	[TAG_CTR_IRQ]		= CTR(CTR_IRQ),
	[TAG_CTR_LOC]		= CTR(CTR_LOC),
	[TAG_CTR_RES]		= CTR(CTR_RES),
	[TAG_CTR_CAL]		= CTR(CTR_CAL),
	[TAG_CTR_TLB]		= CTR(CTR_TLB),
	[TAG_CTR_SOFTIRQ + 0]	= CTR(CTR_SOFTIRQ + 0),
	[TAG_CTR_SOFTIRQ + 1]	= CTR(CTR_SOFTIRQ + 1),
	[TAG_CTR_SOFTIRQ + 2]	= CTR(CTR_SOFTIRQ + 2),
	[TAG_CTR_SOFTIRQ + 3]	= CTR(CTR_SOFTIRQ + 3),
	[TAG_CTR_SOFTIRQ + 4]	= CTR(CTR_SOFTIRQ + 4),
	[TAG_CTR_SOFTIRQ + 5]	= CTR(CTR_SOFTIRQ + 5),
	[TAG_CTR_SOFTIRQ + 6]	= CTR(CTR_SOFTIRQ + 6),
	[TAG_CTR_SOFTIRQ + 7]	= CTR(CTR_SOFTIRQ + 7),
	[TAG_CTR_SOFTIRQ + 8]	= CTR(CTR_SOFTIRQ + 8),
	[TAG_CTR_SOFTIRQ + 9]	= CTR(CTR_SOFTIRQ + 9),
	[TAG_CTR_SOFTIRQ + 10]	= CTR(CTR_SOFTIRQ + 10),
	[TAG_CTR_SOFTIRQ + 11]	= CTR(CTR_SOFTIRQ + 11),
	[TAG_CTR_SOFTIRQ + 12]	= CTR(CTR_SOFTIRQ + 12),
	[TAG_CTR_SOFTIRQ + 13]	= CTR(CTR_SOFTIRQ + 13),
	[TAG_CTR_SOFTIRQ + 14]	= CTR(CTR_SOFTIRQ + 14),
	[TAG_CTR_SOFTIRQ + 15]	= CTR(CTR_SOFTIRQ + 15),
};
_Static_assert(SOFTIRQ_MAX == 16, "a softirq counter without its tag");
static const struct rec_msg ctr_msg = MSG(ctr_fields);

#define MEM(m) FIELD(REC_INT, struct meminfo, m)
static const struct rec_field mem_fields[] = {
	[TAG_MEM_TOTAL]		= MEM(total),
	[TAG_MEM_FREE]		= MEM(free),
	[TAG_MEM_AVAILABLE]	= MEM(available),
	[TAG_MEM_BUFFERS]	= MEM(buffers),
	[TAG_MEM_CACHED]	= MEM(cached),
	[TAG_MEM_SRECLAIMABLE]	= MEM(sreclaimable),
	[TAG_MEM_SHMEM]		= MEM(shmem),
	[TAG_MEM_SWAP_TOTAL]	= MEM(swap_total),
	[TAG_MEM_SWAP_FREE]	= MEM(swap_free),
	[TAG_MEM_HUGE_TOTAL]	= MEM(huge_total),
	[TAG_MEM_HUGE_FREE]	= MEM(huge_free),
	[TAG_MEM_HUGE_RSVD]	= MEM(huge_rsvd),
	[TAG_MEM_HUGE_SIZE]	= MEM(huge_size),
};
static const struct rec_msg mem_msg = MSG(mem_fields);

static const struct rec_field load_fields[] = {
	[TAG_LOAD_1]		= FIELD(REC_DOUBLE, struct loadavg, load[0]),
	[TAG_LOAD_5]		= FIELD(REC_DOUBLE, struct loadavg, load[1]),
	[TAG_LOAD_15]		= FIELD(REC_DOUBLE, struct loadavg, load[2]),
	[TAG_LOAD_RUNNABLE]	= FIELD(REC_INT, struct loadavg, runnable),
	[TAG_LOAD_THREADS]	= FIELD(REC_INT, struct loadavg, threads),
};
static const struct rec_msg load_msg = MSG(load_fields);

/* An element of softirq_names[]: the name is the whole element. */
static const struct rec_field name_fields[] = {
	[TAG_NAME_TEXT]		= { .kind = REC_TEXT, .size = SOFTIRQ_NAME_LEN },
};
static const struct rec_msg name_msg = MSG(name_fields);

static const struct rec_field status_fields[] = {
	[TAG_STATUS_OK]		= FIELD(REC_BOOL, struct metric_status, ok),
	[TAG_STATUS_WHY]	= FIELD(REC_TEXT, struct metric_status, why),
};
static const struct rec_msg status_msg = MSG(status_fields);

static const struct rec_field freq_fields[] = {
	[TAG_FREQ_SOURCE]	= FIELD(REC_TEXT, struct met_freq, source),
	[TAG_FREQ_NR]		= FIELD(REC_INT, struct met_freq, nr),
	[TAG_FREQ_MORE]		= FIELD(REC_INT, struct met_freq, more),
	[TAG_FREQ_KHZ]		= FIELD(REC_PACKED, struct met_freq, khz,
					.stride = sizeof(((struct met_freq *)0)->khz[0])),
};
static const struct rec_msg freq_msg = MSG(freq_fields);

static const struct rec_field temp_fields[] = {
	[TAG_TEMP_NAME]		= FIELD(REC_TEXT, struct met_temp, name),
	[TAG_TEMP_MDEGC]	= FIELD(REC_INT, struct met_temp, mdegc),
};
static const struct rec_msg temp_msg = MSG(temp_fields);

#define NET(k, m) FIELD(k, struct met_net, m)
static const struct rec_field net_fields[] = {
	[TAG_NET_NAME]		= NET(REC_TEXT, name),
	[TAG_NET_RX_BYTES]	= NET(REC_INT, rx_bytes),
	[TAG_NET_RX_PACKETS]	= NET(REC_INT, rx_packets),
	[TAG_NET_RX_ERRS]	= NET(REC_INT, rx_errs),
	[TAG_NET_RX_DROP]	= NET(REC_INT, rx_drop),
	[TAG_NET_TX_BYTES]	= NET(REC_INT, tx_bytes),
	[TAG_NET_TX_PACKETS]	= NET(REC_INT, tx_packets),
	[TAG_NET_TX_ERRS]	= NET(REC_INT, tx_errs),
	[TAG_NET_TX_DROP]	= NET(REC_INT, tx_drop),
};
static const struct rec_msg net_msg = MSG(net_fields);

#define DISK(k, m) FIELD(k, struct met_disk, m)
static const struct rec_field disk_fields[] = {
	[TAG_DISK_NAME]		= DISK(REC_TEXT, name),
	[TAG_DISK_RD_IOS]	= DISK(REC_INT, rd_ios),
	[TAG_DISK_RD_SECTORS]	= DISK(REC_INT, rd_sectors),
	[TAG_DISK_RD_MS]	= DISK(REC_INT, rd_ms),
	[TAG_DISK_WR_IOS]	= DISK(REC_INT, wr_ios),
	[TAG_DISK_WR_SECTORS]	= DISK(REC_INT, wr_sectors),
	[TAG_DISK_WR_MS]	= DISK(REC_INT, wr_ms),
};
static const struct rec_msg disk_msg = MSG(disk_fields);

#define VM(m) FIELD(REC_INT, struct met_vmstat, m)
static const struct rec_field vm_fields[] = {
	[TAG_VM_PGPGIN_KIB]	= VM(pgpgin_kib),
	[TAG_VM_PGPGOUT_KIB]	= VM(pgpgout_kib),
	[TAG_VM_PSWPIN]		= VM(pswpin),
	[TAG_VM_PSWPOUT]	= VM(pswpout),
	[TAG_VM_PGMAJFAULT]	= VM(pgmajfault),
};
static const struct rec_msg vm_msg = MSG(vm_fields);

#define MET(k, m, ...) FIELD(k, struct metrics, m, __VA_ARGS__)
static const struct rec_field met_fields[] = {
	[TAG_MET_STATUS]	= ARRAY(struct metrics, st, struct metric_status, &status_msg),
	[TAG_MET_FREQ]		= MET(REC_MSG, freq, .msg = &freq_msg),
	[TAG_MET_NR_TEMPS]	= MET(REC_INT, nr_temps),
	[TAG_MET_TEMPS_MORE]	= MET(REC_INT, temps_more),
	[TAG_MET_TEMPS_BAD]	= MET(REC_INT, temps_bad),
	[TAG_MET_TEMP]		= ARRAY(struct metrics, temps, struct met_temp, &temp_msg),
	[TAG_MET_NR_NETS]	= MET(REC_INT, nr_nets),
	[TAG_MET_NETS_MORE]	= MET(REC_INT, nets_more),
	[TAG_MET_NETS_BAD]	= MET(REC_INT, nets_bad),
	[TAG_MET_NET]		= ARRAY(struct metrics, nets, struct met_net, &net_msg),
	[TAG_MET_NR_DISKS]	= MET(REC_INT, nr_disks),
	[TAG_MET_DISKS_MORE]	= MET(REC_INT, disks_more),
	[TAG_MET_DISKS_BAD]	= MET(REC_INT, disks_bad),
	[TAG_MET_DISK]		= ARRAY(struct metrics, disks, struct met_disk, &disk_msg),
	[TAG_MET_VM]		= MET(REC_MSG, vm, .msg = &vm_msg),
};
static const struct rec_msg met_msg = MSG(met_fields);

/*
 * The snapshot's own fields. Not here: the task operations, CPUs, counter sets and cgroups
 * (arrays behind pointers, record_encode() and record_decode() write and read them), and the
 * version.
 * NR_CPUS and NR_CTRS are written from here, but record_decode() reads them: they size arrays.
 */
#define SNAP(k, m, ...) FIELD(k, struct snapshot, m, __VA_ARGS__)
static const struct rec_field snap_fields[] = {
	[TAG_SNAP_TS_NS]		= SNAP(REC_INT, ts_ns),
	[TAG_SNAP_WALL_NS]		= SNAP(REC_INT, wall_ns),
	[TAG_SNAP_UPTIME_S]		= SNAP(REC_DOUBLE, uptime_s),
	[TAG_SNAP_LOAD]			= SNAP(REC_MSG, load, .msg = &load_msg),
	[TAG_SNAP_MEM]			= SNAP(REC_MSG, mem, .msg = &mem_msg),
	[TAG_SNAP_CPU_TOTAL]		= SNAP(REC_MSG, cpu_total, .msg = &ticks_msg),
	[TAG_SNAP_CTXT]			= SNAP(REC_INT, ctxt),
	[TAG_SNAP_INTR]			= SNAP(REC_INT, intr),
	[TAG_SNAP_SYS]			= SNAP(REC_MSG, sys, .msg = &met_msg),
	[TAG_SNAP_SELF_CPU_NS]		= SNAP(REC_INT, self_cpu_ns),
	[TAG_SNAP_BPF_COST]		= SNAP(REC_DOUBLE, bpf_cost),
	[TAG_SNAP_EXITS_SEEN]		= SNAP(REC_INT, exits_seen),
	[TAG_SNAP_EXITS_DELIVERED]	= SNAP(REC_INT, exits_delivered),
	[TAG_SNAP_EXITS_DROPPED]	= SNAP(REC_INT, exits_dropped),
	[TAG_SNAP_UNTRACKED]		= SNAP(REC_INT, untracked),
	[TAG_SNAP_TASK_ERRORS]		= SNAP(REC_INT, task_errors),
	[TAG_SNAP_CAPS]			= SNAP(REC_INT, caps),
	[TAG_SNAP_SOURCE_KIND]		= SNAP(REC_TEXT, source_kind),
	[TAG_SNAP_SOURCE_NAME]		= SNAP(REC_TEXT, source_name),
	[TAG_SNAP_SOURCE_NOTE]		= SNAP(REC_TEXT, source_note),
	[TAG_SNAP_IPC_WHY]		= SNAP(REC_TEXT, ipc_why),
	[TAG_SNAP_NR_CPUS]		= SNAP(REC_INT, nr_cpus),
	[TAG_SNAP_HZ]			= SNAP(REC_INT, hz),
	[TAG_SNAP_HAVE_INTR]		= SNAP(REC_BOOL, have_intr),
	[TAG_SNAP_STAT_ERR]		= SNAP(REC_INT, stat_err),
	[TAG_SNAP_MEM_ERR]		= SNAP(REC_INT, mem_err),
	[TAG_SNAP_LOAD_ERR]		= SNAP(REC_INT, load_err),
	[TAG_SNAP_UPTIME_ERR]		= SNAP(REC_INT, uptime_err),
	[TAG_SNAP_NR_CTRS]		= SNAP(REC_INT, nr_ctrs),
	[TAG_SNAP_CTR_HAVE]		= SNAP(REC_INT, ctr_have),
	[TAG_SNAP_NR_SOFTIRQS]		= SNAP(REC_INT, nr_softirqs),
	[TAG_SNAP_SOFTIRQ_NAME]		= ARRAY(struct snapshot, softirq_names,
						char[SOFTIRQ_NAME_LEN], &name_msg),
	[TAG_SNAP_TASK_HAVE]		= SNAP(REC_INT, task_have),
	[TAG_SNAP_HAVE_BPF_COST]	= SNAP(REC_BOOL, have_bpf_cost),
	[TAG_SNAP_CG_WHY]		= SNAP(REC_TEXT, cg_why),
	[TAG_SNAP_PSI]			= SNAP(REC_MSG, psi, .msg = &psi_msg),
	[TAG_SNAP_PSI_ERR]		= SNAP(REC_INT, psi_err),
};
static const struct rec_msg snap_msg = MSG(snap_fields);

/*
 * What a key frame is written against: nothing, but that the system's pressure is not
 * recorded, as a recording made before it was says by leaving its tags out.
 */
static const struct snapshot key_snap = { .psi_err = -ENODATA };
/* What an element new since prev is written against. */
static const struct snap_task zero_task;
static const struct snap_cgroup zero_cgroup;
static const struct cpu_ticks zero_ticks;
static const struct cpu_ctrs zero_ctrs;

/* A recorded count: nr_cpus, nr_ctrs (decoded aside to size their array first) */
static const struct rec_field count_field = { .kind = REC_INT, .size = sizeof(uint32_t) };

/* ---- integers ---- */

static uint64_t int_load(const uint8_t *p, uint32_t size)
{
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (size) {
	case 1:
		return *p;
	case 2:
		memcpy(&v16, p, sizeof(v16));
		return v16;
	case 4:
		memcpy(&v32, p, sizeof(v32));
		return v32;
	default:
		memcpy(&v64, p, sizeof(v64));
		return v64;
	}
}

static void int_store(uint8_t *p, uint32_t size, uint64_t v)
{
	uint16_t v16 = v;
	uint32_t v32 = v;

	switch (size) {
	case 1:
		*p = v;
		break;
	case 2:
		memcpy(p, &v16, sizeof(v16));
		break;
	case 4:
		memcpy(p, &v32, sizeof(v32));
		break;
	default:
		memcpy(p, &v, sizeof(v));
		break;
	}
}

/* @v's low @size bytes, sign-extended. */
static int64_t int_sext(uint64_t v, uint32_t size)
{
	unsigned int shift = 64 - 8 * size;

	return (int64_t)(v << shift) >> shift;
}

/*
 * The change from @p to @c in the integers' own width, as a signed number: whatever their
 * signedness, a small change is a small number (nice -20 to 19, uid 0 to 4294967295: -1).
 */
static int64_t int_delta(const uint8_t *c, const uint8_t *p, uint32_t size)
{
	return int_sext(int_load(c, size) - int_load(p, size), size);
}

static uint64_t zigzag(int64_t v)
{
	return (uint64_t)v << 1 ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Add the change @z (zigzag) to the integer of @size bytes at @p. */
static int int_apply(uint8_t *p, uint32_t size, uint64_t z)
{
	int64_t d = unzigzag(z);

	/* Wider than the field: no writer of it wrote this. */
	if (int_sext(d, size) != d)
		return -EBADMSG;
	int_store(p, size, int_load(p, size) + (uint64_t)d);
	return 0;
}

static size_t varint_put(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	for (; v >= 0x80; v >>= 7)
		p[n++] = v | 0x80;
	p[n++] = v;
	return n;
}

/* ---- encoding ---- */

struct rec_enc {
	struct record_buf *b;
	int err;		/* the first error: once set, nothing more is written */
};

/* @n more bytes at the end of the buffer, or NULL (and e->err) when memory is exhausted. */
static uint8_t *enc_room(struct rec_enc *e, size_t n)
{
	struct record_buf *b = e->b;
	size_t cap = b->cap ? b->cap : 4096;
	uint8_t *p;

	if (e->err)
		return NULL;
	if (b->cap - b->len < n) {
		while (cap - b->len < n)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			e->err = -ENOMEM;
			return NULL;
		}
		b->p = p;
		b->cap = cap;
	}
	p = b->p + b->len;
	b->len += n;
	return p;
}

static void enc_bytes(struct rec_enc *e, const void *v, size_t n)
{
	uint8_t *p = enc_room(e, n);

	if (p && n)
		memcpy(p, v, n);
}

static void enc_varint(struct rec_enc *e, uint64_t v)
{
	/* Room for the longest, in place: the bytes not taken are given back. */
	uint8_t *p = enc_room(e, 10);

	if (p)
		e->b->len -= 10 - varint_put(p, v);
}

static void enc_key(struct rec_enc *e, uint32_t tag, enum rec_wire wt)
{
	enc_varint(e, (uint64_t)tag << 3 | wt);
}

/* A varint field, left out when zero: counts of task operations. */
static void enc_count(struct rec_enc *e, uint32_t tag, uint64_t n)
{
	if (!n)
		return;
	enc_key(e, tag, WT_VARINT);
	enc_varint(e, n);
}

/* A text field: @n bytes. */
static void enc_text(struct rec_enc *e, uint32_t tag, const void *p, size_t n)
{
	enc_key(e, tag, WT_LEN);
	enc_varint(e, n);
	enc_bytes(e, p, n);
}

/* A nested message being written: where its key is, where its body starts. */
struct enc_msg {
	size_t mark, body;
};

static struct enc_msg enc_open(struct rec_enc *e, uint32_t tag)
{
	struct enc_msg m = { .mark = e->b->len };

	enc_key(e, tag, WT_LEN);
	/* The length: one byte, until enc_close() knows it. */
	enc_room(e, 1);
	m.body = e->b->len;
	return m;
}

static void enc_close(struct rec_enc *e, const struct enc_msg *m)
{
	size_t len = e->b->len - m->body, n;
	uint8_t tmp[10];

	if (e->err)
		return;
	n = varint_put(tmp, len);
	/* Most messages are shorter than 128 bytes: the others move their body along. */
	if (n > 1) {
		if (!enc_room(e, n - 1))
			return;
		memmove(e->b->p + m->body + n - 1, e->b->p + m->body, len);
	}
	memcpy(e->b->p + m->body - 1, tmp, n);
}

/*
 * enc_close(), unless nothing was written after @from (the body's start, or its index): then
 * the message is taken back, and false.
 */
static bool enc_close_changed(struct rec_enc *e, const struct enc_msg *m, size_t from)
{
	if (e->b->len == from) {
		e->b->len = m->mark;
		return false;
	}
	enc_close(e, m);
	return true;
}

static void enc_fields(struct rec_enc *e, const struct rec_msg *msg, const uint8_t *cur,
		       const uint8_t *prev);

/*
 * The elements of an array that differ from @prev's (@nr_prev of them; the others are
 * against @zero): a message each, its index first.
 */
static void enc_elems(struct rec_enc *e, uint32_t tag, const struct rec_msg *msg, size_t stride,
		      const uint8_t *cur, size_t nr, const uint8_t *prev, size_t nr_prev,
		      const uint8_t *zero)
{
	struct enc_msg m;
	size_t i, from;

	for (i = 0; i < nr; i++) {
		const uint8_t *c = cur + i * stride, *p = i < nr_prev ? prev + i * stride : zero;

		if (!memcmp(c, p, stride))
			continue;
		m = enc_open(e, tag);
		enc_key(e, TAG_INDEX, WT_VARINT);
		enc_varint(e, i);
		from = e->b->len;
		enc_fields(e, msg, c, p);
		/* Equal but for padding: nothing to say. */
		enc_close_changed(e, &m, from);
	}
}

/* One run from the first element that changed to the last: a frequency per CPU, say. */
static void enc_packed(struct rec_enc *e, uint32_t tag, const struct rec_field *f,
		       const uint8_t *c, const uint8_t *p)
{
	size_t w = f->stride, lo = 0, hi = f->size / w, i;
	struct enc_msg m;

	while (!memcmp(c + lo * w, p + lo * w, w))
		lo++;
	while (!memcmp(c + (hi - 1) * w, p + (hi - 1) * w, w))
		hi--;
	m = enc_open(e, tag);
	enc_varint(e, lo);
	for (i = lo; i < hi; i++)
		enc_varint(e, zigzag(int_delta(c + i * w, p + i * w, w)));
	enc_close(e, &m);
}

static void enc_field(struct rec_enc *e, uint32_t tag, const struct rec_field *f,
		      const uint8_t *cur, const uint8_t *prev)
{
	const uint8_t *c = cur + f->off, *p = prev + f->off;
	struct enc_msg m;
	uint8_t le[8];
	uint64_t bits;
	size_t n;

	/* Equal bytes are equal fields, whatever the kind; a tag without a field has none. */
	if (!memcmp(c, p, f->size))
		return;
	switch (f->kind) {
	case REC_NONE:		/* no bytes: returned above */
		break;
	case REC_INT:
		enc_key(e, tag, WT_VARINT);
		enc_varint(e, zigzag(int_delta(c, p, f->size)));
		break;
	case REC_BOOL:
		enc_key(e, tag, WT_VARINT);
		enc_varint(e, *c != 0);
		break;
	case REC_DOUBLE:
		memcpy(&bits, c, sizeof(bits));
		for (n = 0; n < sizeof(le); n++)
			le[n] = bits >> 8 * n;
		enc_key(e, tag, WT_FIXED64);
		enc_bytes(e, le, sizeof(le));
		break;
	case REC_TEXT:
		/* Up to the last nonzero byte: exactly the array, yet "" costs nothing. */
		for (n = f->size; n && !c[n - 1]; n--)
			;
		enc_text(e, tag, c, n);
		break;
	case REC_MSG:
		m = enc_open(e, tag);
		enc_fields(e, f->msg, c, p);
		enc_close_changed(e, &m, m.body);
		break;
	case REC_ARRAY:
		enc_elems(e, tag, f->msg, f->stride, c, f->size / f->stride, p,
			  f->size / f->stride, NULL);
		break;
	case REC_PACKED:
		enc_packed(e, tag, f, c, p);
		break;
	}
}

static void enc_fields(struct rec_enc *e, const struct rec_msg *msg, const uint8_t *cur,
		       const uint8_t *prev)
{
	uint32_t tag;

	for (tag = 1; tag < msg->nr; tag++)
		enc_field(e, tag, &msg->f[tag], cur, prev);
}

/* A task as @tag (DIFF or NEW) against @p; false when no field differs (nothing written). */
static bool enc_task(struct rec_enc *e, uint32_t tag, const struct snap_task *t,
		     const struct snap_task *p)
{
	struct enc_msg m = enc_open(e, tag);

	enc_fields(e, &task_msg, (const uint8_t *)t, (const uint8_t *)p);
	/* A task new in cur is written even when all zero: it is one more task. */
	if (tag == TAG_SNAP_NEW) {
		enc_close(e, &m);
		return true;
	}
	return enc_close_changed(e, &m, m.body);
}

/* snapshot_prepare()'s order (ingest.c): process, then task. */
static int task_key_cmp(const struct snap_task *a, const struct snap_task *b)
{
	return cmp_u64(a->tgid, b->tgid) ?: cmp_u64(a->leader_start_ns, b->leader_start_ns) ?:
	       cmp_u64(a->tid, b->tid) ?: cmp_u64(a->start_ns, b->start_ns);
}

/*
 * cur's tasks in their order, as operations on prev's, walking both at once: both are in
 * snapshot_prepare()'s order, so that a task's record in prev, if any, is at or after the
 * cursor, and the ones before it that are below the task are gone. Tasks out of that order
 * still come out right, as NEW, only longer.
 */
static void enc_tasks(struct rec_enc *e, const struct snapshot *prev, const struct snapshot *cur)
{
	size_t i, at = 0, gone, same = 0, mark;
	const struct snap_task *t, *p;

	for (i = 0; i < cur->nr_tasks; i++) {
		t = &cur->tasks[i];
		for (gone = 0; at < prev->nr_tasks && task_key_cmp(&prev->tasks[at], t) < 0; gone++)
			at++;
		if (gone) {
			enc_count(e, TAG_SNAP_SAME, same);
			enc_count(e, TAG_SNAP_SKIP, gone);
			same = 0;
		}
		p = at < prev->nr_tasks ? &prev->tasks[at] : NULL;
		if (!p || task_key_cmp(p, t)) {
			enc_count(e, TAG_SNAP_SAME, same);
			enc_task(e, TAG_SNAP_NEW, t, &zero_task);
			same = 0;
			continue;
		}
		at++;
		/* Most tasks sleep: equal bytes are the same task, with no more ado. */
		if (!memcmp(t, p, sizeof(*t))) {
			same++;
			continue;
		}
		/* The run of unchanged tasks goes before the change, unless the change is none. */
		mark = e->b->len;
		enc_count(e, TAG_SNAP_SAME, same);
		if (enc_task(e, TAG_SNAP_DIFF, t, p)) {
			same = 0;
		} else {
			e->b->len = mark;
			same++;
		}
	}
	enc_count(e, TAG_SNAP_SAME, same);
}

/*
 * Cgroup @c of @cur as its change from @p of @prev, the cgroup of the same id, or as a new one
 * when there is no @p, or as gone when there is no @c; its id as its gap from @last, the id
 * written before. False when nothing was written: @c is @p, path included.
 */
static bool enc_cgroup(struct rec_enc *e, uint64_t last, const struct snapshot *cur,
		       const struct snap_cgroup *c, const struct snapshot *prev,
		       const struct snap_cgroup *p)
{
	struct enc_msg m = enc_open(e, TAG_SNAP_CGROUP);
	const char *path, *was;
	size_t from;

	enc_key(e, TAG_INDEX, WT_VARINT);
	enc_varint(e, (c ?: p)->id - last);
	from = e->b->len;
	if (!c) {
		enc_count(e, TAG_CG_GONE, 1);
	} else {
		enc_fields(e, &cg_msg, (const uint8_t *)c, (const uint8_t *)(p ?: &zero_cgroup));
		/* A path is written when its id is new to the chain of frames, or renamed. */
		path = snapshot_cgroup_path(cur, c);
		was = p ? snapshot_cgroup_path(prev, p) : "";
		if (strcmp(path, was))
			enc_text(e, TAG_CG_PATH, path, strlen(path));
	}
	/* A cgroup new in cur is written even when all zero: it is one more cgroup. */
	if (!p) {
		enc_close(e, &m);
		return true;
	}
	return enc_close_changed(e, &m, from);
}

/*
 * cur's cgroups as the changes of prev's, walking both at once by id: the ones that changed,
 * the new ones, the ones gone. An unchanged table costs nothing.
 */
static void enc_cgroups(struct rec_enc *e, const struct snapshot *prev, const struct snapshot *cur)
{
	size_t i = 0, at = 0;
	uint64_t last = 0;

	while (i < cur->nr_cgroups || at < prev->nr_cgroups) {
		const struct snap_cgroup *c = i < cur->nr_cgroups ? &cur->cgroups[i] : NULL;
		const struct snap_cgroup *p = at < prev->nr_cgroups ? &prev->cgroups[at] : NULL;

		if (c && p && c->id < p->id)
			p = NULL;
		else if (p && (!c || p->id < c->id))
			c = NULL;
		i += c != NULL;
		at += p != NULL;
		if (enc_cgroup(e, last, cur, c, prev, p))
			last = (c ?: p)->id;
	}
}

/* Whether the ids of @s's cgroups increase, from 1 on: each one there once, in order. */
static bool cgroups_sorted(const struct snapshot *s)
{
	for (size_t i = 0; i < s->nr_cgroups; i++) {
		if (s->cgroups[i].id <= (i ? s->cgroups[i - 1].id : 0))
			return false;
	}
	return true;
}

int record_encode(struct record_buf *b, const struct snapshot *prev, const struct snapshot *cur)
{
	const struct snapshot *from = prev ?: &key_snap;
	struct rec_enc e = { .b = b };

	if (cur->nr_cpus > RECORD_MAX_CPUS || cur->nr_ctrs > RECORD_MAX_CPUS)
		return -EOVERFLOW;
	if (!cgroups_sorted(cur))
		return -EINVAL;
	b->len = 0;
	if (!prev)
		enc_count(&e, TAG_SNAP_VERSION, SNAPSHOT_VERSION);
	/* The counts (NR_CPUS, NR_CTRS) before the arrays they size. */
	enc_fields(&e, &snap_msg, (const uint8_t *)cur, (const uint8_t *)from);
	enc_elems(&e, TAG_SNAP_CPU, &ticks_msg, sizeof(*cur->cpus), (const uint8_t *)cur->cpus,
		  cur->nr_cpus, (const uint8_t *)from->cpus, from->nr_cpus,
		  (const uint8_t *)&zero_ticks);
	enc_elems(&e, TAG_SNAP_CTRS, &ctr_msg, sizeof(*cur->ctrs), (const uint8_t *)cur->ctrs,
		  cur->nr_ctrs, (const uint8_t *)from->ctrs, from->nr_ctrs,
		  (const uint8_t *)&zero_ctrs);
	enc_cgroups(&e, from, cur);
	enc_tasks(&e, from, cur);
	return e.err;
}

void record_buf_free(struct record_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* ---- decoding ---- */

/* Bytes not read yet. */
struct rec_rd {
	const uint8_t *p, *end;
};

/* A field as read. */
struct rec_val {
	uint64_t tag;
	enum rec_wire wt;
	uint64_t v;		/* WT_VARINT, WT_FIXED64 */
	struct rec_rd data;	/* WT_LEN */
};

static int rd_varint(struct rec_rd *r, uint64_t *v)
{
	unsigned int shift;
	uint64_t x = 0;
	uint8_t c;

	for (shift = 0; shift < 64; shift += 7) {
		if (r->p == r->end)
			return -EBADMSG;
		c = *r->p++;
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			/* The tenth byte has room for one bit only. */
			if (shift == 63 && c > 1)
				return -EBADMSG;
			*v = x;
			return 0;
		}
	}
	return -EBADMSG;
}

static int rd_field(struct rec_rd *r, struct rec_val *f)
{
	uint64_t key, len;
	int err, i;

	err = rd_varint(r, &key);
	if (err)
		return err;
	f->tag = key >> 3;
	f->wt = key & 7;
	if (!f->tag)
		return -EBADMSG;
	switch (f->wt) {
	case WT_VARINT:
		return rd_varint(r, &f->v);
	case WT_FIXED64:
		if (r->end - r->p < 8)
			return -EBADMSG;
		for (f->v = 0, i = 7; i >= 0; i--)
			f->v = f->v << 8 | r->p[i];
		r->p += 8;
		return 0;
	case WT_LEN:
		err = rd_varint(r, &len);
		if (err)
			return err;
		if (len > (uint64_t)(r->end - r->p))
			return -EBADMSG;
		f->data.p = r->p;
		f->data.end = r->p + len;
		r->p += len;
		return 0;
	}
	/* A wire type this reader does not know: it cannot tell the value's length. */
	return -EBADMSG;
}

/* Field @tag of @msg: of kind REC_NONE when this reader does not know it. */
static const struct rec_field *msg_field(const struct rec_msg *msg, uint64_t tag)
{
	static const struct rec_field unknown;

	return tag < msg->nr ? &msg->f[tag] : &unknown;
}

static int dec_field(const struct rec_field *f, const struct rec_val *v, uint8_t *dst);

/* Apply the fields of message @r to @dst, whose struct @msg describes. */
static int dec_fields(const struct rec_msg *msg, struct rec_rd r, uint8_t *dst)
{
	struct rec_val v;
	int err;

	while (r.p < r.end) {
		err = rd_field(&r, &v) ?: dec_field(msg_field(msg, v.tag), &v, dst);
		if (err)
			return err;
	}
	return 0;
}

/* An element of the array @base of @nr: its index first, then its fields. */
static int dec_elem(const struct rec_msg *msg, struct rec_rd r, uint8_t *base, size_t stride,
		    size_t nr)
{
	struct rec_val v;
	int err;

	err = rd_field(&r, &v);
	if (err)
		return err;
	if (v.tag != TAG_INDEX || v.wt != WT_VARINT || v.v >= nr)
		return -EBADMSG;
	return dec_fields(msg, r, base + v.v * stride);
}

static int dec_packed(const struct rec_field *f, struct rec_rd r, uint8_t *dst)
{
	size_t w = f->stride, nr = f->size / w;
	uint64_t i, z;
	int err;

	err = rd_varint(&r, &i);
	for (; !err && r.p < r.end; i++) {
		if (i >= nr)
			return -EBADMSG;
		err = rd_varint(&r, &z) ?: int_apply(dst + i * w, w, z);
	}
	return err;
}

/* Apply field @v of @f's kind to @dst; a field of no kind is one this reader skips. */
static int dec_field(const struct rec_field *f, const struct rec_val *v, uint8_t *dst)
{
	size_t len = v->data.end - v->data.p;
	uint8_t *d = dst + f->off;
	int err = 0;

	if (f->kind != REC_NONE && v->wt != kind_wire[f->kind])
		return -EBADMSG;
	switch (f->kind) {
	case REC_NONE:
		break;
	case REC_INT:
		err = int_apply(d, f->size, v->v);
		break;
	case REC_BOOL:
		if (v->v > 1)
			return -EBADMSG;
		*d = v->v;
		break;
	case REC_DOUBLE:
		memcpy(d, &v->v, sizeof(v->v));
		break;
	case REC_TEXT:
		if (len > f->size)
			return -EBADMSG;
		if (len)
			memcpy(d, v->data.p, len);
		memset(d + len, 0, f->size - len);
		break;
	case REC_MSG:
		err = dec_fields(f->msg, v->data, d);
		break;
	case REC_ARRAY:
		err = dec_elem(f->msg, v->data, d, f->stride, f->size / f->stride);
		break;
	case REC_PACKED:
		err = dec_packed(f, v->data, d);
		break;
	}
	return err;
}

static int cpus_resize(struct snapshot *s, uint32_t n)
{
	struct cpu_ticks *v;

	if (n > s->cap_cpus) {
		v = realloc(s->cpus, n * sizeof(*v));
		if (!v)
			return -ENOMEM;
		s->cpus = v;
		s->cap_cpus = n;
	}
	if (n > s->nr_cpus)
		memset(s->cpus + s->nr_cpus, 0, (n - s->nr_cpus) * sizeof(*v));
	s->nr_cpus = n;
	return 0;
}

static int ctrs_resize(struct snapshot *s, uint32_t n)
{
	if (n > s->nr_ctrs && !snapshot_cpu_ctrs(s, n - 1))
		return -ENOMEM;
	s->nr_ctrs = n;
	return 0;
}

/* Apply count field @v to *@nr, which may be no more than RECORD_MAX_CPUS. */
static int dec_count(const struct rec_val *v, uint32_t *nr)
{
	uint32_t n = *nr;
	int err;

	err = dec_field(&count_field, v, (uint8_t *)&n);
	if (err)
		return err;
	if (n > RECORD_MAX_CPUS)
		return -EBADMSG;
	*nr = n;
	return 0;
}

/* Room for @n more tasks. */
static int tasks_reserve(struct snapshot *s, size_t n)
{
	size_t cap = s->cap_tasks ? s->cap_tasks : 1024;
	struct snap_task *v;

	if (n <= s->cap_tasks - s->nr_tasks)
		return 0;
	while (cap - s->nr_tasks < n)
		cap *= 2;
	v = realloc(s->tasks, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->tasks = v;
	s->cap_tasks = cap;
	return 0;
}

/* A task operation on @prev's tasks from *@at, whose outcome goes to @out's. */
static int dec_task_op(struct snapshot *out, const struct snapshot *prev, size_t *at,
		       const struct rec_val *v)
{
	size_t left = prev->nr_tasks - *at;
	struct snap_task *t;
	int err;

	if (v->wt != (v->tag == TAG_SNAP_SAME || v->tag == TAG_SNAP_SKIP ? WT_VARINT : WT_LEN))
		return -EBADMSG;
	switch (v->tag) {
	case TAG_SNAP_SAME:
	case TAG_SNAP_SKIP:
		/* A count of tasks prev has not is no payload of this prev. */
		if (!v->v || v->v > left)
			return -EBADMSG;
		if (v->tag == TAG_SNAP_SAME) {
			err = tasks_reserve(out, v->v);
			if (err)
				return err;
			memcpy(out->tasks + out->nr_tasks, prev->tasks + *at,
			       v->v * sizeof(*out->tasks));
			out->nr_tasks += v->v;
		}
		*at += v->v;
		return 0;
	default:
		if (v->tag == TAG_SNAP_DIFF && !left)
			return -EBADMSG;
		err = tasks_reserve(out, 1);
		if (err)
			return err;
		t = &out->tasks[out->nr_tasks++];
		*t = v->tag == TAG_SNAP_DIFF ? prev->tasks[(*at)++] : zero_task;
		return dec_fields(&task_msg, v->data, (uint8_t *)t);
	}
}

/* A payload being decoded into out, against prev. */
struct rec_dec {
	struct snapshot *out;
	const struct snapshot *prev;
	size_t at;			/* prev's next task */
	size_t cg_at;			/* prev's next cgroup */
	uint64_t cg_id;			/* the id of the last cgroup read */
};

/* prev's next cgroup, unchanged, into out. */
static int dec_cgroup_keep(struct rec_dec *d)
{
	const struct snap_cgroup *p = &d->prev->cgroups[d->cg_at++];
	const char *path = snapshot_cgroup_path(d->prev, p);

	return snapshot_put_cgroup(d->out, p, path, strlen(path)) ? 0 : -ENOMEM;
}

/*
 * A cgroup message @r: its id, after the one read before, then its change from prev's of that
 * id (which prev's below it are kept before), or its fields as a new one, or that it is gone.
 */
static int dec_cgroup(struct rec_dec *d, struct rec_rd r)
{
	const struct snapshot *prev = d->prev;
	struct snap_cgroup c = zero_cgroup;
	bool had = false, gone = false;
	const char *path = "";
	struct rec_val v;
	size_t len = 0;
	int err;

	err = rd_field(&r, &v);
	if (err)
		return err;
	/* The ids increase: a gap of at least 1, and no wrap. */
	if (v.tag != TAG_INDEX || v.wt != WT_VARINT || !v.v || v.v > UINT64_MAX - d->cg_id)
		return -EBADMSG;
	d->cg_id += v.v;
	while (d->cg_at < prev->nr_cgroups && prev->cgroups[d->cg_at].id < d->cg_id) {
		err = dec_cgroup_keep(d);
		if (err)
			return err;
	}
	if (d->cg_at < prev->nr_cgroups && prev->cgroups[d->cg_at].id == d->cg_id) {
		c = prev->cgroups[d->cg_at++];
		path = snapshot_cgroup_path(prev, &c);
		len = strlen(path);
		had = true;
	}
	c.id = d->cg_id;
	while (r.p < r.end) {
		err = rd_field(&r, &v);
		if (err)
			return err;
		switch (v.tag) {
		case TAG_CG_PATH:
			len = v.data.end - v.data.p;
			/* A NUL would end the path short of what was written. */
			if (v.wt != WT_LEN || memchr(v.data.p, '\0', len))
				return -EBADMSG;
			path = (const char *)v.data.p;
			break;
		case TAG_CG_GONE:
			if (v.wt != WT_VARINT || v.v != 1 || !had)
				return -EBADMSG;
			gone = true;
			break;
		default:
			err = dec_field(msg_field(&cg_msg, v.tag), &v, (uint8_t *)&c);
			if (err)
				return err;
		}
	}
	if (gone)
		return 0;
	return snapshot_put_cgroup(d->out, &c, path, len) ? 0 : -ENOMEM;
}

/* Start @out as a copy of @from, in @out's memory, with no task or cgroup yet. */
static int dec_begin(struct snapshot *out, const struct snapshot *from)
{
	struct cpu_ticks *cpus = out->cpus;
	struct cpu_ctrs *ctrs = out->ctrs;
	struct snap_task *tasks = out->tasks;
	struct snap_cgroup *cgroups = out->cgroups;
	char *cg_paths = out->cg_paths;
	uint32_t cap_cpus = out->cap_cpus, cap_ctrs = out->cap_ctrs;
	size_t cap_tasks = out->cap_tasks, cap_cgroups = out->cap_cgroups;
	size_t cap_cg_paths = out->cap_cg_paths;
	int err;

	*out = *from;
	out->version = SNAPSHOT_VERSION;
	out->cpus = cpus;
	out->cap_cpus = cap_cpus;
	out->nr_cpus = 0;
	out->ctrs = ctrs;
	out->cap_ctrs = cap_ctrs;
	out->nr_ctrs = 0;
	out->tasks = tasks;
	out->cap_tasks = cap_tasks;
	out->nr_tasks = 0;
	out->cgroups = cgroups;
	out->cap_cgroups = cap_cgroups;
	out->nr_cgroups = 0;
	out->cg_paths = cg_paths;
	out->cap_cg_paths = cap_cg_paths;
	out->cg_paths_len = 0;
	err = cpus_resize(out, from->nr_cpus) ?: ctrs_resize(out, from->nr_ctrs);
	if (err)
		return err;
	if (from->nr_cpus)
		memcpy(out->cpus, from->cpus, from->nr_cpus * sizeof(*out->cpus));
	if (from->nr_ctrs)
		memcpy(out->ctrs, from->ctrs, from->nr_ctrs * sizeof(*out->ctrs));
	return 0;
}

static int dec_snap_field(struct rec_dec *d, const struct rec_val *v)
{
	struct snapshot *out = d->out;
	uint32_t n;

	switch (v->tag) {
	case TAG_SNAP_SAME:
	case TAG_SNAP_SKIP:
	case TAG_SNAP_DIFF:
	case TAG_SNAP_NEW:
		return dec_task_op(out, d->prev, &d->at, v);
	case TAG_SNAP_CGROUP:
		if (v->wt != WT_LEN)
			return -EBADMSG;
		return dec_cgroup(d, v->data);
	case TAG_SNAP_NR_CPUS:
		n = out->nr_cpus;
		return dec_count(v, &n) ?: cpus_resize(out, n);
	case TAG_SNAP_NR_CTRS:
		n = out->nr_ctrs;
		return dec_count(v, &n) ?: ctrs_resize(out, n);
	case TAG_SNAP_CPU:
	case TAG_SNAP_CTRS:
		if (v->wt != WT_LEN)
			return -EBADMSG;
		if (v->tag == TAG_SNAP_CPU)
			return dec_elem(&ticks_msg, v->data, (uint8_t *)out->cpus,
					sizeof(*out->cpus), out->nr_cpus);
		return dec_elem(&ctr_msg, v->data, (uint8_t *)out->ctrs, sizeof(*out->ctrs),
				out->nr_ctrs);
	default:
		/* TAG_SNAP_VERSION is skipped: @out is of the reader's version, not the writer's */
		return dec_field(msg_field(&snap_msg, v->tag), v, (uint8_t *)out);
	}
}

int record_decode(struct snapshot *out, const struct snapshot *prev, const void *p, size_t len)
{
	struct rec_rd r = { .p = p, .end = len ? (const uint8_t *)p + len : p };
	struct rec_dec d = { .out = out, .prev = prev ?: &key_snap };
	struct rec_val v;
	int err;

	err = dec_begin(out, d.prev);
	while (!err && r.p < r.end)
		err = rd_field(&r, &v) ?: dec_snap_field(&d, &v);
	/* The cgroups after the last one that changed are prev's. */
	while (!err && d.cg_at < d.prev->nr_cgroups)
		err = dec_cgroup_keep(&d);
	return err;
}
