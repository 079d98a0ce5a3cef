/*
 * The mmsim script language: a line parser for strace's output syntax and
 * our commands, a printer for the canonical form of an operation, and an
 * interpreter that applies operations to a machine and checks what a
 * recording says they returned. script.h is the API; docs/scripts.md is
 * the user's reference.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/path_map.h"
#include "trace/script.h"

/* The x86-64 user ABI values the language names (uapi headers). */
#define S_AT_FDCWD		(-100)
#define S_PR_SET_VMA		0x53564d41ULL
#define S_PR_SET_VMA_ANON_NAME	0ULL
#define S_O_ACCMODE		03ULL
#define S_O_CREAT		0100ULL
#define S_O_EXCL		0200ULL
#define S_O_RDWR		02
#define S_MAP_TYPE		0x0fULL
#define S_MAP_ANONYMOUS		0x20ULL
#define S_MAP_HUGETLB		0x40000ULL
#define S_MAP_HUGE_SHIFT	26
#define S_MAP_HUGE_MASK		0x3fULL
#define S_MREMAP_FIXED		2ULL
#define S_CLONE_VM		0x100ULL
#define S_CLONE_VFORK		0x4000ULL
#define S_SIGBUS		7
#define S_SIGSEGV		11
#define S_RLIM_INFINITY		(~0ULL)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ===================================================================== */
/* Names                                                                 */
/* ===================================================================== */

struct name_val {
	const char *name;
	uint64_t val;
};

static const struct name_val prot_names[] = {
	{ "PROT_READ", 0x1 },		{ "PROT_WRITE", 0x2 },
	{ "PROT_EXEC", 0x4 },		{ "PROT_SEM", 0x8 },
	{ "PROT_GROWSDOWN", 0x01000000 }, { "PROT_GROWSUP", 0x02000000 },
	{ "PROT_NONE", 0x0 },
};

/* Printed in this order after the type; aliases and 0 follow the rest. */
static const struct name_val map_names[] = {
	{ "MAP_FIXED", 0x10 },		{ "MAP_ANONYMOUS", 0x20 },
	{ "MAP_32BIT", 0x40 },		{ "MAP_ABOVE4G", 0x80 },
	{ "MAP_GROWSDOWN", 0x100 },	{ "MAP_DENYWRITE", 0x800 },
	{ "MAP_EXECUTABLE", 0x1000 },	{ "MAP_LOCKED", 0x2000 },
	{ "MAP_NORESERVE", 0x4000 },	{ "MAP_POPULATE", 0x8000 },
	{ "MAP_NONBLOCK", 0x10000 },	{ "MAP_STACK", 0x20000 },
	{ "MAP_HUGETLB", 0x40000 },	{ "MAP_SYNC", 0x80000 },
	{ "MAP_FIXED_NOREPLACE", 0x100000 },
	{ "MAP_UNINITIALIZED", 0x4000000 },
	/* types (the low nibble is a value, not bits) */
	{ "MAP_SHARED", 0x1 },		{ "MAP_PRIVATE", 0x2 },
	{ "MAP_SHARED_VALIDATE", 0x3 }, { "MAP_DROPPABLE", 0x8 },
	/* parse-only spellings */
	{ "MAP_ANON", 0x20 },		{ "MAP_FILE", 0x0 },
	{ "MAP_HUGE_SHIFT", S_MAP_HUGE_SHIFT },
	{ "MAP_HUGE_MASK", S_MAP_HUGE_MASK },
	{ "MAP_HUGE_16KB", 14ULL << 26 },	{ "MAP_HUGE_64KB", 16ULL << 26 },
	{ "MAP_HUGE_512KB", 19ULL << 26 },	{ "MAP_HUGE_1MB", 20ULL << 26 },
	{ "MAP_HUGE_2MB", 21ULL << 26 },	{ "MAP_HUGE_8MB", 23ULL << 26 },
	{ "MAP_HUGE_16MB", 24ULL << 26 },	{ "MAP_HUGE_32MB", 25ULL << 26 },
	{ "MAP_HUGE_256MB", 28ULL << 26 },	{ "MAP_HUGE_512MB", 29ULL << 26 },
	{ "MAP_HUGE_1GB", 30ULL << 26 },	{ "MAP_HUGE_2GB", 31ULL << 26 },
	{ "MAP_HUGE_16GB", 34ULL << 26 },
};
#define MAP_PRINTED_BITS 16	/* map_names[0..15] are single bits */

static const struct name_val mremap_names[] = {
	{ "MREMAP_MAYMOVE", 1 }, { "MREMAP_FIXED", 2 },
	{ "MREMAP_DONTUNMAP", 4 },
};

static const struct name_val madv_names[] = {
	{ "MADV_NORMAL", 0 },		{ "MADV_RANDOM", 1 },
	{ "MADV_SEQUENTIAL", 2 },	{ "MADV_WILLNEED", 3 },
	{ "MADV_DONTNEED", 4 },		{ "MADV_FREE", 8 },
	{ "MADV_REMOVE", 9 },		{ "MADV_DONTFORK", 10 },
	{ "MADV_DOFORK", 11 },		{ "MADV_MERGEABLE", 12 },
	{ "MADV_UNMERGEABLE", 13 },	{ "MADV_HUGEPAGE", 14 },
	{ "MADV_NOHUGEPAGE", 15 },	{ "MADV_DONTDUMP", 16 },
	{ "MADV_DODUMP", 17 },		{ "MADV_WIPEONFORK", 18 },
	{ "MADV_KEEPONFORK", 19 },	{ "MADV_COLD", 20 },
	{ "MADV_PAGEOUT", 21 },		{ "MADV_POPULATE_READ", 22 },
	{ "MADV_POPULATE_WRITE", 23 },	{ "MADV_DONTNEED_LOCKED", 24 },
	{ "MADV_COLLAPSE", 25 },	{ "MADV_HWPOISON", 100 },
	{ "MADV_SOFT_OFFLINE", 101 },	{ "MADV_GUARD_INSTALL", 102 },
	{ "MADV_GUARD_REMOVE", 103 },
};

static const struct name_val mcl_names[] = {
	{ "MCL_CURRENT", 1 }, { "MCL_FUTURE", 2 }, { "MCL_ONFAULT", 4 },
};

static const struct name_val mlock_names[] = {
	{ "MLOCK_ONFAULT", 1 },
};

static const struct name_val ms_names[] = {
	{ "MS_ASYNC", 1 }, { "MS_INVALIDATE", 2 }, { "MS_SYNC", 4 },
};

static const struct name_val falloc_names[] = {
	{ "FALLOC_FL_KEEP_SIZE", 0x01 },	{ "FALLOC_FL_PUNCH_HOLE", 0x02 },
	{ "FALLOC_FL_NO_HIDE_STALE", 0x04 },	{ "FALLOC_FL_COLLAPSE_RANGE", 0x08 },
	{ "FALLOC_FL_ZERO_RANGE", 0x10 },	{ "FALLOC_FL_INSERT_RANGE", 0x20 },
	{ "FALLOC_FL_UNSHARE_RANGE", 0x40 },	{ "FALLOC_FL_WRITE_ZEROES", 0x80 },
};

static const struct name_val mount_names[] = {
	{ "MS_RDONLY", 1 },		{ "MS_NOSUID", 2 },
	{ "MS_NODEV", 4 },		{ "MS_NOEXEC", 8 },
	{ "MS_SYNCHRONOUS", 16 },	{ "MS_REMOUNT", 32 },
	{ "MS_MANDLOCK", 64 },		{ "MS_DIRSYNC", 128 },
	{ "MS_NOSYMFOLLOW", 256 },	{ "MS_NOATIME", 1024 },
	{ "MS_NODIRATIME", 2048 },	{ "MS_BIND", 4096 },
	{ "MS_MOVE", 8192 },		{ "MS_REC", 16384 },
	{ "MS_SILENT", 32768 },		{ "MS_POSIXACL", 1 << 16 },
	{ "MS_UNBINDABLE", 1 << 17 },	{ "MS_PRIVATE", 1 << 18 },
	{ "MS_SLAVE", 1 << 19 },	{ "MS_SHARED", 1 << 20 },
	{ "MS_RELATIME", 1 << 21 },	{ "MS_KERNMOUNT", 1 << 22 },
	{ "MS_I_VERSION", 1 << 23 },	{ "MS_STRICTATIME", 1 << 24 },
	{ "MS_LAZYTIME", 1 << 25 },	{ "MS_MGC_VAL", 0xc0ed0000 },
};

static const struct name_val umount_names[] = {
	{ "MNT_FORCE", 1 },		{ "MNT_DETACH", 2 },
	{ "MNT_EXPIRE", 4 },		{ "UMOUNT_NOFOLLOW", 8 },
};

static const struct name_val shmget_names[] = {
	{ "IPC_CREAT", 01000 },		{ "IPC_EXCL", 02000 },
	{ "SHM_HUGETLB", 04000 },	{ "SHM_NORESERVE", 010000 },
	{ "SHM_HUGE_2MB", 21ULL << 26 }, { "SHM_HUGE_1GB", 30ULL << 26 },
	{ "SHM_HUGE_SHIFT", 26 },
};

const char *script_flag_name(size_t i)
{
	static const struct { const struct name_val *t; size_t n; } tabs[] = {
		{ prot_names, ARRAY_SIZE(prot_names) },
		{ map_names, ARRAY_SIZE(map_names) },
		{ madv_names, ARRAY_SIZE(madv_names) },
		{ mremap_names, ARRAY_SIZE(mremap_names) },
		{ mcl_names, ARRAY_SIZE(mcl_names) },
		{ mlock_names, ARRAY_SIZE(mlock_names) },
		{ ms_names, ARRAY_SIZE(ms_names) },
	};
	size_t t;

	for (t = 0; t < ARRAY_SIZE(tabs); t++) {
		if (i < tabs[t].n)
			return tabs[t].t[i].name;
		i -= tabs[t].n;
	}
	return NULL;
}

static const struct name_val shmat_names[] = {
	{ "SHM_RDONLY", 010000 },	{ "SHM_RND", 020000 },
	{ "SHM_REMAP", 040000 },	{ "SHM_EXEC", 0100000 },
};

static const struct name_val shmctl_names[] = {
	{ "IPC_RMID", 0 },	{ "IPC_SET", 1 },	{ "IPC_STAT", 2 },
	{ "IPC_INFO", 3 },	{ "SHM_LOCK", 11 },	{ "SHM_UNLOCK", 12 },
	{ "SHM_STAT", 13 },	{ "SHM_INFO", 14 },	{ "SHM_STAT_ANY", 15 },
	{ "IPC_64", 0x100 },
};

static const struct name_val shmkey_names[] = { { "IPC_PRIVATE", 0 } };

static const struct name_val mfd_names[] = {
	{ "MFD_CLOEXEC", 0x1 },		{ "MFD_ALLOW_SEALING", 0x2 },
	{ "MFD_HUGETLB", 0x4 },		{ "MFD_NOEXEC_SEAL", 0x8 },
	{ "MFD_EXEC", 0x10 },
	{ "MFD_HUGE_2MB", 21ULL << 26 }, { "MFD_HUGE_1GB", 30ULL << 26 },
	{ "MFD_HUGE_SHIFT", 26 },
};

/* Access modes first, compound flags before their parts, aliases last. */
static const struct name_val o_names[] = {
	{ "O_RDONLY", 0 },		{ "O_WRONLY", 01 },
	{ "O_RDWR", 02 },		{ "O_TMPFILE", 020200000 },
	{ "O_SYNC", 04010000 },		{ "O_CREAT", 0100 },
	{ "O_EXCL", 0200 },		{ "O_NOCTTY", 0400 },
	{ "O_TRUNC", 01000 },		{ "O_APPEND", 02000 },
	{ "O_NONBLOCK", 04000 },	{ "O_DSYNC", 010000 },
	{ "O_ASYNC", 020000 },		{ "O_DIRECT", 040000 },
	{ "O_LARGEFILE", 0100000 },	{ "O_DIRECTORY", 0200000 },
	{ "O_NOFOLLOW", 0400000 },	{ "O_NOATIME", 01000000 },
	{ "O_CLOEXEC", 02000000 },	{ "O_PATH", 010000000 },
	{ "O_NDELAY", 04000 },		{ "FASYNC", 020000 },
	{ "O_ACCMODE", 03 },		{ "O_RSYNC", 04010000 },
};

static const struct name_val pkey_names[] = {
	{ "PKEY_DISABLE_ACCESS", 1 }, { "PKEY_DISABLE_WRITE", 2 },
};

static const struct name_val rlimit_names[] = {
	{ "RLIMIT_CPU", 0 },		{ "RLIMIT_FSIZE", 1 },
	{ "RLIMIT_DATA", 2 },		{ "RLIMIT_STACK", 3 },
	{ "RLIMIT_CORE", 4 },		{ "RLIMIT_RSS", 5 },
	{ "RLIMIT_NPROC", 6 },		{ "RLIMIT_NOFILE", 7 },
	{ "RLIMIT_MEMLOCK", 8 },	{ "RLIMIT_AS", 9 },
	{ "RLIMIT_LOCKS", 10 },		{ "RLIMIT_SIGPENDING", 11 },
	{ "RLIMIT_MSGQUEUE", 12 },	{ "RLIMIT_NICE", 13 },
	{ "RLIMIT_RTPRIO", 14 },	{ "RLIMIT_RTTIME", 15 },
};

static const struct name_val rlim_val_names[] = {
	{ "RLIM64_INFINITY", S_RLIM_INFINITY },
	{ "RLIM_INFINITY", S_RLIM_INFINITY },
};

static const struct name_val null_names[] = { { "NULL", 0 } };
static const struct name_val at_names[] = { { "AT_FDCWD", (uint64_t)-100 } };
static const struct name_val pr_names[] = { { "PR_SET_VMA", S_PR_SET_VMA } };
static const struct name_val pr_vma_names[] = {
	{ "PR_SET_VMA_ANON_NAME", S_PR_SET_VMA_ANON_NAME },
};

/* A family of names one argument may use. */
struct family {
	const char *what;		/* for messages: "PROT_* flag" */
	const struct name_val *names;
	size_t count;
};

enum fam {
	FAM_NUM,	/* numbers only */
	FAM_ADDR,	/* numbers and NULL */
	FAM_PROT, FAM_MAP, FAM_MREMAP, FAM_MADV, FAM_MCL, FAM_MLOCK, FAM_MS,
	FAM_O, FAM_PKEY, FAM_RLIMIT, FAM_RLIM_VAL, FAM_AT, FAM_PR, FAM_PR_VMA,
	FAM_FALLOC, FAM_MFD, FAM_SHMGET, FAM_SHMAT, FAM_SHMCTL, FAM_SHMKEY,
	FAM_MOUNT, FAM_UMOUNT,
	FAM_COUNT
};

#define FAMILY(w, t) { w, t, ARRAY_SIZE(t) }
static const struct family families[FAM_COUNT] = {
	[FAM_NUM] = { "number", NULL, 0 },
	[FAM_ADDR] = FAMILY("address", null_names),
	[FAM_PROT] = FAMILY("PROT_* flag", prot_names),
	[FAM_MAP] = FAMILY("MAP_* flag", map_names),
	[FAM_MREMAP] = FAMILY("MREMAP_* flag", mremap_names),
	[FAM_MADV] = FAMILY("MADV_* advice", madv_names),
	[FAM_MCL] = FAMILY("MCL_* flag", mcl_names),
	[FAM_MLOCK] = FAMILY("MLOCK_* flag", mlock_names),
	[FAM_MS] = FAMILY("MS_* flag", ms_names),
	[FAM_O] = FAMILY("O_* flag", o_names),
	[FAM_PKEY] = FAMILY("PKEY_* access right", pkey_names),
	[FAM_RLIMIT] = FAMILY("RLIMIT_* resource", rlimit_names),
	[FAM_RLIM_VAL] = FAMILY("limit", rlim_val_names),
	[FAM_AT] = FAMILY("directory fd", at_names),
	[FAM_PR] = FAMILY("prctl option", pr_names),
	[FAM_PR_VMA] = FAMILY("PR_SET_VMA operation", pr_vma_names),
	[FAM_FALLOC] = FAMILY("FALLOC_FL_* flag", falloc_names),
	[FAM_MFD] = FAMILY("MFD_* flag", mfd_names),
	[FAM_SHMGET] = FAMILY("IPC_*/SHM_* flag", shmget_names),
	[FAM_SHMAT] = FAMILY("SHM_* flag", shmat_names),
	[FAM_SHMCTL] = FAMILY("shmctl command", shmctl_names),
	[FAM_SHMKEY] = FAMILY("key", shmkey_names),
	[FAM_MOUNT] = FAMILY("MS_* mount flag", mount_names),
	[FAM_UMOUNT] = FAMILY("MNT_* flag", umount_names),
};

static const struct name_val *family_find(enum fam f, const char *s,
					  size_t n)
{
	const struct family *fa = &families[f];
	size_t i;

	for (i = 0; i < fa->count; i++)
		if (strlen(fa->names[i].name) == n &&
		    !memcmp(fa->names[i].name, s, n))
			return &fa->names[i];
	return NULL;
}

/* The family (other than f) that knows this name, for a better message. */
static int family_owner(const char *s, size_t n)
{
	int f;

	for (f = FAM_ADDR; f < FAM_COUNT; f++)
		if (family_find((enum fam)f, s, n))
			return f;
	return -1;
}

/* errno names and strerror() texts as strace prints them (glibc's). */
struct errno_name {
	const char *name, *text;
};

static const struct errno_name errno_names[] = {
	[1] = { "EPERM", "Operation not permitted" },
	[2] = { "ENOENT", "No such file or directory" },
	[3] = { "ESRCH", "No such process" },
	[4] = { "EINTR", "Interrupted system call" },
	[5] = { "EIO", "Input/output error" },
	[6] = { "ENXIO", "No such device or address" },
	[7] = { "E2BIG", "Argument list too long" },
	[8] = { "ENOEXEC", "Exec format error" },
	[9] = { "EBADF", "Bad file descriptor" },
	[10] = { "ECHILD", "No child processes" },
	[11] = { "EAGAIN", "Resource temporarily unavailable" },
	[12] = { "ENOMEM", "Cannot allocate memory" },
	[13] = { "EACCES", "Permission denied" },
	[14] = { "EFAULT", "Bad address" },
	[15] = { "ENOTBLK", "Block device required" },
	[16] = { "EBUSY", "Device or resource busy" },
	[17] = { "EEXIST", "File exists" },
	[18] = { "EXDEV", "Invalid cross-device link" },
	[19] = { "ENODEV", "No such device" },
	[20] = { "ENOTDIR", "Not a directory" },
	[21] = { "EISDIR", "Is a directory" },
	[22] = { "EINVAL", "Invalid argument" },
	[23] = { "ENFILE", "Too many open files in system" },
	[24] = { "EMFILE", "Too many open files" },
	[25] = { "ENOTTY", "Inappropriate ioctl for device" },
	[26] = { "ETXTBSY", "Text file busy" },
	[27] = { "EFBIG", "File too large" },
	[28] = { "ENOSPC", "No space left on device" },
	[29] = { "ESPIPE", "Illegal seek" },
	[30] = { "EROFS", "Read-only file system" },
	[31] = { "EMLINK", "Too many links" },
	[32] = { "EPIPE", "Broken pipe" },
	[33] = { "EDOM", "Numerical argument out of domain" },
	[34] = { "ERANGE", "Numerical result out of range" },
	[35] = { "EDEADLK", "Resource deadlock avoided" },
	[36] = { "ENAMETOOLONG", "File name too long" },
	[37] = { "ENOLCK", "No locks available" },
	[38] = { "ENOSYS", "Function not implemented" },
	[39] = { "ENOTEMPTY", "Directory not empty" },
	[40] = { "ELOOP", "Too many levels of symbolic links" },
	[42] = { "ENOMSG", "No message of desired type" },
	[43] = { "EIDRM", "Identifier removed" },
	[44] = { "ECHRNG", "Channel number out of range" },
	[45] = { "EL2NSYNC", "Level 2 not synchronized" },
	[46] = { "EL3HLT", "Level 3 halted" },
	[47] = { "EL3RST", "Level 3 reset" },
	[48] = { "ELNRNG", "Link number out of range" },
	[49] = { "EUNATCH", "Protocol driver not attached" },
	[50] = { "ENOCSI", "No CSI structure available" },
	[51] = { "EL2HLT", "Level 2 halted" },
	[52] = { "EBADE", "Invalid exchange" },
	[53] = { "EBADR", "Invalid request descriptor" },
	[54] = { "EXFULL", "Exchange full" },
	[55] = { "ENOANO", "No anode" },
	[56] = { "EBADRQC", "Invalid request code" },
	[57] = { "EBADSLT", "Invalid slot" },
	[59] = { "EBFONT", "Bad font file format" },
	[60] = { "ENOSTR", "Device not a stream" },
	[61] = { "ENODATA", "No data available" },
	[62] = { "ETIME", "Timer expired" },
	[63] = { "ENOSR", "Out of streams resources" },
	[64] = { "ENONET", "Machine is not on the network" },
	[65] = { "ENOPKG", "Package not installed" },
	[66] = { "EREMOTE", "Object is remote" },
	[67] = { "ENOLINK", "Link has been severed" },
	[68] = { "EADV", "Advertise error" },
	[69] = { "ESRMNT", "Srmount error" },
	[70] = { "ECOMM", "Communication error on send" },
	[71] = { "EPROTO", "Protocol error" },
	[72] = { "EMULTIHOP", "Multihop attempted" },
	[73] = { "EDOTDOT", "RFS specific error" },
	[74] = { "EBADMSG", "Bad message" },
	[75] = { "EOVERFLOW", "Value too large for defined data type" },
	[76] = { "ENOTUNIQ", "Name not unique on network" },
	[77] = { "EBADFD", "File descriptor in bad state" },
	[78] = { "EREMCHG", "Remote address changed" },
	[79] = { "ELIBACC", "Can not access a needed shared library" },
	[80] = { "ELIBBAD", "Accessing a corrupted shared library" },
	[81] = { "ELIBSCN", ".lib section in a.out corrupted" },
	[82] = { "ELIBMAX", "Attempting to link in too many shared libraries" },
	[83] = { "ELIBEXEC", "Cannot exec a shared library directly" },
	[84] = { "EILSEQ", "Invalid or incomplete multibyte or wide character" },
	[85] = { "ERESTART", "Interrupted system call should be restarted" },
	[86] = { "ESTRPIPE", "Streams pipe error" },
	[87] = { "EUSERS", "Too many users" },
	[88] = { "ENOTSOCK", "Socket operation on non-socket" },
	[89] = { "EDESTADDRREQ", "Destination address required" },
	[90] = { "EMSGSIZE", "Message too long" },
	[91] = { "EPROTOTYPE", "Protocol wrong type for socket" },
	[92] = { "ENOPROTOOPT", "Protocol not available" },
	[93] = { "EPROTONOSUPPORT", "Protocol not supported" },
	[94] = { "ESOCKTNOSUPPORT", "Socket type not supported" },
	[95] = { "EOPNOTSUPP", "Operation not supported" },
	[96] = { "EPFNOSUPPORT", "Protocol family not supported" },
	[97] = { "EAFNOSUPPORT", "Address family not supported by protocol" },
	[98] = { "EADDRINUSE", "Address already in use" },
	[99] = { "EADDRNOTAVAIL", "Cannot assign requested address" },
	[100] = { "ENETDOWN", "Network is down" },
	[101] = { "ENETUNREACH", "Network is unreachable" },
	[102] = { "ENETRESET", "Network dropped connection on reset" },
	[103] = { "ECONNABORTED", "Software caused connection abort" },
	[104] = { "ECONNRESET", "Connection reset by peer" },
	[105] = { "ENOBUFS", "No buffer space available" },
	[106] = { "EISCONN", "Transport endpoint is already connected" },
	[107] = { "ENOTCONN", "Transport endpoint is not connected" },
	[108] = { "ESHUTDOWN", "Cannot send after transport endpoint shutdown" },
	[109] = { "ETOOMANYREFS", "Too many references: cannot splice" },
	[110] = { "ETIMEDOUT", "Connection timed out" },
	[111] = { "ECONNREFUSED", "Connection refused" },
	[112] = { "EHOSTDOWN", "Host is down" },
	[113] = { "EHOSTUNREACH", "No route to host" },
	[114] = { "EALREADY", "Operation already in progress" },
	[115] = { "EINPROGRESS", "Operation now in progress" },
	[116] = { "ESTALE", "Stale file handle" },
	[117] = { "EUCLEAN", "Structure needs cleaning" },
	[118] = { "ENOTNAM", "Not a XENIX named type file" },
	[119] = { "ENAVAIL", "No XENIX semaphores available" },
	[120] = { "EISNAM", "Is a named type file" },
	[121] = { "EREMOTEIO", "Remote I/O error" },
	[122] = { "EDQUOT", "Disk quota exceeded" },
	[123] = { "ENOMEDIUM", "No medium found" },
	[124] = { "EMEDIUMTYPE", "Wrong medium type" },
	[125] = { "ECANCELED", "Operation canceled" },
	[126] = { "ENOKEY", "Required key not available" },
	[127] = { "EKEYEXPIRED", "Key has expired" },
	[128] = { "EKEYREVOKED", "Key has been revoked" },
	[129] = { "EKEYREJECTED", "Key was rejected by service" },
	[130] = { "EOWNERDEAD", "Owner died" },
	[131] = { "ENOTRECOVERABLE", "State not recoverable" },
	[132] = { "ERFKILL", "Operation not possible due to RF-kill" },
	[133] = { "EHWPOISON", "Memory page has hardware error" },
};

/* The kernel-internal restart codes strace shows for interrupted calls. */
static const struct {
	int err;
	struct errno_name n;
} errno_restart[] = {
	{ 512, { "ERESTARTSYS", "To be restarted if SA_RESTART is set" } },
	{ 513, { "ERESTARTNOINTR", "To be restarted" } },
	{ 514, { "ERESTARTNOHAND", "To be restarted if no handler" } },
	{ 515, { "ENOIOCTLCMD", "Inappropriate ioctl for device" } },
	{ 516, { "ERESTART_RESTARTBLOCK", "Interrupted by signal" } },
	{ 517, { "EPROBE_DEFER", "Driver requests probe retry" } },
	{ 518, { "EOPENSTALE", "Open found a stale dentry" } },
	{ 519, { "ENOPARAM", "Parameter not supported" } },
	{ 521, { "EBADHANDLE", "Illegal NFS file handle" } },
	{ 524, { "ENOTSUPP", "Operation not supported" } },
};

const char *script_errno_name(int err)
{
	size_t i;

	if (err > 0 && (size_t)err < ARRAY_SIZE(errno_names) &&
	    errno_names[err].name)
		return errno_names[err].name;
	for (i = 0; i < ARRAY_SIZE(errno_restart); i++)
		if (errno_restart[i].err == err)
			return errno_restart[i].n.name;
	return NULL;
}

const char *script_errno_text(int err)
{
	size_t i;

	if (err > 0 && (size_t)err < ARRAY_SIZE(errno_names) &&
	    errno_names[err].name)
		return errno_names[err].text;
	for (i = 0; i < ARRAY_SIZE(errno_restart); i++)
		if (errno_restart[i].err == err)
			return errno_restart[i].n.text;
	return NULL;
}

static int errno_lookup(const char *s, size_t n)
{
	size_t i;

	for (i = 1; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].name && strlen(errno_names[i].name) == n &&
		    !memcmp(errno_names[i].name, s, n))
			return (int)i;
	/* the aliases strace never prints but people write */
	if (n == 11 && !memcmp(s, "EWOULDBLOCK", n))
		return EAGAIN;
	if (n == 9 && !memcmp(s, "EDEADLOCK", n))
		return EDEADLK;
	if (n == 7 && !memcmp(s, "ENOTSUP", n))
		return EOPNOTSUPP;
	for (i = 0; i < ARRAY_SIZE(errno_restart); i++)
		if (strlen(errno_restart[i].n.name) == n &&
		    !memcmp(errno_restart[i].n.name, s, n))
			return errno_restart[i].err;
	return 0;
}

/*
 * Every x86-64 syscall name (uapi asm/unistd_64.h up to 6.18), sorted: a
 * known call the model does not take is kept and skipped, an unknown name
 * is a typo.
 */
static const char *const linux_syscalls[] = {
	"_sysctl", "accept", "accept4", "access", "acct", "add_key",
	"adjtimex", "afs_syscall", "alarm", "arch_prctl", "bind", "bpf",
	"brk", "cachestat", "capget", "capset", "chdir", "chmod", "chown",
	"chroot", "clock_adjtime", "clock_getres", "clock_gettime",
	"clock_nanosleep", "clock_settime", "clone", "clone3", "close",
	"close_range", "connect", "copy_file_range", "creat", "create_module",
	"delete_module", "dup", "dup2", "dup3", "epoll_create",
	"epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait",
	"epoll_pwait2", "epoll_wait", "epoll_wait_old", "eventfd", "eventfd2",
	"execve", "execveat", "exit", "exit_group", "faccessat", "faccessat2",
	"fadvise64", "fallocate", "fanotify_init", "fanotify_mark", "fchdir",
	"fchmod", "fchmodat", "fchmodat2", "fchown", "fchownat", "fcntl",
	"fdatasync", "fgetxattr", "file_getattr", "file_setattr",
	"finit_module", "flistxattr", "flock", "fork", "fremovexattr",
	"fsconfig", "fsetxattr", "fsmount", "fsopen", "fspick", "fstat",
	"fstatfs", "fsync", "ftruncate", "futex", "futex_requeue",
	"futex_wait", "futex_waitv", "futex_wake", "futimesat",
	"get_kernel_syms", "get_mempolicy", "get_robust_list",
	"get_thread_area", "getcpu", "getcwd", "getdents", "getdents64",
	"getegid", "geteuid", "getgid", "getgroups", "getitimer",
	"getpeername", "getpgid", "getpgrp", "getpid", "getpmsg", "getppid",
	"getpriority", "getrandom", "getresgid", "getresuid", "getrlimit",
	"getrusage", "getsid", "getsockname", "getsockopt", "gettid",
	"gettimeofday", "getuid", "getxattr", "getxattrat", "init_module",
	"inotify_add_watch", "inotify_init", "inotify_init1",
	"inotify_rm_watch", "io_cancel", "io_destroy", "io_getevents",
	"io_pgetevents", "io_setup", "io_submit", "io_uring_enter",
	"io_uring_register", "io_uring_setup", "ioctl", "ioperm", "iopl",
	"ioprio_get", "ioprio_set", "kcmp", "kexec_file_load", "kexec_load",
	"keyctl", "kill", "landlock_add_rule", "landlock_create_ruleset",
	"landlock_restrict_self", "lchown", "lgetxattr", "link", "linkat",
	"listen", "listmount", "listxattr", "listxattrat", "llistxattr",
	"lookup_dcookie", "lremovexattr", "lseek", "lsetxattr",
	"lsm_get_self_attr", "lsm_list_modules", "lsm_set_self_attr", "lstat",
	"madvise", "map_shadow_stack", "mbind", "membarrier", "memfd_create",
	"memfd_secret", "migrate_pages", "mincore", "mkdir", "mkdirat",
	"mknod", "mknodat", "mlock", "mlock2", "mlockall", "mmap",
	"modify_ldt", "mount", "mount_setattr", "move_mount", "move_pages",
	"mprotect", "mq_getsetattr", "mq_notify", "mq_open",
	"mq_timedreceive", "mq_timedsend", "mq_unlink", "mremap", "mseal",
	"msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock",
	"munlockall", "munmap", "name_to_handle_at", "nanosleep",
	"newfstatat", "nfsservctl", "open", "open_by_handle_at", "open_tree",
	"open_tree_attr", "openat", "openat2", "pause", "perf_event_open",
	"personality", "pidfd_getfd", "pidfd_open", "pidfd_send_signal",
	"pipe", "pipe2", "pivot_root", "pkey_alloc", "pkey_free",
	"pkey_mprotect", "poll", "ppoll", "prctl", "pread64", "preadv",
	"preadv2", "prlimit64", "process_madvise", "process_mrelease",
	"process_vm_readv", "process_vm_writev", "pselect6", "ptrace",
	"putpmsg", "pwrite64", "pwritev", "pwritev2", "query_module",
	"quotactl", "quotactl_fd", "read", "readahead", "readlink",
	"readlinkat", "readv", "reboot", "recvfrom", "recvmmsg", "recvmsg",
	"remap_file_pages", "removexattr", "removexattrat", "rename",
	"renameat", "renameat2", "request_key", "restart_syscall", "rmdir",
	"rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask",
	"rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend", "rt_sigtimedwait",
	"rt_tgsigqueueinfo", "sched_get_priority_max",
	"sched_get_priority_min", "sched_getaffinity", "sched_getattr",
	"sched_getparam", "sched_getscheduler", "sched_rr_get_interval",
	"sched_setaffinity", "sched_setattr", "sched_setparam",
	"sched_setscheduler", "sched_yield", "seccomp", "security", "select",
	"semctl", "semget", "semop", "semtimedop", "sendfile", "sendmmsg",
	"sendmsg", "sendto", "set_mempolicy", "set_mempolicy_home_node",
	"set_robust_list", "set_thread_area", "set_tid_address",
	"setdomainname", "setfsgid", "setfsuid", "setgid", "setgroups",
	"sethostname", "setitimer", "setns", "setpgid", "setpriority",
	"setregid", "setresgid", "setresuid", "setreuid", "setrlimit",
	"setsid", "setsockopt", "settimeofday", "setuid", "setxattr",
	"setxattrat", "shmat", "shmctl", "shmdt", "shmget", "shutdown",
	"sigaltstack", "signalfd", "signalfd4", "socket", "socketpair",
	"splice", "stat", "statfs", "statmount", "statx", "swapoff", "swapon",
	"symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "sysfs",
	"sysinfo", "syslog", "tee", "tgkill", "time", "timer_create",
	"timer_delete", "timer_getoverrun", "timer_gettime", "timer_settime",
	"timerfd_create", "timerfd_gettime", "timerfd_settime", "times",
	"tkill", "truncate", "tuxcall", "umask", "umount2", "uname", "unlink",
	"unlinkat", "unshare", "uretprobe", "uselib", "userfaultfd", "ustat",
	"utime", "utimensat", "utimes", "vfork", "vhangup", "vmsplice",
	"vserver", "wait4", "waitid", "write", "writev",
};

static int cmp_name(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

static bool is_linux_syscall(const char *name)
{
	if (!strncmp(name, "syscall_", 8))	/* strace's unknown numbers */
		return true;
	return bsearch(name, linux_syscalls, ARRAY_SIZE(linux_syscalls),
		       sizeof(linux_syscalls[0]), cmp_name) != NULL;
}

/* ===================================================================== */
/* Syscalls the model takes                                              */
/* ===================================================================== */

/* How one argument is written and where it goes in the op. */
enum argt {
	T_ADDR,		/* NULL or a number, printed in hex */
	T_NUM,		/* unsigned, printed in decimal */
	T_OFF,		/* unsigned, printed in hex (mmap offset) */
	T_INT,		/* signed decimal */
	T_FD,		/* signed decimal, optional -y "<path>" -> fdpath */
	T_DIRFD,	/* AT_FDCWD or a fd, optional "<path>" -> fdpath */
	T_PROT, T_MAP, T_MREMAP, T_MADV, T_MCL, T_MLOCK, T_MS, T_OFLAGS,
	T_PKEY,
	T_MODE,		/* octal */
	T_STR,		/* "string" -> str */
	T_NAME,		/* "string" or NULL -> str */
	T_PROPT,	/* PR_SET_VMA; anything else makes the prctl OTHER */
	T_PRVMA,	/* PR_SET_VMA_ANON_NAME; likewise */
	T_RES,		/* RLIMIT_* */
	T_RLIM_NEW,	/* {rlim_cur=.., rlim_max=..} | NULL | addr -> rlim[0] */
	T_RLIM_OLD,	/* the same -> rlim[1] */
	T_WBUF,		/* "data" (NULs allowed) -> str, str_len */
	T_RBUF,		/* "data" read (-> str, str_len) or an address */
	T_VEC,		/* mincore's [1, 0, ...] (-> str) or an address */
	T_FALLOC,	/* FALLOC_FL_* */
	T_MFD,		/* MFD_* */
	T_SHMKEY,	/* IPC_PRIVATE or a key (printed in hex) */
	T_SHMGET,	/* IPC_CREAT|...|SHM_HUGE_*|mode */
	T_SHMAT,	/* SHM_RDONLY|... */
	T_SHMCTL,	/* IPC_STAT, ... */
	T_SHMBUF,	/* NULL, an address or {shm_perm={...}, ...} -> str */
	T_MNTSRC,	/* mount's source: "string" or NULL, not kept */
	T_FSTYPE,	/* "hugetlbfs"; any other makes the call OTHER */
	T_MNTFLAGS,	/* MS_* */
	T_MNTDATA,	/* "options" or NULL -> str2 */
	T_UMNT,		/* MNT_* */
	T_STATFSBUF,	/* an address or {f_type=..., ...} -> str2 */
	T_NONE,
};

struct sys_desc {
	const char *name;
	unsigned char min, max;
	bool ret_addr;
	unsigned char t[SCRIPT_MAX_ARGS];
};

static const struct sys_desc sys_desc[SCRIPT_SYS_COUNT] = {
	[SCRIPT_SYS_MMAP] = { "mmap", 6, 6, true,
		{ T_ADDR, T_NUM, T_PROT, T_MAP, T_FD, T_OFF } },
	[SCRIPT_SYS_MUNMAP] = { "munmap", 2, 2, false, { T_ADDR, T_NUM } },
	[SCRIPT_SYS_MPROTECT] = { "mprotect", 3, 3, false,
		{ T_ADDR, T_NUM, T_PROT } },
	[SCRIPT_SYS_PKEY_MPROTECT] = { "pkey_mprotect", 4, 4, false,
		{ T_ADDR, T_NUM, T_PROT, T_INT } },
	[SCRIPT_SYS_PKEY_ALLOC] = { "pkey_alloc", 2, 2, false,
		{ T_NUM, T_PKEY } },
	[SCRIPT_SYS_PKEY_FREE] = { "pkey_free", 1, 1, false, { T_INT } },
	[SCRIPT_SYS_MREMAP] = { "mremap", 4, 5, true,
		{ T_ADDR, T_NUM, T_NUM, T_MREMAP, T_ADDR } },
	[SCRIPT_SYS_BRK] = { "brk", 1, 1, true, { T_ADDR } },
	[SCRIPT_SYS_MADVISE] = { "madvise", 3, 3, false,
		{ T_ADDR, T_NUM, T_MADV } },
	[SCRIPT_SYS_MLOCK] = { "mlock", 2, 2, false, { T_ADDR, T_NUM } },
	[SCRIPT_SYS_MLOCK2] = { "mlock2", 3, 3, false,
		{ T_ADDR, T_NUM, T_MLOCK } },
	[SCRIPT_SYS_MUNLOCK] = { "munlock", 2, 2, false, { T_ADDR, T_NUM } },
	[SCRIPT_SYS_MLOCKALL] = { "mlockall", 1, 1, false, { T_MCL } },
	[SCRIPT_SYS_MUNLOCKALL] = { "munlockall", 0, 0, false, { T_NONE } },
	[SCRIPT_SYS_MSYNC] = { "msync", 3, 3, false,
		{ T_ADDR, T_NUM, T_MS } },
	[SCRIPT_SYS_MSEAL] = { "mseal", 3, 3, false,
		{ T_ADDR, T_NUM, T_NUM } },
	[SCRIPT_SYS_OPEN] = { "open", 2, 3, false,
		{ T_STR, T_OFLAGS, T_MODE } },
	[SCRIPT_SYS_OPENAT] = { "openat", 3, 4, false,
		{ T_DIRFD, T_STR, T_OFLAGS, T_MODE } },
	[SCRIPT_SYS_CLOSE] = { "close", 1, 1, false, { T_FD } },
	[SCRIPT_SYS_FTRUNCATE] = { "ftruncate", 2, 2, false,
		{ T_FD, T_NUM } },
	[SCRIPT_SYS_PRCTL] = { "prctl", 5, 5, false,
		{ T_PROPT, T_PRVMA, T_ADDR, T_NUM, T_NAME } },
	[SCRIPT_SYS_SETRLIMIT] = { "setrlimit", 2, 2, false,
		{ T_RES, T_RLIM_NEW } },
	[SCRIPT_SYS_GETRLIMIT] = { "getrlimit", 2, 2, false,
		{ T_RES, T_RLIM_OLD } },
	[SCRIPT_SYS_PRLIMIT64] = { "prlimit64", 4, 4, false,
		{ T_INT, T_RES, T_RLIM_NEW, T_RLIM_OLD } },
	[SCRIPT_SYS_READ] = { "read", 3, 3, false, { T_FD, T_RBUF, T_NUM } },
	[SCRIPT_SYS_WRITE] = { "write", 3, 3, false, { T_FD, T_WBUF, T_NUM } },
	[SCRIPT_SYS_PREAD64] = { "pread64", 4, 4, false,
		{ T_FD, T_RBUF, T_NUM, T_INT } },
	[SCRIPT_SYS_PWRITE64] = { "pwrite64", 4, 4, false,
		{ T_FD, T_WBUF, T_NUM, T_INT } },
	[SCRIPT_SYS_FALLOCATE] = { "fallocate", 4, 4, false,
		{ T_FD, T_FALLOC, T_INT, T_INT } },
	[SCRIPT_SYS_MEMFD_CREATE] = { "memfd_create", 2, 2, false,
		{ T_STR, T_MFD } },
	[SCRIPT_SYS_MINCORE] = { "mincore", 3, 3, false,
		{ T_ADDR, T_NUM, T_VEC } },
	[SCRIPT_SYS_SWAPON] = { "swapon", 2, 2, false, { T_STR, T_NUM } },
	[SCRIPT_SYS_SWAPOFF] = { "swapoff", 1, 1, false, { T_STR } },
	[SCRIPT_SYS_SHMGET] = { "shmget", 3, 3, false,
		{ T_SHMKEY, T_NUM, T_SHMGET } },
	[SCRIPT_SYS_SHMAT] = { "shmat", 3, 3, true,
		{ T_INT, T_ADDR, T_SHMAT } },
	[SCRIPT_SYS_SHMDT] = { "shmdt", 1, 1, false, { T_ADDR } },
	[SCRIPT_SYS_SHMCTL] = { "shmctl", 3, 3, false,
		{ T_INT, T_SHMCTL, T_SHMBUF } },
	[SCRIPT_SYS_MOUNT] = { "mount", 5, 5, false,
		{ T_MNTSRC, T_STR, T_FSTYPE, T_MNTFLAGS, T_MNTDATA } },
	[SCRIPT_SYS_UMOUNT2] = { "umount2", 2, 2, false, { T_STR, T_UMNT } },
	[SCRIPT_SYS_STATFS] = { "statfs", 2, 2, false,
		{ T_STR, T_STATFSBUF } },
};

const char *script_sys_name(enum script_sys sys)
{
	return (unsigned)sys < SCRIPT_SYS_COUNT ? sys_desc[sys].name : "?";
}

int script_sys_min_args(enum script_sys sys)
{
	return (unsigned)sys < SCRIPT_SYS_COUNT ? sys_desc[sys].min : 0;
}

int script_sys_max_args(enum script_sys sys)
{
	return (unsigned)sys < SCRIPT_SYS_COUNT ? sys_desc[sys].max : 0;
}

bool script_sys_returns_addr(enum script_sys sys)
{
	return (unsigned)sys < SCRIPT_SYS_COUNT && sys_desc[sys].ret_addr;
}

int script_sys_lookup(const char *name)
{
	int i;

	for (i = 0; i < SCRIPT_SYS_COUNT; i++)
		if (!strcmp(sys_desc[i].name, name))
			return i;
	return -1;
}

/* ===================================================================== */
/* Ops                                                                   */
/* ===================================================================== */

void script_op_init(struct mmsim_op *op)
{
	memset(op, 0, sizeof(*op));
	op->pid = -1;
}

void script_op_release(struct mmsim_op *op)
{
	free(op->str);
	free(op->str2);
	free(op->fdpath);
	free(op->retpath);
	script_op_init(op);
}

void script_op_set_result(struct mmsim_op *op, long ret)
{
	if (ret < 0 && ret >= -4095) {	/* IS_ERR_VALUE() */
		op->res = SCRIPT_RES_ERROR;
		op->err = (int)-ret;
		op->ret = 0;
	} else {
		op->res = SCRIPT_RES_VALUE;
		op->ret = (uint64_t)ret;
		op->err = 0;
	}
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

bool script_op_equal(const struct mmsim_op *a, const struct mmsim_op *b)
{
	int i;

	if (a->kind != b->kind || a->nargs != b->nargs || a->pid != b->pid ||
	    a->res != b->res || a->str_truncated != b->str_truncated ||
	    a->ext_set != b->ext_set)
		return false;
	if (a->kind == MMSIM_OP_SYSCALL && a->sys != b->sys)
		return false;
	for (i = 0; i < SCRIPT_MAX_ARGS; i++)
		if (a->arg[i] != b->arg[i])
			return false;
	for (i = 0; i < SCRIPT_IMP_COUNT; i++)
		if (a->ext[i] != b->ext[i])
			return false;
	for (i = 0; i < 2; i++)
		if (a->rlim[i].form != b->rlim[i].form ||
		    a->rlim[i].cur != b->rlim[i].cur ||
		    a->rlim[i].max != b->rlim[i].max)
			return false;
	if (a->res == SCRIPT_RES_VALUE && a->ret != b->ret)
		return false;
	if (a->res == SCRIPT_RES_ERROR && a->err != b->err)
		return false;
	if (a->str_len != b->str_len ||
	    (a->str_len && memcmp(a->str, b->str, a->str_len)))
		return false;
	return (a->str_len || str_eq(a->str, b->str)) &&
	       str_eq(a->str2, b->str2) && str_eq(a->fdpath, b->fdpath) &&
	       str_eq(a->retpath, b->retpath);
}

void script_diag_print(FILE *f, const char *file, const struct script_diag *d)
{
	if (d->col > 0)
		fprintf(f, "%s:%d:%d: %s\n", file ? file : "<stdin>", d->line,
			d->col, d->msg);
	else
		fprintf(f, "%s:%d: %s\n", file ? file : "<stdin>", d->line,
			d->msg);
}

/* ===================================================================== */
/* A growable string                                                     */
/* ===================================================================== */

struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static bool sb_reserve(struct sbuf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1) {
		if (cap > SIZE_MAX / 2) {
			b->oom = true;
			return false;
		}
		cap *= 2;
	}
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

static void sb_putn(struct sbuf *b, const char *s, size_t n)
{
	if (!sb_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_puts(struct sbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void sb_putc(struct sbuf *b, char c)
{
	sb_putn(b, &c, 1);
}

__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sb_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Hands the text over (NULL when out of memory); b is empty afterwards. */
static char *sb_take(struct sbuf *b)
{
	char *p = b->p;

	if (b->oom || !p) {
		free(p);
		p = b->oom ? NULL : strdup("");
	}
	memset(b, 0, sizeof(*b));
	return p;
}

static void sb_free(struct sbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static char *memdup_str(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* ===================================================================== */
/* Lexer                                                                 */
/* ===================================================================== */

/* text[at..] came from this line, starting at column col0: a call joined
 * from "<unfinished ...>" and "<... resumed>" spans two lines. */
struct seg {
	size_t at;
	int line, col0;
};

struct lexer {
	const char *s;
	size_t n, i;
	const struct seg *segs;
	int nsegs;
	struct script_diag *diag;
};

static void lx_pos(const struct lexer *lx, size_t at, int *line, int *col)
{
	int k = lx->nsegs - 1;
	size_t d;

	while (k > 0 && lx->segs[k].at > at)
		k--;
	d = at - lx->segs[k].at;
	*line = lx->segs[k].line;
	*col = d > INT_MAX / 2 ? INT_MAX / 2 : lx->segs[k].col0 + (int)d;
}

__attribute__((format(printf, 3, 4)))
static int lx_err(struct lexer *lx, size_t at, const char *fmt, ...)
{
	va_list ap;

	lx_pos(lx, at, &lx->diag->line, &lx->diag->col);
	va_start(ap, fmt);
	vsnprintf(lx->diag->msg, sizeof(lx->diag->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int lx_peek(const struct lexer *lx)
{
	return lx->i < lx->n ? (unsigned char)lx->s[lx->i] : -1;
}

static int lx_peek_at(const struct lexer *lx, size_t at)
{
	return at < lx->n ? (unsigned char)lx->s[at] : -1;
}

static bool is_space(int c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident(int c)
{
	return is_ident_start(c) || is_digit(c);
}

static void lx_ws(struct lexer *lx)
{
	while (lx->i < lx->n && is_space((unsigned char)lx->s[lx->i]))
		lx->i++;
}

/* Length of the identifier at at (0 if none). */
static size_t lx_ident_len(const struct lexer *lx, size_t at)
{
	size_t n = 0;

	if (!is_ident_start(lx_peek_at(lx, at)))
		return 0;
	while (is_ident(lx_peek_at(lx, at + n)))
		n++;
	return n;
}

static bool lx_word_is(const struct lexer *lx, size_t at, size_t len,
		       const char *w)
{
	return strlen(w) == len && !memcmp(lx->s + at, w, len);
}

/* "'mmpa'", "'('", "end of line": the token at at, for messages. */
static const char *lx_what(const struct lexer *lx, size_t at, char *buf,
			   size_t size)
{
	int c = lx_peek_at(lx, at);
	size_t n = 0;

	if (c < 0)
		return "end of line";
	if (is_ident(c)) {
		while (n < 40 && is_ident(lx_peek_at(lx, at + n)))
			n++;
		snprintf(buf, size, "'%.*s%s'", (int)n, lx->s + at,
			 is_ident(lx_peek_at(lx, at + n)) ? "..." : "");
	} else if (c > 0x20 && c < 0x7f) {
		snprintf(buf, size, "'%c'", c);
	} else {
		snprintf(buf, size, "byte 0x%02x", (unsigned)c);
	}
	return buf;
}

static const char *article(const char *what)
{
	return strchr("aeiouAEIOU", what[0]) ? "an" : "a";
}

/*
 * A number at *i: decimal, 0x hex or 0 octal. Returns 0, 1 (not a number),
 * 2 (too large) or 3 (malformed, e.g. "09" or "12ab").
 */
static int scan_number(const char *s, size_t n, size_t *i, uint64_t *v)
{
	size_t p = *i;
	uint64_t x = 0;
	unsigned base = 10;
	bool any = false;

	if (p >= n || !is_digit((unsigned char)s[p]))
		return 1;
	if (s[p] == '0' && p + 1 < n && (s[p + 1] == 'x' || s[p + 1] == 'X')) {
		base = 16;
		p += 2;
	} else if (s[p] == '0') {
		base = 8;
		p++;
		any = true;
	}
	for (; p < n; p++) {
		int c = (unsigned char)s[p];
		unsigned d;

		if (is_digit(c))
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (d >= base)
			break;
		if (x > (UINT64_MAX - d) / base)
			return 2;
		x = x * base + d;
		any = true;
	}
	if (!any || (p < n && is_ident((unsigned char)s[p])))
		return 3;
	*i = p;
	*v = x;
	return 0;
}

static int lx_number(struct lexer *lx, uint64_t *v)
{
	size_t st = lx->i;
	char what[64];

	switch (scan_number(lx->s, lx->n, &lx->i, v)) {
	case 0:
		return 0;
	case 1:
		return lx_err(lx, st, "expected a number, got %s",
			      lx_what(lx, st, what, sizeof(what)));
	case 2:
		return lx_err(lx, st, "number too large for 64 bits");
	default:
		return lx_err(lx, st, "malformed number");
	}
}

/* factor := ['-'] NUMBER | NAME (a name of family f) */
static int lx_factor(struct lexer *lx, enum fam f, uint64_t *out)
{
	const struct family *fa = &families[f];
	size_t st = lx->i, n;
	const struct name_val *nv;
	char what[64];
	bool neg = false;
	int owner;

	if (lx_peek(lx) == '-') {
		neg = true;
		lx->i++;
	}
	if (is_digit(lx_peek(lx))) {
		if (lx_number(lx, out))
			return -1;
		if (neg) {
			if (*out > (1ULL << 63))
				return lx_err(lx, st, "number too small for 64 bits");
			*out = 0 - *out;
		}
		return 0;
	}
	if (neg)
		return lx_err(lx, lx->i, "expected a number after '-'");
	n = lx_ident_len(lx, st);
	if (!n)
		return lx_err(lx, st, "expected %s %s, got %s",
			      article(fa->what), fa->what,
			      lx_what(lx, st, what, sizeof(what)));
	nv = family_find(f, lx->s + st, n);
	if (!nv) {
		owner = family_owner(lx->s + st, n);
		if (n > 64)
			n = 64;
		if (owner >= 0 || f == FAM_NUM)
			return lx_err(lx, st, "'%.*s' is not valid here "
				      "(expected %s %s)", (int)n, lx->s + st,
				      article(fa->what), fa->what);
		return lx_err(lx, st, "unknown %s '%.*s'", fa->what, (int)n,
			      lx->s + st);
	}
	lx->i = st + n;
	*out = nv->val;
	return 0;
}

/*
 * expr := term ('|' term)*    term := factor (('*' | '<<') factor)*
 * Covers strace's "PROT_READ|PROT_WRITE", "8192*1024" and
 * "MAP_HUGETLB|21<<MAP_HUGE_SHIFT".
 */
static int lx_expr(struct lexer *lx, enum fam f, uint64_t *out)
{
	uint64_t acc = 0, t, r;
	size_t at;

	for (;;) {
		lx_ws(lx);
		if (lx_factor(lx, f, &t))
			return -1;
		for (;;) {
			lx_ws(lx);
			if (lx_peek(lx) == '*') {
				lx->i++;
				lx_ws(lx);
				at = lx->i;
				if (lx_factor(lx, f, &r))
					return -1;
				if (r && t > UINT64_MAX / r)
					return lx_err(lx, at, "product too large for 64 bits");
				t *= r;
			} else if (lx_peek(lx) == '<' &&
				   lx_peek_at(lx, lx->i + 1) == '<') {
				lx->i += 2;
				lx_ws(lx);
				at = lx->i;
				if (lx_factor(lx, f, &r))
					return -1;
				if (r >= 64 || (r && (t >> (64 - r))))
					return lx_err(lx, at, "shift too large for 64 bits");
				t <<= r;
			} else {
				break;
			}
		}
		acc |= t;
		if (lx_peek(lx) != '|')
			break;
		lx->i++;
	}
	*out = acc;
	return 0;
}

/* Skips blanks and strace -X verbose's comments. */
static int lx_skip_comments(struct lexer *lx)
{
	size_t st, p;

	for (;;) {
		lx_ws(lx);
		if (lx_peek(lx) != '/' || lx_peek_at(lx, lx->i + 1) != '*')
			return 0;
		st = lx->i;
		for (p = st + 2; p + 1 < lx->n; p++)
			if (lx->s[p] == '*' && lx->s[p + 1] == '/')
				break;
		if (p + 1 >= lx->n)
			return lx_err(lx, st, "unterminated comment");
		lx->i = p + 2;
	}
}

static int hex_val(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A string as strace writes it: "..." with C escapes, \ooo and \xhh, and
 * a trailing "..." when strace cut it short.
 */
static int lx_string_n(struct lexer *lx, char **out, bool *trunc,
		       size_t *len, bool allow_nul)
{
	struct sbuf b = { 0 };
	size_t st = lx->i, esc;
	int c, v, k;

	if (lx_peek(lx) != '"') {
		char what[64];

		return lx_err(lx, st, "expected a \"string\", got %s",
			      lx_what(lx, st, what, sizeof(what)));
	}
	lx->i++;
	sb_putn(&b, "", 0);
	for (;;) {
		if (lx->i >= lx->n) {
			sb_free(&b);
			return lx_err(lx, st, "unterminated string");
		}
		c = (unsigned char)lx->s[lx->i];
		if (c == '"') {
			lx->i++;
			break;
		}
		if (c != '\\') {
			sb_putc(&b, (char)c);
			lx->i++;
			continue;
		}
		esc = lx->i++;
		c = lx_peek(lx);
		lx->i++;
		switch (c) {
		case 'a': v = '\a'; break;
		case 'b': v = '\b'; break;
		case 'f': v = '\f'; break;
		case 'n': v = '\n'; break;
		case 'r': v = '\r'; break;
		case 't': v = '\t'; break;
		case 'v': v = '\v'; break;
		case '\\': case '"': case '\'': case '?': v = c; break;
		case 'x':
			v = 0;
			for (k = 0; k < 2 && hex_val(lx_peek(lx)) >= 0; k++)
				v = v * 16 + hex_val((unsigned char)lx->s[lx->i++]);
			if (!k) {
				sb_free(&b);
				return lx_err(lx, esc, "bad \\x escape");
			}
			break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7':
			v = c - '0';
			for (k = 1; k < 3 && lx_peek(lx) >= '0' && lx_peek(lx) <= '7'; k++)
				v = v * 8 + (lx->s[lx->i++] - '0');
			if (v > 255) {
				sb_free(&b);
				return lx_err(lx, esc, "octal escape out of range");
			}
			break;
		default:
			sb_free(&b);
			if (c < 0)
				return lx_err(lx, st, "unterminated string");
			return lx_err(lx, esc, "unknown escape in string");
		}
		if (v == 0 && !allow_nul) {
			sb_free(&b);
			return lx_err(lx, esc, "NUL byte in string");
		}
		sb_putc(&b, (char)v);
	}
	if (lx->n - lx->i >= 3 && !memcmp(lx->s + lx->i, "...", 3)) {
		*trunc = true;
		lx->i += 3;
	}
	if (len)
		*len = b.len;
	free(*out);
	*out = sb_take(&b);
	if (!*out)
		return lx_err(lx, st, "out of memory");
	return 0;
}

static int lx_string(struct lexer *lx, char **out, bool *trunc)
{
	return lx_string_n(lx, out, trunc, NULL, false);
}

/* mincore's vector "[1, 0, 1]" as strace prints it, or "[...]". */
static int lx_vec(struct lexer *lx, struct mmsim_op *op)
{
	struct sbuf b = { 0 };
	size_t st = lx->i;
	uint64_t v;

	lx->i++;	/* '[' */
	sb_putn(&b, "", 0);
	lx_ws(lx);
	if (lx->n - lx->i >= 3 && !memcmp(lx->s + lx->i, "...", 3)) {
		lx->i += 3;
		op->str_truncated = true;
		lx_ws(lx);
	}
	while (lx_peek(lx) != ']') {
		if (lx_number(lx, &v)) {
			sb_free(&b);
			return -1;
		}
		sb_putc(&b, (char)v);
		lx_ws(lx);
		if (lx_peek(lx) == ',') {
			lx->i++;
			lx_ws(lx);
			if (lx->n - lx->i >= 3 &&
			    !memcmp(lx->s + lx->i, "...", 3)) {
				lx->i += 3;
				op->str_truncated = true;
				lx_ws(lx);
			}
			continue;
		}
		if (lx_peek(lx) != ']') {
			sb_free(&b);
			return lx_err(lx, st, "unterminated [vector]");
		}
	}
	lx->i++;
	op->str_len = b.len;
	free(op->str);
	op->str = sb_take(&b);
	if (!op->str)
		return lx_err(lx, st, "out of memory");
	return 0;
}

/* strace -y: "<path>" after a fd; -yy nests "<char 1:3>" inside it. */
static int lx_annotation(struct lexer *lx, char **out)
{
	size_t st = lx->i, start = st + 1, pend = SIZE_MAX, p;
	int depth = 1;

	for (p = start; p < lx->n; p++) {
		if (lx->s[p] == '<') {
			if (depth == 1 && pend == SIZE_MAX)
				pend = p;
			depth++;
		} else if (lx->s[p] == '>' && --depth == 0) {
			break;
		}
	}
	if (p >= lx->n)
		return lx_err(lx, st, "unterminated '<' annotation");
	free(*out);
	*out = memdup_str(lx->s + start, (pend != SIZE_MAX ? pend : p) - start);
	lx->i = p + 1;
	if (!*out)
		return lx_err(lx, st, "out of memory");
	/* strace 6.1 writes a deleted file as "3</memfd:x>(deleted)"; kept
	 * as readlink() gives it, "/memfd:x (deleted)" */
	if (lx->n - lx->i >= 9 && !memcmp(lx->s + lx->i, "(deleted)", 9)) {
		size_t k = strlen(*out);
		char *d = realloc(*out, k + 11);

		if (!d)
			return lx_err(lx, st, "out of memory");
		memcpy(d + k, " (deleted)", 11);
		*out = d;
		lx->i += 9;
	}
	return 0;
}

/* A fd (or AT_FDCWD), with its -y path if any. */
static int lx_fd(struct lexer *lx, bool dirfd, uint64_t *v, char **path)
{
	if (lx_factor(lx, dirfd ? FAM_AT : FAM_NUM, v) ||
	    lx_skip_comments(lx))	/* -X verbose puts a comment first */
		return -1;
	if (lx_peek(lx) == '<')
		return lx_annotation(lx, path);
	return 0;
}

static int lx_expect(struct lexer *lx, const char *tok)
{
	size_t n = strlen(tok);
	char what[64];

	if (lx_skip_comments(lx))
		return -1;
	if (lx->n - lx->i >= n && !memcmp(lx->s + lx->i, tok, n)) {
		lx->i += n;
		return 0;
	}
	return lx_err(lx, lx->i, "expected '%s', got %s", tok,
		      lx_what(lx, lx->i, what, sizeof(what)));
}

/* {rlim_cur=.., rlim_max=..}, NULL, or the address strace could not read */
static int lx_rlim(struct lexer *lx, struct script_rlim *r)
{
	size_t n;

	lx_ws(lx);
	if (lx_peek(lx) == '{') {
		lx->i++;
		if (lx_expect(lx, "rlim_cur") || lx_expect(lx, "=") ||
		    lx_expr(lx, FAM_RLIM_VAL, &r->cur) || lx_expect(lx, ",") ||
		    lx_expect(lx, "rlim_max") || lx_expect(lx, "=") ||
		    lx_expr(lx, FAM_RLIM_VAL, &r->max) || lx_expect(lx, "}"))
			return -1;
		r->form = SCRIPT_RLIM_STRUCT;
		return 0;
	}
	n = lx_ident_len(lx, lx->i);
	if (n && lx_word_is(lx, lx->i, n, "NULL")) {
		lx->i += n;
		r->form = SCRIPT_RLIM_NULL;
		return 0;
	}
	if (lx_expr(lx, FAM_NUM, &r->cur))
		return -1;
	r->form = r->cur ? SCRIPT_RLIM_ADDR : SCRIPT_RLIM_NULL;
	return 0;
}

/*
 * strace's struct shmid_ds, "{shm_perm={uid=0, gid=0, mode=0600, key=0,
 * cuid=0, cgid=0}, shm_segsz=4096, ...}" (or "{...}"): uid, gid and mode
 * go into a 112-byte struct shmid64_ds in op->str, the other fields are
 * what the call returned and are skipped.
 */
static int lx_shmid_ds(struct lexer *lx, struct mmsim_op *op)
{
	uint32_t uid = 0, gid = 0, mode = 0;
	int depth = 0;

	for (;;) {
		size_t n;
		int c;

		lx_ws(lx);
		c = lx_peek(lx);
		if (c == '{') {
			depth++;
			lx->i++;
		} else if (c == '}') {
			lx->i++;
			if (--depth == 0)
				break;
		} else if (c == ',' || c == '.') {
			lx->i++;
		} else if ((n = lx_ident_len(lx, lx->i)) != 0) {
			uint64_t v;
			bool want = lx_word_is(lx, lx->i, n, "uid") ||
				    lx_word_is(lx, lx->i, n, "gid") ||
				    lx_word_is(lx, lx->i, n, "mode");
			char which = lx->s[lx->i];

			lx->i += n;
			if (lx_expect(lx, "="))
				return -1;
			lx_ws(lx);
			if (lx_peek(lx) == '{')
				continue;
			if (lx_peek(lx) == '"') {
				char *junk = NULL;
				bool tr;

				if (lx_string(lx, &junk, &tr))
					return -1;
				free(junk);
				continue;
			}
			if (lx_expr(lx, FAM_SHMKEY, &v))
				return -1;
			if (want && which == 'u')
				uid = (uint32_t)v;
			else if (want && which == 'g')
				gid = (uint32_t)v;
			else if (want)
				mode = (uint32_t)v;
		} else {
			char what[64];

			return lx_err(lx, lx->i, "expected a struct shmid_ds "
				      "field, got %s",
				      lx_what(lx, lx->i, what, sizeof(what)));
		}
	}
	free(op->str);
	op->str = calloc(1, 112);
	if (!op->str)
		return lx_err(lx, lx->i, "out of memory");
	memcpy(op->str + 4, &uid, 4);
	memcpy(op->str + 8, &gid, 4);
	memcpy(op->str + 20, &mode, 2);
	op->str_len = 112;
	return 0;
}

/* ===================================================================== */
/* Parser: syscalls                                                      */
/* ===================================================================== */

#define CALL_OTHER 1	/* parse_arg: the call is not one the model takes */

static int parse_arg(struct lexer *lx, enum argt t, struct mmsim_op *op,
		     int k)
{
	uint64_t *v = &op->arg[k];
	size_t n;

	switch (t) {
	case T_ADDR:
		return lx_expr(lx, FAM_ADDR, v);
	case T_NUM:
	case T_OFF:
	case T_INT:
	case T_MODE:
	case T_NONE:
		return lx_expr(lx, FAM_NUM, v);
	case T_FD:
		return lx_fd(lx, false, v, &op->fdpath);
	case T_DIRFD:
		return lx_fd(lx, true, v, &op->fdpath);
	case T_PROT:
		return lx_expr(lx, FAM_PROT, v);
	case T_MAP:
		return lx_expr(lx, FAM_MAP, v);
	case T_MREMAP:
		return lx_expr(lx, FAM_MREMAP, v);
	case T_MADV:
		return lx_expr(lx, FAM_MADV, v);
	case T_MCL:
		return lx_expr(lx, FAM_MCL, v);
	case T_MLOCK:
		return lx_expr(lx, FAM_MLOCK, v);
	case T_MS:
		return lx_expr(lx, FAM_MS, v);
	case T_OFLAGS:
		return lx_expr(lx, FAM_O, v);
	case T_PKEY:
		return lx_expr(lx, FAM_PKEY, v);
	case T_RES:
		return lx_expr(lx, FAM_RLIMIT, v);
	case T_STR:
		return lx_string(lx, &op->str, &op->str_truncated);
	case T_NAME:
		n = lx_ident_len(lx, lx->i);
		if (n && lx_word_is(lx, lx->i, n, "NULL")) {
			lx->i += n;
			return 0;
		}
		return lx_string(lx, &op->str, &op->str_truncated);
	case T_PROPT:
	case T_PRVMA:
		/* Only prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ...) is
		 * modelled; every other prctl is kept as text. */
		n = lx_ident_len(lx, lx->i);
		if (n && !family_find(t == T_PROPT ? FAM_PR : FAM_PR_VMA,
				      lx->s + lx->i, n))
			return CALL_OTHER;
		if (lx_expr(lx, t == T_PROPT ? FAM_PR : FAM_PR_VMA, v))
			return -1;
		if (*v != (t == T_PROPT ? S_PR_SET_VMA : S_PR_SET_VMA_ANON_NAME))
			return CALL_OTHER;
		return 0;
	case T_RLIM_NEW:
		return lx_rlim(lx, &op->rlim[0]);
	case T_RLIM_OLD:
		return lx_rlim(lx, &op->rlim[1]);
	case T_WBUF:
		return lx_string_n(lx, &op->str, &op->str_truncated,
				   &op->str_len, true);
	case T_RBUF:
	case T_VEC:
		if (lx_peek(lx) != (t == T_RBUF ? '"' : '['))
			return lx_expr(lx, FAM_ADDR, v);
		if (t == T_RBUF ? lx_string_n(lx, &op->str, &op->str_truncated,
					      &op->str_len, true) :
				  lx_vec(lx, op))
			return -1;
		if (!op->str_len) {
			/* ""... and [...]: the data were not shown */
			free(op->str);
			op->str = NULL;
			op->str_truncated = false;
		}
		return 0;
	case T_FALLOC:
		return lx_expr(lx, FAM_FALLOC, v);
	case T_MFD:
		return lx_expr(lx, FAM_MFD, v);
	case T_SHMKEY:
		return lx_expr(lx, FAM_SHMKEY, v);
	case T_SHMGET:
		return lx_expr(lx, FAM_SHMGET, v);
	case T_SHMAT:
		return lx_expr(lx, FAM_SHMAT, v);
	case T_SHMCTL:
		return lx_expr(lx, FAM_SHMCTL, v);
	case T_SHMBUF:
		lx_ws(lx);
		if (lx_peek(lx) != '{')
			return lx_expr(lx, FAM_ADDR, v);
		return lx_shmid_ds(lx, op);
	case T_MNTSRC:
	case T_FSTYPE:
	case T_MNTDATA: {
		char *junk = NULL, **dst = t == T_MNTDATA ? &op->str2 : &junk;
		bool tr;

		n = lx_ident_len(lx, lx->i);
		if (n && lx_word_is(lx, lx->i, n, "NULL")) {
			lx->i += n;
			return t == T_FSTYPE ? CALL_OTHER : 0;
		}
		if (lx_string(lx, dst, &tr))
			return -1;
		if (t == T_FSTYPE && strcmp(junk, "hugetlbfs")) {
			free(junk);
			return CALL_OTHER;	/* only hugetlbfs is modelled */
		}
		free(junk);
		return 0;
	}
	case T_MNTFLAGS:
		return lx_expr(lx, FAM_MOUNT, v);
	case T_UMNT:
		return lx_expr(lx, FAM_UMOUNT, v);
	case T_STATFSBUF: {
		/* strace's struct statfs, kept whole: {..., f_fsid={...}} */
		size_t start, depth = 0;
		bool quoted = false;

		lx_ws(lx);
		if (lx_peek(lx) != '{')
			return lx_expr(lx, FAM_ADDR, v);
		start = lx->i;
		for (; lx->i < lx->n; lx->i++) {
			char c = lx->s[lx->i];

			if (quoted) {
				if (c == '\\')
					lx->i++;
				else if (c == '"')
					quoted = false;
			} else if (c == '"') {
				quoted = true;
			} else if (c == '{') {
				depth++;
			} else if (c == '}' && --depth == 0) {
				lx->i++;
				break;
			}
		}
		if (depth)
			return lx_err(lx, start, "unterminated struct statfs");
		free(op->str2);
		op->str2 = memdup_str(lx->s + start, lx->i - start);
		return op->str2 ? 0 : lx_err(lx, start, "out of memory");
	}
	}
	return -1;
}

static int parse_args(struct lexer *lx, const struct sys_desc *d,
		      struct mmsim_op *op)
{
	char what[64];
	int k = 0, line, col, rc;
	size_t at;

	lx_ws(lx);
	if (lx_peek(lx) == ')') {
		lx->i++;
	} else {
		for (;;) {
			if (lx_skip_comments(lx))
				return -1;
			at = lx->i;
			if (k >= d->max)
				return lx_err(lx, at, "too many arguments: %s takes %d",
					      d->name, d->max);
			lx_pos(lx, at, &line, &col);
			op->argcol[k] = line == op->line ? col : 0;
			rc = parse_arg(lx, (enum argt)d->t[k], op, k);
			if (rc)
				return rc;
			k++;
			if (lx_skip_comments(lx))
				return -1;
			if (lx_peek(lx) == ',') {
				lx->i++;
				continue;
			}
			if (lx_peek(lx) == ')') {
				lx->i++;
				break;
			}
			return lx_err(lx, lx->i, "expected ',' or ')' after "
				      "argument %d of %s, got %s", k, d->name,
				      lx_what(lx, lx->i, what, sizeof(what)));
		}
	}
	op->nargs = k;
	if (k < d->min)
		return lx_err(lx, lx->i - 1, "%s takes %s%d argument%s, got %d",
			      d->name, d->min == d->max ? "" : "at least ",
			      d->min, d->min == 1 ? "" : "s", k);
	return 0;
}

/* Skips "(...)" at lx->i, e.g. "(Cannot allocate memory)". */
static int skip_parens(struct lexer *lx)
{
	size_t st = lx->i, p;
	int depth = 0;

	for (p = st; p < lx->n; p++) {
		if (lx->s[p] == '(')
			depth++;
		else if (lx->s[p] == ')' && --depth == 0)
			break;
	}
	if (p >= lx->n)
		return lx_err(lx, st, "unterminated '('");
	lx->i = p + 1;
	return 0;
}

/* " = RESULT" (optional) */
static int parse_result(struct lexer *lx, struct mmsim_op *op)
{
	char what[64];
	uint64_t v;
	size_t at, n;
	bool neg;
	int err;

	lx_ws(lx);
	if (lx_peek(lx) != '=')
		return 0;
	lx->i++;
	lx_ws(lx);
	at = lx->i;
	if (lx_peek(lx) == '?') {
		/* "= ?" and strace's "= ? ERESTARTSYS (...)" */
		lx->i++;
		op->res = SCRIPT_RES_UNKNOWN;
		lx_ws(lx);
		n = lx_ident_len(lx, lx->i);
		if (n && lx->s[lx->i] == 'E') {
			lx->i += n;
			lx_ws(lx);
			if (lx_peek(lx) == '(' && skip_parens(lx))
				return -1;
		}
		return 0;
	}
	neg = lx_peek(lx) == '-';
	if (!neg && !is_digit(lx_peek(lx)))
		return lx_err(lx, at, "expected a result after '=', got %s",
			      lx_what(lx, at, what, sizeof(what)));
	if (lx_factor(lx, FAM_NUM, &v))
		return -1;
	if (neg) {
		if (v != UINT64_MAX)
			return lx_err(lx, at, "a failed call's result is "
				      "written '-1 ERRNO (text)'");
		lx_ws(lx);
		n = lx_ident_len(lx, lx->i);
		if (!n)
			return lx_err(lx, lx->i, "expected an errno name after '= -1'");
		err = errno_lookup(lx->s + lx->i, n);
		if (!err)
			return lx_err(lx, lx->i, "unknown errno name '%.*s'",
				      (int)(n > 64 ? 64 : n), lx->s + lx->i);
		lx->i += n;
		op->res = SCRIPT_RES_ERROR;
		op->err = err;
		lx_ws(lx);
		if (lx_peek(lx) == '(' && skip_parens(lx))
			return -1;
		return 0;
	}
	op->res = SCRIPT_RES_VALUE;
	op->ret = v;
	/* a finished call is not "<unfinished ...>" (nor its fd's path) */
	if (lx->n - lx->i >= 16 && !memcmp(lx->s + lx->i, "<unfinished ...>", 16))
		return lx_err(lx, lx->i, "a call with a result cannot be "
			      "<unfinished ...>");
	if (lx_peek(lx) == '<')
		return lx_annotation(lx, &op->retpath);
	return 0;
}

/* What may follow a call: strace -T's " <0.000013>" and a comment. */
static int parse_tail(struct lexer *lx)
{
	char what[64];
	size_t st;

	lx_ws(lx);
	if (lx_peek(lx) == '<') {
		st = lx->i++;
		while (is_digit(lx_peek(lx)) || lx_peek(lx) == '.')
			lx->i++;
		if (lx->i == st + 1 && lx->n - lx->i >= 11 &&
		    !memcmp(lx->s + lx->i, "unavailable", 11))
			lx->i += 11;
		if (lx_peek(lx) != '>' || lx->i == st + 1)
			return lx_err(lx, st, "malformed duration (expected "
				      "strace -T's <SECONDS>)");
		lx->i++;
		lx_ws(lx);
	}
	if (lx->i >= lx->n || lx->s[lx->i] == '#')
		return 0;
	return lx_err(lx, lx->i, "unexpected %s after the call",
		      lx_what(lx, lx->i, what, sizeof(what)));
}

/* Finds "flags=" in a clone/clone3 text and tells whether the child shares
 * the address space (CLONE_VM without CLONE_VFORK: a thread). */
static bool clone_is_thread(const char *s, size_t n)
{
	size_t i, j, k;
	uint64_t v;
	bool vm = false, vfork = false;

	for (i = 0; i + 6 <= n; i++)
		if (!memcmp(s + i, "flags=", 6))
			break;
	if (i + 6 > n)
		return false;
	i += 6;
	if (i < n && is_digit((unsigned char)s[i])) {
		if (scan_number(s, n, &i, &v))
			return false;
		return (v & S_CLONE_VM) && !(v & S_CLONE_VFORK);
	}
	for (j = i; j <= n; j++) {
		if (j < n && (is_ident((unsigned char)s[j])))
			continue;
		k = j - i;
		if (k == 8 && !memcmp(s + i, "CLONE_VM", 8))
			vm = true;
		if (k == 11 && !memcmp(s + i, "CLONE_VFORK", 11))
			vfork = true;
		if (j >= n || s[j] != '|')
			break;
		i = j + 1;
	}
	return vm && !vfork;
}

/*
 * A syscall the model does not take: kept as text. The argument list only
 * has to be balanced; a simple result is read so that clone's child pid
 * is known.
 */
static int parse_other(struct lexer *lx, size_t name_at, size_t name_len,
		       struct mmsim_op *op)
{
	size_t p, open_at = name_at + name_len, end;
	int depth = 1;
	uint64_t v;

	for (p = open_at + 1; p < lx->n && depth; p++) {
		char c = lx->s[p];

		if (c == '"') {
			for (p++; p < lx->n && lx->s[p] != '"'; p++)
				if (lx->s[p] == '\\')
					p++;
			if (p >= lx->n)
				return lx_err(lx, open_at, "unterminated string "
					      "in the arguments");
		} else if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			depth--;
		}
	}
	if (depth)
		return lx_err(lx, open_at, "missing ')' to close this '('");
	end = p;
	lx->i = p;
	lx_ws(lx);
	if (lx_peek(lx) == '=') {
		lx->i++;
		lx_ws(lx);
		if (lx_peek(lx) == '?') {
			op->res = SCRIPT_RES_UNKNOWN;
		} else if (lx_peek(lx) == '-' &&
			   lx_peek_at(lx, lx->i + 1) == '1' &&
			   is_space(lx_peek_at(lx, lx->i + 2))) {
			size_t q = lx->i + 2, n;

			while (q < lx->n && is_space((unsigned char)lx->s[q]))
				q++;
			n = lx_ident_len(lx, q);
			if (n && (op->err = errno_lookup(lx->s + q, n)))
				op->res = SCRIPT_RES_ERROR;
		} else if (scan_number(lx->s, lx->n, &lx->i, &v) == 0) {
			op->res = SCRIPT_RES_VALUE;
			op->ret = v;
		}
	}
	op->str = memdup_str(lx->s + name_at, lx->n - name_at);
	if (!op->str)
		return lx_err(lx, name_at, "out of memory");
	if (lx_word_is(lx, name_at, name_len, "clone") ||
	    lx_word_is(lx, name_at, name_len, "clone3") ||
	    lx_word_is(lx, name_at, name_len, "fork") ||
	    lx_word_is(lx, name_at, name_len, "vfork")) {
		op->kind = MMSIM_OP_CLONE;
		op->arg[0] = clone_is_thread(lx->s + open_at, end - open_at);
	} else if (lx_word_is(lx, name_at, name_len, "execve") ||
		   lx_word_is(lx, name_at, name_len, "execveat")) {
		op->kind = MMSIM_OP_EXEC;
	} else {
		op->kind = MMSIM_OP_OTHER;
	}
	return 1;
}

/* NAME( at name_at: a syscall, modelled or not. */
static int parse_call(struct lexer *lx, size_t name_at, size_t name_len,
		      struct mmsim_op *op)
{
	char name[64];
	int sys, rc, line = op->line, col = op->col, end_line = op->end_line;

	if (name_len >= sizeof(name))
		return lx_err(lx, name_at, "unknown syscall '%.40s...'",
			      lx->s + name_at);
	memcpy(name, lx->s + name_at, name_len);
	name[name_len] = '\0';
	sys = script_sys_lookup(name);
	if (sys >= 0) {
		op->kind = MMSIM_OP_SYSCALL;
		op->sys = (enum script_sys)sys;
		lx->i = name_at + name_len + 1;
		rc = parse_args(lx, &sys_desc[sys], op);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			if (parse_result(lx, op) || parse_tail(lx))
				return -1;
			return 1;
		}
		/* a prctl the model does not take */
		script_op_release(op);
		op->line = line;
		op->col = col;
		op->end_line = end_line;
	} else if (!is_linux_syscall(name)) {
		return lx_err(lx, name_at, "unknown syscall '%s'", name);
	}
	return parse_other(lx, name_at, name_len, op);
}

/* ===================================================================== */
/* Parser: commands                                                      */
/* ===================================================================== */

static const struct name_val segv_codes[] = {
	{ "SEGV_MAPERR", 1 },	{ "SEGV_ACCERR", 2 },	{ "SEGV_BNDERR", 3 },
	{ "SEGV_PKUERR", 4 },	{ "SEGV_ACCADI", 5 },	{ "SEGV_ADIDERR", 6 },
	{ "SEGV_ADIPERR", 7 },	{ "SEGV_MTEAERR", 8 },	{ "SEGV_MTESERR", 9 },
	{ "SEGV_CPERR", 10 },	{ "SI_KERNEL", 0x80 },
};

static const struct name_val bus_codes[] = {
	{ "BUS_ADRALN", 1 },	{ "BUS_ADRERR", 2 },	{ "BUS_OBJERR", 3 },
	{ "BUS_MCEERR_AR", 4 },	{ "BUS_MCEERR_AO", 5 },	{ "SI_KERNEL", 0x80 },
};

static const char *signal_name(int signo)
{
	return signo == S_SIGSEGV ? "SIGSEGV" : signo == S_SIGBUS ? "SIGBUS" :
	       signo == MMSIM_SIG_KILL ? "SIGKILL" : NULL;
}

static const char *name_of(const struct name_val *t, size_t n, uint64_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].val == v)
			return t[i].name;
	return NULL;
}

static const char *sicode_name(int signo, int code)
{
	if (signo == S_SIGSEGV)
		return name_of(segv_codes, ARRAY_SIZE(segv_codes), (uint64_t)code);
	if (signo == S_SIGBUS)
		return name_of(bus_codes, ARRAY_SIZE(bus_codes), (uint64_t)code);
	return NULL;
}

static const char *const import_keys[SCRIPT_IMP_COUNT] = {
	[SCRIPT_IMP_BRK] = "brk",
	[SCRIPT_IMP_START_BRK] = "start_brk",
	[SCRIPT_IMP_START_STACK] = "start_stack",
	[SCRIPT_IMP_START_CODE] = "start_code",
	[SCRIPT_IMP_END_CODE] = "end_code",
	[SCRIPT_IMP_START_DATA] = "start_data",
	[SCRIPT_IMP_END_DATA] = "end_data",
	[SCRIPT_IMP_ARG_START] = "arg_start",
	[SCRIPT_IMP_ARG_END] = "arg_end",
	[SCRIPT_IMP_ENV_START] = "env_start",
	[SCRIPT_IMP_ENV_END] = "env_end",
	[SCRIPT_IMP_LEGACY] = "legacy",
};

static const char *const file_kinds[] = {
	[MMSIM_FILE_REGULAR] = "regular",
	[MMSIM_FILE_TMPFS] = "tmpfs",
	[MMSIM_FILE_DEVZERO] = "devzero",
	[MMSIM_FILE_DEVICE] = "device",
	[MMSIM_FILE_HUGETLBFS] = "hugetlbfs",
	[MMSIM_FILE_BLKDEV] = "blkdev",
};

static const char *const show_names[] = {
	[SCRIPT_SHOW_MAPS] = "maps",
	[SCRIPT_SHOW_SMAPS] = "smaps",
	[SCRIPT_SHOW_SMAPS_ROLLUP] = "smaps_rollup",
	[SCRIPT_SHOW_STATUS] = "status",
	[SCRIPT_SHOW_STAT] = "stat",
	[SCRIPT_SHOW_MEMINFO] = "meminfo",
	[SCRIPT_SHOW_VMSTAT] = "vmstat",
	[SCRIPT_SHOW_BUDDYINFO] = "buddyinfo",
	[SCRIPT_SHOW_ZONEINFO] = "zoneinfo",
	[SCRIPT_SHOW_LRU] = "lru",
	[SCRIPT_SHOW_SWAPS] = "swaps",
	[SCRIPT_SHOW_DMESG] = "dmesg",
	[SCRIPT_SHOW_PAGETABLE] = "pagetable",
	[SCRIPT_SHOW_VMA] = "vma",
	[SCRIPT_SHOW_FAULTS] = "faults",
	[SCRIPT_SHOW_OOM_SCORE] = "oom_score",
	[SCRIPT_SHOW_PMAP] = "pmap",
	[SCRIPT_SHOW_STATFS] = "statfs",
	[SCRIPT_SHOW_MEMCG] = "memcg",
	[SCRIPT_SHOW_FILE] = "FILE",
};

const char *script_show_name(size_t i)
{
	/* SCRIPT_SHOW_FILE's "FILE" is a placeholder, not a subject */
	return i < SCRIPT_SHOW_FILE ? show_names[i] : NULL;
}

static const char *const access_names[] = {
	[MMSIM_ACCESS_READ] = "read",
	[MMSIM_ACCESS_WRITE] = "write",
	[MMSIM_ACCESS_EXEC] = "exec",
};

static int word_index(const struct lexer *lx, size_t at, size_t len,
		      const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (words[i] && lx_word_is(lx, at, len, words[i]))
			return (int)i;
	return -1;
}

/* The end of a command: nothing but blanks and a comment may follow. */
static int lx_end(struct lexer *lx, const char *after)
{
	char what[64];

	lx_ws(lx);
	if (lx->i >= lx->n || lx->s[lx->i] == '#')
		return 0;
	return lx_err(lx, lx->i, "unexpected %s after %s",
		      lx_what(lx, lx->i, what, sizeof(what)), after);
}

static bool lx_at_end(struct lexer *lx)
{
	lx_ws(lx);
	return lx->i >= lx->n || lx->s[lx->i] == '#';
}

/* An operand: a "quoted string" or a run of non-blank bytes. 1: none. */
static int lx_token(struct lexer *lx, char **out, int *col)
{
	size_t st;
	bool trunc = false;
	int line;

	lx_ws(lx);
	st = lx->i;
	lx_pos(lx, st, &line, col);
	if (lx_at_end(lx))
		return 1;
	free(*out);
	*out = NULL;
	if (lx_peek(lx) == '"') {
		if (lx_string(lx, out, &trunc))
			return -1;
		if (trunc)
			return lx_err(lx, st, "a truncated string cannot be "
				      "an operand");
		return 0;
	}
	while (lx->i < lx->n && !is_space((unsigned char)lx->s[lx->i]))
		lx->i++;
	*out = memdup_str(lx->s + st, lx->i - st);
	if (!*out)
		return lx_err(lx, st, "out of memory");
	return 0;
}

/* A word operand out of a fixed list; -1 with a message otherwise. */
static int lx_choice(struct lexer *lx, const char *const *words, size_t n,
		     const char *msg)
{
	size_t at, len;
	int k;

	lx_ws(lx);
	at = lx->i;
	len = lx_ident_len(lx, at);
	k = len ? word_index(lx, at, len, words, n) : -1;
	if (k < 0)
		return lx_err(lx, at, "%s", msg);
	lx->i = at + len;
	return k;
}

static int parse_hex_dev(struct lexer *lx, uint64_t *maj, uint64_t *min)
{
	size_t st = lx->i, p = st;
	uint64_t *v = maj, lim = 0xfff;
	int part, d, digits;

	for (part = 0; part < 2; part++) {
		*v = 0;
		for (digits = 0; (d = hex_val(lx_peek_at(lx, p))) >= 0; digits++, p++) {
			*v = *v * 16 + (uint64_t)d;
			if (*v > lim)
				return lx_err(lx, st, "device number out of range "
					      "(MAJ <= fff, MIN <= fffff)");
		}
		if (!digits || (part == 0 && lx_peek_at(lx, p) != ':'))
			return lx_err(lx, st, "expected dev=MAJ:MIN in hex, as "
				      "maps shows it (e.g. dev=08:01)");
		p++;
		v = min;
		lim = 0xfffff;
	}
	lx->i = p - 1;
	if (lx->i < lx->n && !is_space((unsigned char)lx->s[lx->i]))
		return lx_err(lx, st, "expected dev=MAJ:MIN in hex, as maps "
			      "shows it (e.g. dev=08:01)");
	return 0;
}

struct script_parser;
static void block_open(struct script_parser *ps, const struct mmsim_op *op);

/* Each parse_*() reads a command's operands (lx->i is after its word) and
 * returns 1 (an op), 0 (none yet: a block opened) or -1. */

/*
 * spawn [NAME] or spawn [-e NAME=VALUE]... PATH [ARG]... (a path has a
 * '/'): the program's arguments and environment go to str2, one per line,
 * "a:" or "e:" before each.
 */
static int parse_spawn(struct script_parser *ps, struct lexer *lx,
		       struct mmsim_op *op)
{
	struct sbuf list = { 0 };
	char *tok = NULL;
	bool env = false, any = false;
	int col, rc;

	op->kind = MMSIM_OP_SPAWN;
	for (;;) {
		size_t at;

		lx_ws(lx);
		at = lx->i;
		rc = lx_token(lx, &tok, &col);
		if (rc < 0)
			goto fail;
		if (rc)
			break;
		if (strchr(tok, '\n')) {
			lx_err(lx, at, "a spawn operand cannot hold a newline");
			goto fail;
		}
		if (env) {
			if (!strchr(tok, '=')) {
				lx_err(lx, at, "-e needs NAME=VALUE");
				goto fail;
			}
			sb_puts(&list, "e:");
		} else if (!op->str && !strcmp(tok, "-e")) {
			env = true;
			any = true;
			continue;
		} else if (!op->str) {
			op->str = tok;
			op->argcol[0] = col;
			tok = NULL;
			continue;
		} else {
			if (!strchr(op->str, '/')) {
				lx_err(lx, at, "spawn NAME takes no arguments "
				       "(a program's PATH has a '/')");
				goto fail;
			}
			sb_puts(&list, "a:");
		}
		env = false;
		any = true;
		sb_puts(&list, tok);
		sb_putc(&list, '\n');
	}
	free(tok);
	if (env || (any && !op->str)) {
		free(sb_take(&list));
		return lx_err(lx, lx->i, "spawn -e NAME=VALUE needs a PATH");
	}
	if (op->str && any && !strchr(op->str, '/')) {
		free(sb_take(&list));
		return lx_err(lx, lx->i,
			      "spawn -e needs a program PATH with a '/'");
	}
	op->str2 = sb_take(&list);
	return 1;
fail:
	free(tok);
	free(sb_take(&list));
	return -1;
}

static int parse_import(struct script_parser *ps, struct lexer *lx,
			struct mmsim_op *op)
{
	size_t at, n;
	int k, rc;

	op->kind = MMSIM_OP_IMPORT;
	rc = lx_token(lx, &op->str, &op->argcol[0]);
	if (rc < 0)
		return -1;
	if (rc)
		return lx_err(lx, lx->i, "import needs a smaps or maps file");
	while (!lx_at_end(lx)) {
		at = lx->i;
		n = lx_ident_len(lx, at);
		k = n ? word_index(lx, at, n, import_keys, SCRIPT_IMP_COUNT) : -1;
		if (k < 0)
			return lx_err(lx, at, "expected KEY=VALUE with KEY one of "
				      "brk, start_brk, start_stack, start_code, "
				      "end_code, start_data, end_data, "
				      "arg_start, arg_end, env_start, env_end, "
				      "legacy");
		if (op->ext_set & (1u << k))
			return lx_err(lx, at, "%s= given twice", import_keys[k]);
		lx->i = at + n;
		if (lx_expect(lx, "="))
			return -1;
		lx_ws(lx);
		at = lx->i;
		if (lx_expr(lx, FAM_NUM, &op->ext[k]))
			return -1;
		if (k == SCRIPT_IMP_LEGACY && op->ext[k] > 1)
			return lx_err(lx, at, "legacy= is 0 or 1");
		op->ext_set |= 1u << k;
	}
	return 1;
}

static int parse_pid(struct script_parser *ps, struct lexer *lx,
		     struct mmsim_op *op)
{
	size_t at;

	op->kind = MMSIM_OP_PID;
	lx_ws(lx);
	at = lx->i;
	if (lx_expr(lx, FAM_NUM, &op->arg[0]))
		return -1;
	if (op->arg[0] < 1 || op->arg[0] > INT_MAX)
		return lx_err(lx, at, "PID out of range (1..%d)", INT_MAX);
	return lx_end(lx, "pid N") ? -1 : 1;
}

static int parse_exit(struct script_parser *ps, struct lexer *lx,
		      struct mmsim_op *op)
{
	op->kind = MMSIM_OP_EXIT;
	return lx_end(lx, "exit") ? -1 : 1;
}

static int parse_touch(struct script_parser *ps, struct lexer *lx,
		       struct mmsim_op *op)
{
	int k, line;

	op->kind = MMSIM_OP_TOUCH;
	lx_ws(lx);
	lx_pos(lx, lx->i, &line, &op->argcol[0]);
	if (lx_at_end(lx))
		return lx_err(lx, lx->i, "touch needs an address and read, "
			      "write or exec");
	if (lx_expr(lx, FAM_ADDR, &op->arg[0]))
		return -1;
	k = lx_choice(lx, access_names, ARRAY_SIZE(access_names),
		      "touch ADDR needs read, write or exec");
	if (k < 0)
		return -1;
	op->arg[1] = (uint64_t)k;
	op->arg[2] = 0;
	lx_ws(lx);
	if (k == MMSIM_ACCESS_WRITE && !lx_at_end(lx) &&
	    lx_expr(lx, FAM_NUM, &op->arg[2]))
		return -1;
	return lx_end(lx, "touch ADDR KIND [VALUE]") ? -1 : 1;
}

/* file PATH size=N [dev=MAJ:MIN] [ino=N] [kind=K] */
static int parse_file(struct script_parser *ps, struct lexer *lx,
		      struct mmsim_op *op)
{
	static const char *const keys[] = { "size", "dev", "ino", "kind" };
	unsigned seen = 0;
	size_t at, n;
	int k, rc;

	op->kind = MMSIM_OP_FILE;
	rc = lx_token(lx, &op->str, &op->argcol[0]);
	if (rc < 0)
		return -1;
	if (rc)
		return lx_err(lx, lx->i, "file needs a path and size=N");
	if (op->str[0] != '/')
		return lx_err(lx, lx->i - strlen(op->str),
			      "the file's path must be absolute");
	op->arg[1] = SCRIPT_FILE_DEV_MAJOR;
	op->arg[2] = SCRIPT_FILE_DEV_MINOR;
	op->arg[4] = MMSIM_FILE_REGULAR;
	while (!lx_at_end(lx)) {
		at = lx->i;
		n = lx_ident_len(lx, at);
		k = n ? word_index(lx, at, n, keys, ARRAY_SIZE(keys)) : -1;
		if (k < 0)
			return lx_err(lx, at, "expected size=N, dev=MAJ:MIN, "
				      "ino=N or kind=K");
		if (seen & (1u << k))
			return lx_err(lx, at, "%s= given twice", keys[k]);
		seen |= 1u << k;
		lx->i = at + n;
		if (lx_expect(lx, "="))
			return -1;
		lx_ws(lx);
		switch (k) {
		case 0:
			rc = lx_expr(lx, FAM_NUM, &op->arg[0]);
			break;
		case 1:
			rc = parse_hex_dev(lx, &op->arg[1], &op->arg[2]);
			break;
		case 2:
			rc = lx_expr(lx, FAM_NUM, &op->arg[3]);
			break;
		default:
			rc = lx_choice(lx, file_kinds, ARRAY_SIZE(file_kinds),
				       "kind= is regular, tmpfs, devzero, "
				       "device or hugetlbfs");
			if (rc >= 0)
				op->arg[4] = (uint64_t)rc;
			break;
		}
		if (rc < 0)
			return -1;
	}
	if (!(seen & 1))
		return lx_err(lx, lx->i, "file needs size=N");
	return 1;
}

/* A run of bytes up to a blank (or stop); its column goes to *col. */
static size_t lx_run(struct lexer *lx, char stop, int *col)
{
	size_t at;
	int line;

	lx_ws(lx);
	at = lx->i;
	lx_pos(lx, at, &line, col);
	while (lx->i < lx->n && !is_space((unsigned char)lx->s[lx->i]) &&
	       lx->s[lx->i] != stop)
		lx->i++;
	return lx->i - at;
}

static int parse_set(struct script_parser *ps, struct lexer *lx,
		     struct mmsim_op *op)
{
	size_t n;

	op->kind = MMSIM_OP_SET;
	n = lx_run(lx, '=', &op->argcol[0]);
	if (!n)
		return lx_err(lx, lx->i, "set needs KNOB=VALUE");
	op->str = memdup_str(lx->s + lx->i - n, n);
	if (!op->str)
		return lx_err(lx, lx->i - n, "out of memory");
	if (lx_expect(lx, "="))
		return -1;
	n = lx_run(lx, '\0', &op->argcol[1]);
	if (!n)
		return lx_err(lx, lx->i, "missing value for %s", op->str);
	op->str2 = memdup_str(lx->s + lx->i - n, n);
	if (!op->str2)
		return lx_err(lx, lx->i - n, "out of memory");
	return lx_end(lx, "set KNOB=VALUE") ? -1 : 1;
}

/* A run of bytes up to a blank or a comment; its column to *col. */
static size_t lx_word(struct lexer *lx, int *col)
{
	return lx_run(lx, '#', col);
}

/* The memory cgroup files `show memcg NAME FILE` prints. */
static const char *const memcg_show_files[] = {
	"memory.current", "memory.peak", "memory.max", "memory.high",
	"memory.swap.current", "memory.swap.peak", "memory.swap.max",
	"memory.oom.group", "memory.events", "memory.events.local",
	"memory.swap.events", "memory.stat", "cgroup.procs",
};

static bool memcg_show_file_known(const char *f)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(memcg_show_files); i++)
		if (!strcmp(f, memcg_show_files[i]))
			return true;
	return false;
}

/* memcg's writable files and whether a value suits them. */
static const char *memcg_write_check(const char *file, const char *val)
{
	static const char *const limits[] = { "memory.max", "memory.high",
					      "memory.swap.max" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(limits); i++)
		if (!strcmp(file, limits[i])) {
			size_t d = strspn(val, "0123456789");

			if (!strcmp(val, "max") ||
			    (d && (!val[d] || (strchr("kKmMgGtT", val[d]) &&
					       !val[d + 1]))))
				return NULL;
			return "a size (bytes, K/M/G/T) or max";
		}
	if (!strcmp(file, "memory.oom.group"))
		return strcmp(val, "0") && strcmp(val, "1") ? "0 or 1" : NULL;
	if (!strcmp(file, "cgroup.procs"))
		return val[strspn(val, "0123456789")] || !*val ?
			       "a pid (0: the selected process)" : NULL;
	return "";
}

/* memcg NAME [FILE=VALUE]... */
static int parse_memcg(struct script_parser *ps, struct lexer *lx,
		       struct mmsim_op *op)
{
	struct sbuf lines = { 0 };
	size_t n;

	op->kind = MMSIM_OP_MEMCG;
	n = lx_word(lx, &op->argcol[0]);
	if (!n)
		return lx_err(lx, lx->i, "memcg needs a cgroup NAME");
	op->str = memdup_str(lx->s + lx->i - n, n);
	if (!op->str)
		return lx_err(lx, lx->i - n, "out of memory");
	if (memchr(op->str, '=', n))
		return lx_err(lx, lx->i - n, "memcg needs a cgroup NAME "
			      "before FILE=VALUE");
	while (!lx_at_end(lx)) {
		int col;
		size_t at;
		const char *eq, *why;
		char file[32], val[64];

		n = lx_word(lx, &col);
		at = lx->i - n;
		eq = memchr(lx->s + at, '=', n);
		if (!eq || eq == lx->s + at ||
		    (size_t)(eq - (lx->s + at)) >= sizeof(file) ||
		    n - (size_t)(eq - (lx->s + at)) - 1 >= sizeof(val)) {
			free(lines.p);
			return lx_err(lx, at, "memcg: FILE=VALUE expected "
				      "(memory.max=64M, cgroup.procs=0 ...)");
		}
		snprintf(file, sizeof(file), "%.*s",
			 (int)(eq - (lx->s + at)), lx->s + at);
		snprintf(val, sizeof(val), "%.*s",
			 (int)(n - (size_t)(eq - (lx->s + at)) - 1), eq + 1);
		why = memcg_write_check(file, val);
		if (why) {
			free(lines.p);
			if (!*why)
				return lx_err(lx, at, "memcg: no file '%s' to "
					      "write (memory.max, memory.high, "
					      "memory.swap.max, memory.oom.group,"
					      " cgroup.procs)", file);
			return lx_err(lx, (size_t)(eq + 1 - lx->s),
				      "memcg: %s wants %s", file, why);
		}
		sb_printf(&lines, "%s=%s\n", file, val);
	}
	if (lines.len) {
		op->str2 = memdup_str(lines.p, lines.len);
		free(lines.p);
		if (!op->str2)
			return lx_err(lx, lx->i, "out of memory");
	}
	return 1;
}

static int parse_show(struct script_parser *ps, struct lexer *lx,
		      struct mmsim_op *op)
{
	int k;

	op->kind = MMSIM_OP_SHOW;
	lx_ws(lx);
	if (lx->i < lx->n && lx->s[lx->i] == '/') {
		/* a knob's file: show /proc/sys/vm/nr_hugepages */
		size_t n = lx_run(lx, '\0', &op->argcol[1]);

		op->arg[0] = SCRIPT_SHOW_FILE;
		op->str = memdup_str(lx->s + lx->i - n, n);
		if (!op->str)
			return lx_err(lx, lx->i - n, "out of memory");
		if (strncmp(op->str, "/proc/sys/", 10) &&
		    strncmp(op->str, "/sys/kernel/mm/", 15) &&
		    strcmp(op->str, "/proc/sysvipc/shm"))
			return lx_err(lx, lx->i - n, "show PATH: only files "
				      "under /proc/sys/ and /sys/kernel/mm/, "
				      "and /proc/sysvipc/shm");
		return lx_end(lx, "show PATH") ? -1 : 1;
	}
	k = lx_choice(lx, show_names, ARRAY_SIZE(show_names) - 1,
		      "show what? maps, smaps, smaps_rollup, status, stat, "
		      "faults, oom_score, pmap [-x|-d|-X|-XX] [-q], meminfo, "
		      "vmstat, buddyinfo, zoneinfo, lru, swaps, dmesg, "
		      "pagetable ADDR, vma ADDR, statfs PATH or a /proc/sys or "
		      "/sys/kernel/mm file");
	if (k < 0)
		return -1;
	op->arg[0] = (uint64_t)k;
	if (k == SCRIPT_SHOW_PMAP) {
		static const char *const opts[] = { "-x", "-d", "-X", "-XX",
						     "-q" };
		static const int modes[] = { MMSIM_PMAP_EXTENDED,
					     MMSIM_PMAP_DEVICE, MMSIM_PMAP_MORE,
					     MMSIM_PMAP_ALL };
		bool have_mode = false;

		op->arg[1] = MMSIM_PMAP_PLAIN;
		for (lx_ws(lx); !lx_at_end(lx); lx_ws(lx)) {
			size_t at = lx->i, len = 0, i;
			int o = -1, c;

			while ((c = lx_peek_at(lx, at + len)) >= 0 &&
			       !is_space(c) && c != '#')
				len++;
			for (i = 0; i < ARRAY_SIZE(opts); i++)
				if (len == strlen(opts[i]) &&
				    !memcmp(lx->s + at, opts[i], len))
					o = (int)i;
			if (o < 0)
				return lx_err(lx, at, "show pmap takes -x, -d, "
					      "-X, -XX or -q");
			lx->i = at + len;
			if (o == 4) {
				op->arg[2] = 1;
				continue;
			}
			if (have_mode)
				return lx_err(lx, at, "show pmap: -x, -d, -X "
					      "and -XX exclude each other");
			have_mode = true;
			op->arg[1] = (uint64_t)modes[o];
		}
		return 1;
	}
	if (k == SCRIPT_SHOW_STATFS) {
		size_t n;

		lx_ws(lx);
		n = lx_run(lx, '\0', &op->argcol[1]);
		if (!n || lx->s[lx->i - n] != '/')
			return lx_err(lx, lx->i - n, "show statfs needs an "
				      "absolute path");
		op->str = memdup_str(lx->s + lx->i - n, n);
		if (!op->str)
			return lx_err(lx, lx->i - n, "out of memory");
		return lx_end(lx, "show statfs PATH") ? -1 : 1;
	}
	if (k == SCRIPT_SHOW_MEMCG) {
		size_t n;
		int col;

		n = lx_word(lx, &op->argcol[1]);
		if (!n)
			return lx_err(lx, lx->i, "show memcg needs a cgroup "
				      "NAME");
		op->str = memdup_str(lx->s + lx->i - n, n);
		if (!op->str)
			return lx_err(lx, lx->i - n, "out of memory");
		n = lx_word(lx, &col);
		if (n) {
			op->str2 = memdup_str(lx->s + lx->i - n, n);
			if (!op->str2)
				return lx_err(lx, lx->i - n, "out of memory");
			if (!memcg_show_file_known(op->str2))
				return lx_err(lx, lx->i - n, "show memcg: no "
					      "file '%s' (memory.current, "
					      "memory.stat, memory.events, "
					      "...)", op->str2);
		}
		return lx_end(lx, "show memcg NAME [FILE]") ? -1 : 1;
	}
	if (k == SCRIPT_SHOW_PAGETABLE || k == SCRIPT_SHOW_VMA) {
		bool pt = k == SCRIPT_SHOW_PAGETABLE;
		int line;

		lx_ws(lx);
		lx_pos(lx, lx->i, &line, &op->argcol[1]);
		if (lx_at_end(lx))
			return lx_err(lx, lx->i, pt ? "show pagetable needs an "
				      "address" : "show vma needs an address");
		if (lx_expr(lx, FAM_ADDR, &op->arg[1]))
			return -1;
		return lx_end(lx, pt ? "show pagetable ADDR" :
			      "show vma ADDR") ? -1 : 1;
	}
	return lx_end(lx, "show WHAT") ? -1 : 1;
}

/* expect signal SIGSEGV|SIGBUS [CODE] | none */
static int parse_expect_signal(struct lexer *lx, struct mmsim_op *op)
{
	static const char *const sigs[] = { "none", "SIGSEGV", "SIGBUS",
					    "SIGKILL" };
	const struct name_val *codes;
	size_t count, at, n, i;
	int k;

	op->kind = MMSIM_OP_EXPECT_SIGNAL;
	k = lx_choice(lx, sigs, ARRAY_SIZE(sigs),
		      "expect signal SIGSEGV|SIGBUS [CODE], SIGKILL or none");
	if (k < 0)
		return -1;
	op->arg[0] = k == 0 ? 0 : k == 1 ? S_SIGSEGV : k == 2 ? S_SIGBUS :
								  MMSIM_SIG_KILL;
	op->arg[1] = UINT64_MAX;
	if (k == 3)
		return lx_end(lx, "expect signal SIGKILL") ? -1 : 1;
	if (k && !lx_at_end(lx)) {
		codes = k == 1 ? segv_codes : bus_codes;
		count = k == 1 ? ARRAY_SIZE(segv_codes) : ARRAY_SIZE(bus_codes);
		at = lx->i;
		n = lx_ident_len(lx, at);
		for (i = 0; i < count; i++)
			if (n && lx_word_is(lx, at, n, codes[i].name))
				break;
		if (i == count)
			return lx_err(lx, at, "expected a %s code (%s...)",
				      sigs[k], k == 1 ?
				      "SEGV_MAPERR, SEGV_ACCERR, " :
				      "BUS_ADRERR, BUS_OBJERR, ");
		op->arg[1] = codes[i].val;
		lx->i = at + n;
	}
	return lx_end(lx, "expect signal") ? -1 : 1;
}

/* expect maps (a block up to "end") | signal ... | map_count N */
static int parse_expect(struct script_parser *ps, struct lexer *lx,
			struct mmsim_op *op)
{
	static const char *const what[] = { "maps", "signal", "map_count" };
	int k, line;

	k = lx_choice(lx, what, ARRAY_SIZE(what),
		      "expect what? maps, signal or map_count");
	if (k < 0)
		return -1;
	if (k == 1)
		return parse_expect_signal(lx, op);
	if (k == 2) {
		op->kind = MMSIM_OP_EXPECT_MAP_COUNT;
		lx_ws(lx);
		lx_pos(lx, lx->i, &line, &op->argcol[0]);
		if (lx_expr(lx, FAM_NUM, &op->arg[0]))
			return -1;
		return lx_end(lx, "expect map_count N") ? -1 : 1;
	}
	if (lx_end(lx, "expect maps"))
		return -1;
	op->kind = MMSIM_OP_EXPECT_MAPS;
	block_open(ps, op);
	return 0;
}

static int parse_sleep(struct script_parser *ps, struct lexer *lx,
		       struct mmsim_op *op)
{
	op->kind = MMSIM_OP_SLEEP;
	lx_ws(lx);
	if (lx_expr(lx, FAM_NUM, &op->arg[0]))
		return -1;
	return lx_end(lx, "sleep MS") ? -1 : 1;
}

/* explain on|off|json */
static int parse_explain(struct script_parser *ps, struct lexer *lx,
			 struct mmsim_op *op)
{
	static const char *const modes[] = { "off", "on", "json" };
	int k;

	op->kind = MMSIM_OP_EXPLAIN;
	k = lx_choice(lx, modes, ARRAY_SIZE(modes),
		      "explain what? on, off or json");
	if (k < 0)
		return -1;
	op->arg[0] = (uint64_t)k;
	return lx_end(lx, "explain on|off|json") ? -1 : 1;
}

static int parse_echo(struct script_parser *ps, struct lexer *lx,
		      struct mmsim_op *op)
{
	op->kind = MMSIM_OP_ECHO;
	if (lx->i < lx->n)
		lx->i++;	/* the one blank after "echo" */
	op->str = memdup_str(lx->s + lx->i, lx->n - lx->i);
	if (!op->str)
		return lx_err(lx, lx->i, "out of memory");
	return 1;
}

static const struct {
	const char *name;
	int (*parse)(struct script_parser *ps, struct lexer *lx,
		     struct mmsim_op *op);
} commands[] = {
	{ "spawn", parse_spawn },	{ "import", parse_import },
	{ "pid", parse_pid },		{ "exit", parse_exit },
	{ "touch", parse_touch },	{ "file", parse_file },
	{ "set", parse_set },		{ "show", parse_show },
	{ "expect", parse_expect },	{ "echo", parse_echo },
	{ "sleep", parse_sleep },	{ "explain", parse_explain },
	{ "memcg", parse_memcg },
};

static int parse_command(struct script_parser *ps, struct lexer *lx,
			 size_t st, size_t len, struct mmsim_op *op)
{
	char name[48];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (lx_word_is(lx, st, len, commands[i].name)) {
			lx->i = st + len;
			return commands[i].parse(ps, lx, op);
		}
	snprintf(name, sizeof(name), "%.*s", (int)(len > 40 ? 40 : len),
		 lx->s + st);
	if (is_linux_syscall(name))
		return lx_err(lx, st, "'%s' needs its arguments in parentheses, "
			      "as strace writes them", name);
	return lx_err(lx, st, "unknown command '%s'", name);
}

/* One operation starting at lx->i: a syscall or a command. */
static int parse_op(struct script_parser *ps, struct lexer *lx, int pid,
		    struct mmsim_op *op)
{
	char what[64];
	size_t st = lx->i, n;
	int rc;

	op->pid = pid;
	lx_pos(lx, st, &op->line, &op->col);
	op->end_line = lx->segs[lx->nsegs - 1].line;
	n = lx_ident_len(lx, st);
	if (!n)
		rc = lx_err(lx, st, "expected a syscall or a command, got %s",
			    lx_what(lx, st, what, sizeof(what)));
	else if (lx_peek_at(lx, st + n) == '(')
		rc = parse_call(lx, st, n, op);
	else
		rc = parse_command(ps, lx, st, n, op);
	if (rc < 0) {
		script_op_release(op);
		return -1;
	}
	if (rc == 1)
		op->pid = pid;
	return rc;
}

/* ===================================================================== */
/* Parser: lines                                                         */
/* ===================================================================== */

/* A call left "<unfinished ...>", waiting for its "<... NAME resumed>". */
struct pending {
	int pid;
	char *text;		/* from the syscall name on */
	size_t len, name_len;
	struct seg *segs;
	int nsegs;
};

struct script_parser {
	int lineno;
	struct script_diag diag;
	struct pending *pend;
	size_t npend, cap_pend;
	bool in_block;		/* inside "expect maps" ... "end" */
	struct sbuf block;
	struct mmsim_op block_op;
};

struct script_parser *script_parser_create(void)
{
	struct script_parser *ps = calloc(1, sizeof(*ps));

	if (ps)
		script_op_init(&ps->block_op);
	return ps;
}

static void pending_free(struct pending *p)
{
	free(p->text);
	free(p->segs);
}

void script_parser_destroy(struct script_parser *ps)
{
	size_t i;

	if (!ps)
		return;
	for (i = 0; i < ps->npend; i++)
		pending_free(&ps->pend[i]);
	free(ps->pend);
	sb_free(&ps->block);
	script_op_release(&ps->block_op);
	free(ps);
}

const struct script_diag *script_parser_diag(const struct script_parser *ps)
{
	return &ps->diag;
}

static void block_open(struct script_parser *ps, const struct mmsim_op *op)
{
	ps->in_block = true;
	sb_free(&ps->block);
	script_op_release(&ps->block_op);
	ps->block_op.kind = op->kind;
	ps->block_op.line = op->line;
	ps->block_op.col = op->col;
	ps->block_op.pid = op->pid;
}

static int block_line(struct script_parser *ps, struct lexer *lx,
		      struct mmsim_op *op)
{
	size_t a = 0, b = lx->n;

	while (a < b && is_space((unsigned char)lx->s[a]))
		a++;
	while (b > a && is_space((unsigned char)lx->s[b - 1]))
		b--;
	if (b - a == 3 && !memcmp(lx->s + a, "end", 3)) {
		*op = ps->block_op;
		script_op_init(&ps->block_op);
		op->str = sb_take(&ps->block);
		op->end_line = ps->lineno;
		ps->in_block = false;
		if (!op->str) {
			script_op_release(op);
			return lx_err(lx, 0, "out of memory");
		}
		return 1;
	}
	if (a == b || lx->s[a] == '#')
		return 0;
	sb_putn(&ps->block, lx->s, lx->n);
	sb_putc(&ps->block, '\n');
	if (ps->block.oom)
		return lx_err(lx, 0, "out of memory");
	return 0;
}

static struct pending *pending_find(struct script_parser *ps, int pid)
{
	size_t i;

	for (i = 0; i < ps->npend; i++)
		if (ps->pend[i].pid == pid)
			return &ps->pend[i];
	return NULL;
}

static void pending_remove(struct script_parser *ps, struct pending *p)
{
	*p = ps->pend[--ps->npend];
}

/* Stores text[0..len) (segments segs) as pid's unfinished call. */
static int pending_add(struct script_parser *ps, int pid, const char *text,
		       size_t len, size_t name_len, const struct seg *segs,
		       int nsegs)
{
	struct pending *p = pending_find(ps, pid), np;

	np.pid = pid;
	np.len = len;
	np.name_len = name_len;
	np.nsegs = nsegs;
	np.text = memdup_str(text, len);
	np.segs = malloc((size_t)nsegs * sizeof(*segs));
	if (!np.text || !np.segs) {
		pending_free(&np);
		return -1;
	}
	memcpy(np.segs, segs, (size_t)nsegs * sizeof(*segs));
	if (p) {
		/* strace never leaves two calls of one thread open; keep
		 * the newer one */
		pending_free(p);
		*p = np;
		return 0;
	}
	if (ps->npend == ps->cap_pend) {
		size_t cap = ps->cap_pend ? ps->cap_pend * 2 : 8;
		struct pending *q = realloc(ps->pend, cap * sizeof(*q));

		if (!q) {
			pending_free(&np);
			return -1;
		}
		ps->pend = q;
		ps->cap_pend = cap;
	}
	ps->pend[ps->npend++] = np;
	return 0;
}

static const char unfinished_mark[] = "<unfinished ...>";
#define UNFINISHED_LEN (sizeof(unfinished_mark) - 1)

static bool ends_unfinished(const char *s, size_t n)
{
	return n >= UNFINISHED_LEN &&
	       !memcmp(s + n - UNFINISHED_LEN, unfinished_mark, UNFINISHED_LEN);
}

/* The head of a call, up to " <unfinished ...>", waits for its end. */
static int suspend(struct script_parser *ps, struct lexer *lx, int pid)
{
	size_t st = lx->i, n = lx_ident_len(lx, st), end;

	if (!n || lx_peek_at(lx, st + n) != '(')
		return lx_err(lx, st, "expected a syscall before '%s'",
			      unfinished_mark);
	end = lx->n - UNFINISHED_LEN;
	if (end > st && lx->s[end - 1] == ' ')
		end--;
	{
		/* segments relative to the stored text, which starts at st */
		struct seg segs[64];
		int k, ns = 0;

		for (k = 0; k < lx->nsegs && ns < 64; k++) {
			size_t seg_end = k + 1 < lx->nsegs ? lx->segs[k + 1].at :
							     SIZE_MAX;

			if (seg_end <= st)
				continue;
			segs[ns] = lx->segs[k];
			if (segs[ns].at < st) {
				segs[ns].col0 += (int)(st - segs[ns].at);
				segs[ns].at = 0;
			} else {
				segs[ns].at -= st;
			}
			ns++;
		}
		if (pending_add(ps, pid, lx->s + st, end - st, n, segs, ns))
			return lx_err(lx, st, "out of memory");
	}
	return 0;
}

/* "<... NAME resumed>REST": joins REST to the pid's unfinished call. */
static int resume(struct script_parser *ps, struct lexer *lx, int pid,
		  struct mmsim_op *op)
{
	struct pending *p;
	struct lexer jl;
	struct seg *segs;
	size_t st = lx->i, at, n, tail, len;
	char *text;
	int rc, line, col;

	lx->i += 4;
	lx_ws(lx);
	at = lx->i;
	n = lx_ident_len(lx, at);
	if (!n)
		return lx_err(lx, at, "expected a syscall name after '<...'");
	lx->i += n;
	if (lx_expect(lx, "resumed>"))
		return -1;
	tail = lx->i;
	p = pending_find(ps, pid);
	if (!p) {
		if (pid >= 0)
			return lx_err(lx, st, "'<... %.*s resumed>' but PID %d "
				      "has no unfinished call", (int)(n > 40 ? 40 : n),
				      lx->s + at, pid);
		return lx_err(lx, st, "'<... %.*s resumed>' without an "
			      "unfinished call", (int)(n > 40 ? 40 : n),
			      lx->s + at);
	}
	if (p->name_len != n || memcmp(p->text, lx->s + at, n))
		return lx_err(lx, at, "'%.*s' resumed, but the unfinished call "
			      "is '%.*s'", (int)(n > 40 ? 40 : n), lx->s + at,
			      (int)(p->name_len > 40 ? 40 : p->name_len),
			      p->text);
	len = p->len + (lx->n - tail);
	text = malloc(len + 1);
	segs = malloc(((size_t)p->nsegs + 1) * sizeof(*segs));
	if (!text || !segs) {
		free(text);
		free(segs);
		return lx_err(lx, st, "out of memory");
	}
	memcpy(text, p->text, p->len);
	memcpy(text + p->len, lx->s + tail, lx->n - tail);
	text[len] = '\0';
	memcpy(segs, p->segs, (size_t)p->nsegs * sizeof(*segs));
	lx_pos(lx, tail, &line, &col);
	segs[p->nsegs].at = p->len;
	segs[p->nsegs].line = line;
	segs[p->nsegs].col0 = col;
	jl.s = text;
	jl.n = len;
	jl.i = 0;
	jl.segs = segs;
	jl.nsegs = p->nsegs + 1;
	jl.diag = lx->diag;
	pending_free(p);
	pending_remove(ps, p);
	if (ends_unfinished(text, len)) {
		/* interrupted again */
		rc = jl.nsegs < 64 ? suspend(ps, &jl, pid) :
			lx_err(lx, st, "call resumed and interrupted too often");
	} else {
		rc = parse_op(ps, &jl, pid, op);
	}
	free(text);
	free(segs);
	return rc;
}

static bool starts_with(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);

	return n >= k && !memcmp(s, w, k);
}

/*
 * strace's prefixes: "PID  " (-f -o) or "[pid PID] " (-f), then a -t, -tt,
 * -ttt or -r timestamp.
 */
static int parse_prefix(struct lexer *lx, int *pid)
{
	size_t st = lx->i, p;
	uint64_t v;
	bool stamp;

	if (lx->n - st >= 4 && !memcmp(lx->s + st, "[pid", 4)) {
		lx->i += 4;
		lx_ws(lx);
		p = lx->i;
		if (scan_number(lx->s, lx->n, &lx->i, &v) || v > INT_MAX ||
		    v == 0)
			return lx_err(lx, p, "expected a PID after '[pid'");
		lx_ws(lx);
		if (lx_peek(lx) != ']')
			return lx_err(lx, lx->i, "expected ']' after the PID");
		lx->i++;
		*pid = (int)v;
		lx_ws(lx);
	} else if (is_digit(lx_peek(lx))) {
		p = st;
		while (is_digit(lx_peek_at(lx, p)))
			p++;
		if (p == lx->n || is_space(lx_peek_at(lx, p))) {
			if (scan_number(lx->s, lx->n, &lx->i, &v) ||
			    v > INT_MAX || v == 0)
				return lx_err(lx, st, "PID out of range");
			*pid = (int)v;
			lx_ws(lx);
		}
	}
	/* a timestamp: digits with ':' or '.', then a blank */
	p = lx->i;
	stamp = false;
	while (is_digit(lx_peek_at(lx, p)) || lx_peek_at(lx, p) == ':' ||
	       lx_peek_at(lx, p) == '.') {
		stamp |= !is_digit(lx_peek_at(lx, p));
		p++;
	}
	if (stamp && p > lx->i && is_space(lx_peek_at(lx, p))) {
		lx->i = p;
		lx_ws(lx);
	}
	return 0;
}

int script_parse_line(struct script_parser *ps, const char *line, size_t len,
		      struct mmsim_op *op)
{
	struct seg seg0;
	struct lexer lx;
	const char *nul, *rest;
	size_t n = len, rn;
	int pid = -1;

	script_op_init(op);
	ps->lineno++;
	memset(&ps->diag, 0, sizeof(ps->diag));
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	seg0.at = 0;
	seg0.line = ps->lineno;
	seg0.col0 = 1;
	lx.s = line;
	lx.n = n;
	lx.i = 0;
	lx.segs = &seg0;
	lx.nsegs = 1;
	lx.diag = &ps->diag;
	nul = memchr(line, '\0', n);
	if (nul)
		return lx_err(&lx, (size_t)(nul - line), "NUL byte in the line");
	if (ps->in_block)
		return block_line(ps, &lx, op);
	while (lx.n && (is_space((unsigned char)line[lx.n - 1]) ||
			line[lx.n - 1] == '\r'))
		lx.n--;
	lx_ws(&lx);
	if (lx.i == lx.n || line[lx.i] == '#')
		return 0;
	if (parse_prefix(&lx, &pid))
		return -1;
	if (lx.i == lx.n)
		return lx_err(&lx, lx.i, "expected an operation after the PID");
	/* "PID  # ..." is a comment too: mmsim record's "#mmsim" lines
	 * (docs/recording.md) */
	if (line[lx.i] == '#')
		return 0;
	rest = line + lx.i;
	rn = lx.n - lx.i;
	/* strace's own lines: "+++ exited with 0 +++", "--- SIGSEGV {...}
	 * ---", "strace: Process N attached", -k's " > frame" lines,
	 * "[ Process PID=N runs in x32 mode. ]" */
	if (starts_with(rest, rn, "+++") || starts_with(rest, rn, "---") ||
	    (pid < 0 && starts_with(rest, rn, "strace: ")) ||
	    starts_with(rest, rn, "> ") || starts_with(rest, rn, "[ Process "))
		return 0;
	if (starts_with(rest, rn, "<..."))
		return resume(ps, &lx, pid, op);
	if (ends_unfinished(rest, rn))
		return suspend(ps, &lx, pid);
	return parse_op(ps, &lx, pid, op);
}

int script_parser_finish(struct script_parser *ps)
{
	size_t i;

	for (i = 0; i < ps->npend; i++)
		pending_free(&ps->pend[i]);
	ps->npend = 0;
	if (ps->in_block) {
		ps->in_block = false;
		sb_free(&ps->block);
		ps->diag.line = ps->block_op.line;
		ps->diag.col = ps->block_op.col;
		snprintf(ps->diag.msg, sizeof(ps->diag.msg),
			 "'expect maps' has no 'end' line");
		script_op_release(&ps->block_op);
		return -1;
	}
	return 0;
}

int script_parse_one(const char *line, struct mmsim_op *op,
		     struct script_diag *diag)
{
	struct script_parser *ps = script_parser_create();
	int rc;

	script_op_init(op);
	if (!ps) {
		if (diag) {
			diag->line = 1;
			diag->col = 0;
			snprintf(diag->msg, sizeof(diag->msg), "out of memory");
		}
		return -1;
	}
	rc = script_parse_line(ps, line, strlen(line), op);
	if (rc < 0 && diag)
		*diag = ps->diag;
	script_parser_destroy(ps);
	return rc;
}

/* ===================================================================== */
/* Printer                                                               */
/* ===================================================================== */

static void put_hex(struct sbuf *b, uint64_t v)
{
	sb_printf(b, "%#" PRIx64, v);
}

static void put_addr(struct sbuf *b, uint64_t v)
{
	if (v)
		sb_printf(b, "%#" PRIx64, v);
	else
		sb_puts(b, "NULL");
}

/* Bits named by t (single bits or compounds, in print order), then the
 * rest in hex. zero: what to print for 0 (NULL: "0"). */
static void put_bits(struct sbuf *b, const struct name_val *t, size_t n,
		     uint64_t v, const char *zero, bool first)
{
	size_t i;

	if (!v) {
		if (first)
			sb_puts(b, zero ? zero : "0");
		return;
	}
	for (i = 0; i < n && v; i++) {
		if (!t[i].val || (v & t[i].val) != t[i].val)
			continue;
		if (!first)
			sb_putc(b, '|');
		sb_puts(b, t[i].name);
		v &= ~t[i].val;
		first = false;
	}
	if (v) {
		if (!first)
			sb_putc(b, '|');
		sb_printf(b, "%#" PRIx64, v);
	}
}

static void put_map_flags(struct sbuf *b, uint64_t v)
{
	uint64_t type = v & S_MAP_TYPE, huge = 0, rest;
	bool first = true;

	if (type == 1 || type == 2 || type == 3 || type == 8) {
		sb_puts(b, name_of(map_names + MAP_PRINTED_BITS, 4, type));
		v &= ~S_MAP_TYPE;
		first = false;
	}
	if (v & S_MAP_HUGETLB) {
		huge = (v >> S_MAP_HUGE_SHIFT) & S_MAP_HUGE_MASK;
		v &= ~(S_MAP_HUGE_MASK << S_MAP_HUGE_SHIFT);
	}
	rest = v;
	if (rest || !huge)
		put_bits(b, map_names, MAP_PRINTED_BITS, rest, NULL, first);
	first = first && !rest;
	if (huge)
		sb_printf(b, "%s%" PRIu64 "<<MAP_HUGE_SHIFT", first ? "" : "|",
			  huge);
}

static void put_oflags(struct sbuf *b, uint64_t v)
{
	uint64_t acc = v & S_O_ACCMODE;

	if (acc == 3)
		sb_puts(b, "O_ACCMODE");
	else
		sb_puts(b, o_names[acc].name);
	/* o_names[3..] are the flags, compounds first */
	put_bits(b, o_names + 3, ARRAY_SIZE(o_names) - 3, v & ~S_O_ACCMODE,
		 NULL, false);
}

/* A named value, else v in decimal (signed for an int argument). */
static void put_value(struct sbuf *b, const struct name_val *t, size_t n,
		      uint64_t v, bool is_signed)
{
	const char *s = name_of(t, n, v);

	if (s)
		sb_puts(b, s);
	else if (is_signed)
		sb_printf(b, "%" PRId64, (int64_t)v);
	else
		sb_printf(b, "%" PRIu64, v);
}

/* A string as strace would print it (so that the parser reads it back). */
static void put_string(struct sbuf *b, const char *s, bool trunc)
{
	static const char esc[] = "\a\b\f\n\r\t\v";
	static const char let[] = "abfnrtv";
	const unsigned char *p;

	sb_putc(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		const char *e = strchr(esc, *p);

		if (*p == '"' || *p == '\\')
			sb_printf(b, "\\%c", *p);
		else if (e && *p)
			sb_printf(b, "\\%c", let[e - esc]);
		else if (*p < 0x20 || *p == 0x7f)
			sb_printf(b, "\\%03o", *p);
		else
			sb_putc(b, (char)*p);
	}
	sb_putc(b, '"');
	if (trunc)
		sb_puts(b, "...");
}

/*
 * Data as strace prints a buffer: printable bytes as they are, C escapes,
 * the rest in octal (three digits when a digit follows).
 */
static void put_data(struct sbuf *b, const char *s, size_t n, bool trunc)
{
	static const char esc[] = "\t\n\v\f\r";
	static const char let[] = "tnvfr";
	size_t i;

	sb_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *e = c ? strchr(esc, c) : NULL;

		if (c == '"' || c == '\\')
			sb_printf(b, "\\%c", c);
		else if (e)
			sb_printf(b, "\\%c", let[e - esc]);
		else if (c < 0x20 || c >= 0x7f)
			sb_printf(b, i + 1 < n && s[i + 1] >= '0' &&
					     s[i + 1] <= '9' ?
					     "\\%03o" : "\\%o",
				  c);
		else
			sb_putc(b, (char)c);
	}
	sb_putc(b, '"');
	if (trunc)
		sb_puts(b, "...");
}

/* An operand of a command: bare unless it needs quoting. */
static void put_token(struct sbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	bool quote = !*p || *p == '"' || *p == '#';

	for (; *p && !quote; p++)
		quote = *p <= 0x20 || *p == 0x7f;
	if (quote)
		put_string(b, s, false);
	else
		sb_puts(b, s);
}

/* The "e:" or "a:" entries of a spawn's list, as -e NAME=VALUE or ARG. */
static void put_spawn_list(struct sbuf *b, const char *list, char kind)
{
	char *tok;

	while (list && *list) {
		size_t n = strcspn(list, "\n");

		if (n >= 2 && list[0] == kind && list[1] == ':') {
			tok = memdup_str(list + 2, n - 2);
			sb_puts(b, kind == 'e' ? " -e " : " ");
			if (tok)
				put_token(b, tok);
			free(tok);
		}
		list += n + (list[n] == '\n');
	}
}

static void put_rlim_val(struct sbuf *b, uint64_t v, bool is64)
{
	if (v == S_RLIM_INFINITY)
		sb_puts(b, is64 ? "RLIM64_INFINITY" : "RLIM_INFINITY");
	else if (v && !(v % 1024))
		sb_printf(b, "%" PRIu64 "*1024", v / 1024);
	else
		sb_printf(b, "%" PRIu64, v);
}

static void put_rlim(struct sbuf *b, const struct script_rlim *r, bool is64)
{
	switch (r->form) {
	case SCRIPT_RLIM_STRUCT:
		sb_puts(b, "{rlim_cur=");
		put_rlim_val(b, r->cur, is64);
		sb_puts(b, ", rlim_max=");
		put_rlim_val(b, r->max, is64);
		sb_putc(b, '}');
		break;
	case SCRIPT_RLIM_ADDR:
		put_addr(b, r->cur);
		break;
	default:
		sb_puts(b, "NULL");
		break;
	}
}

static void put_arg(struct sbuf *b, const struct mmsim_op *op, int k)
{
	uint64_t v = op->arg[k];
	bool is64 = op->sys == SCRIPT_SYS_PRLIMIT64;

	switch ((enum argt)sys_desc[op->sys].t[k]) {
	case T_ADDR:
		put_addr(b, v);
		break;
	case T_NUM:
	case T_NONE:
		sb_printf(b, "%" PRIu64, v);
		break;
	case T_OFF:
		put_hex(b, v);
		break;
	case T_INT:
		sb_printf(b, "%" PRId64, (int64_t)v);
		break;
	case T_FD:
	case T_DIRFD:
		if (sys_desc[op->sys].t[k] == T_DIRFD && v == (uint64_t)-100)
			sb_puts(b, "AT_FDCWD");
		else
			sb_printf(b, "%" PRId64, (int64_t)v);
		if (op->fdpath)
			sb_printf(b, "<%s>", op->fdpath);
		break;
	case T_PROT:
		put_bits(b, prot_names, ARRAY_SIZE(prot_names), v, "PROT_NONE",
			 true);
		break;
	case T_MAP:
		put_map_flags(b, v);
		break;
	case T_MREMAP:
		put_bits(b, mremap_names, ARRAY_SIZE(mremap_names), v, NULL, true);
		break;
	case T_MADV:
		put_value(b, madv_names, ARRAY_SIZE(madv_names), v, true);
		break;
	case T_MCL:
		put_bits(b, mcl_names, ARRAY_SIZE(mcl_names), v, NULL, true);
		break;
	case T_MLOCK:
		put_bits(b, mlock_names, ARRAY_SIZE(mlock_names), v, NULL, true);
		break;
	case T_MS:
		put_bits(b, ms_names, ARRAY_SIZE(ms_names), v, NULL, true);
		break;
	case T_OFLAGS:
		put_oflags(b, v);
		break;
	case T_PKEY:
		put_bits(b, pkey_names, ARRAY_SIZE(pkey_names), v, NULL, true);
		break;
	case T_MODE:
		sb_printf(b, "%#03" PRIo64, v);
		break;
	case T_STR:
		put_string(b, op->str ? op->str : "", op->str_truncated);
		break;
	case T_NAME:
		if (op->str)
			put_string(b, op->str, op->str_truncated);
		else
			sb_puts(b, "NULL");
		break;
	case T_PROPT:
		sb_puts(b, "PR_SET_VMA");
		break;
	case T_PRVMA:
		sb_puts(b, "PR_SET_VMA_ANON_NAME");
		break;
	case T_RES:
		put_value(b, rlimit_names, ARRAY_SIZE(rlimit_names), v, false);
		break;
	case T_RLIM_NEW:
		put_rlim(b, &op->rlim[0], is64);
		break;
	case T_RLIM_OLD:
		put_rlim(b, &op->rlim[1], is64);
		break;
	case T_WBUF:
		put_data(b, op->str ? op->str : "", op->str_len,
			 op->str_truncated);
		break;
	case T_RBUF:
		if (op->str)
			put_data(b, op->str, op->str_len, op->str_truncated);
		else if (v)
			put_addr(b, v);
		else
			sb_puts(b, "\"\"...");	/* what was read: not shown */
		break;
	case T_VEC: {
		size_t i;

		if (!op->str && v) {
			put_addr(b, v);
			break;
		}
		sb_putc(b, '[');
		for (i = 0; op->str && i < op->str_len; i++)
			sb_printf(b, "%s%u", i ? ", " : "",
				  (unsigned char)op->str[i]);
		if (!op->str || op->str_truncated)
			sb_puts(b, op->str && op->str_len ? ", ..." : "...");
		sb_putc(b, ']');
		break;
	}
	case T_FALLOC:
		put_bits(b, falloc_names, ARRAY_SIZE(falloc_names), v, NULL,
			 true);
		break;
	case T_MNTSRC:
		sb_puts(b, "\"none\"");
		break;
	case T_FSTYPE:
		sb_puts(b, "\"hugetlbfs\"");
		break;
	case T_MNTFLAGS:
		put_bits(b, mount_names, ARRAY_SIZE(mount_names), v, NULL, true);
		break;
	case T_MNTDATA:
		if (op->str2)
			put_string(b, op->str2, false);
		else
			sb_puts(b, "NULL");
		break;
	case T_UMNT:
		put_bits(b, umount_names, ARRAY_SIZE(umount_names), v, NULL,
			 true);
		break;
	case T_STATFSBUF:
		if (op->str2)
			sb_puts(b, op->str2);
		else
			put_addr(b, v);
		break;
	case T_SHMKEY:
		if (!v)
			sb_puts(b, "IPC_PRIVATE");
		else
			sb_printf(b, "%#x", (uint32_t)v);
		break;
	case T_SHMGET: {
		uint64_t huge = (v >> 26) & 0x3f, mode = v & 0777;
		bool first = true;

		v &= ~0777ULL;
		if (huge == 21 || huge == 30)
			v &= ~(0x3fULL << 26);
		if (v) {
			put_bits(b, shmget_names, 4, v, NULL, true);
			first = false;
		}
		if (huge == 21 || huge == 30) {
			sb_printf(b, "%s%s", first ? "" : "|",
				  huge == 21 ? "SHM_HUGE_2MB" : "SHM_HUGE_1GB");
			first = false;
		}
		if (mode || first)
			sb_printf(b, "%s%#" PRIo64, first ? "" : "|", mode);
		break;
	}
	case T_SHMAT:
		put_bits(b, shmat_names, ARRAY_SIZE(shmat_names), v, NULL, true);
		break;
	case T_SHMCTL:
		if ((v & 0x100) && v < 0x200) {
			sb_puts(b, "IPC_64|");
			v &= ~0x100ULL;
		}
		put_value(b, shmctl_names, ARRAY_SIZE(shmctl_names) - 1, v,
			  true);
		break;
	case T_SHMBUF:
		if (op->str && (op->arg[1] & ~0x100ULL) != 1) {
			sb_puts(b, "{...}");	/* what the call fills in */
		} else if (op->str && op->str_len >= 24) {
			uint32_t uid, gid;
			uint16_t mode;

			memcpy(&uid, op->str + 4, 4);
			memcpy(&gid, op->str + 8, 4);
			memcpy(&mode, op->str + 20, 2);
			sb_printf(b, "{shm_perm={uid=%u, gid=%u, mode=%#o}}",
				  uid, gid, (unsigned)mode);
		} else {
			put_addr(b, v);
		}
		break;
	case T_MFD: {
		uint64_t huge = (v >> 26) & 0x3f;

		if ((v & 0x4) && (huge == 21 || huge == 30)) {
			put_bits(b, mfd_names, 5, v & ~(0x3fULL << 26), NULL,
				 true);
			sb_puts(b, huge == 21 ? "|MFD_HUGE_2MB" : "|MFD_HUGE_1GB");
		} else {
			put_bits(b, mfd_names, 5, v, NULL, true);
		}
		break;
	}
	}
}

static void put_result(struct sbuf *b, const struct mmsim_op *op)
{
	const char *name;

	switch (op->res) {
	case SCRIPT_RES_VALUE:
		/* addresses in hex, as strace prints them; so is a value
		 * that "-N" would not give back */
		if ((op->kind == MMSIM_OP_SYSCALL &&
		     script_sys_returns_addr(op->sys)) || (int64_t)op->ret < 0)
			put_hex(b, op->ret);
		else
			sb_printf(b, "%" PRId64, (int64_t)op->ret);
		if (op->retpath)
			sb_printf(b, "<%s>", op->retpath);
		break;
	case SCRIPT_RES_ERROR:
		name = script_errno_name(op->err);
		if (name)
			sb_printf(b, "-1 %s (%s)", name,
				  script_errno_text(op->err));
		else
			sb_printf(b, "-1 ERRNO_%d (Unknown error %d)", op->err,
				  op->err);
		break;
	case SCRIPT_RES_UNKNOWN:
		sb_putc(b, '?');
		break;
	case SCRIPT_RES_NONE:
		break;
	}
}

void script_format_ret(enum script_sys sys, long ret, char *buf, size_t size)
{
	struct mmsim_op op;
	struct sbuf b = { 0 };
	char *s;

	script_op_init(&op);
	op.kind = MMSIM_OP_SYSCALL;
	op.sys = sys;
	script_op_set_result(&op, ret);
	put_result(&b, &op);
	s = sb_take(&b);
	snprintf(buf, size, "%s", s ? s : "?");
	free(s);
}

void script_signal_format(const struct mmsim_fault_result *r, char *buf,
			  size_t size)
{
	const char *sig = signal_name(r->signo);
	const char *code = sicode_name(r->signo, r->code);
	struct sbuf b = { 0 };
	char *s;

	if (r->signo == MMSIM_SIG_KILL) {
		/* strace's line for a task killed by SIGKILL */
		snprintf(buf, size, "+++ killed by SIGKILL +++");
		return;
	}
	if (r->signo) {
		if (sig)
			sb_printf(&b, "--- %s {si_signo=%s, si_code=", sig, sig);
		else
			sb_printf(&b, "--- SIG%d {si_signo=%d, si_code=",
				  r->signo, r->signo);
		if (code)
			sb_puts(&b, code);
		else
			sb_printf(&b, "%d", r->code);
		sb_puts(&b, ", si_addr=");
		put_addr(&b, r->addr);
		sb_puts(&b, "} ---");
	}
	s = sb_take(&b);
	snprintf(buf, size, "%s", s ? s : "");
	free(s);
}

static void put_op(struct sbuf *b, const struct mmsim_op *op, unsigned flags)
{
	int k;

	switch (op->kind) {
	case MMSIM_OP_SYSCALL:
		if ((unsigned)op->sys >= SCRIPT_SYS_COUNT) {
			sb_puts(b, "?");
			break;
		}
		sb_printf(b, "%s(", script_sys_name(op->sys));
		for (k = 0; k < op->nargs && k < SCRIPT_MAX_ARGS; k++) {
			if (k)
				sb_puts(b, ", ");
			put_arg(b, op, k);
		}
		sb_putc(b, ')');
		if ((flags & SCRIPT_PRINT_RESULT) && op->res != SCRIPT_RES_NONE) {
			sb_puts(b, " = ");
			put_result(b, op);
		}
		break;
	case MMSIM_OP_OTHER:
	case MMSIM_OP_CLONE:
	case MMSIM_OP_EXEC:
		sb_puts(b, op->str ? op->str : "");
		break;
	case MMSIM_OP_SPAWN:
		sb_puts(b, "spawn");
		put_spawn_list(b, op->str2, 'e');
		if (op->str) {
			sb_putc(b, ' ');
			put_token(b, op->str);
		}
		put_spawn_list(b, op->str2, 'a');
		break;
	case MMSIM_OP_IMPORT:
		sb_puts(b, "import ");
		put_token(b, op->str ? op->str : "");
		for (k = 0; k < SCRIPT_IMP_COUNT; k++) {
			if (!(op->ext_set & (1u << k)))
				continue;
			sb_printf(b, " %s=", import_keys[k]);
			if (k == SCRIPT_IMP_LEGACY)
				sb_printf(b, "%" PRIu64, op->ext[k]);
			else
				put_hex(b, op->ext[k]);
		}
		break;
	case MMSIM_OP_PID:
		sb_printf(b, "pid %" PRIu64, op->arg[0]);
		break;
	case MMSIM_OP_EXIT:
		sb_puts(b, "exit");
		break;
	case MMSIM_OP_TOUCH:
		sb_puts(b, "touch ");
		put_hex(b, op->arg[0]);
		sb_printf(b, " %s", op->arg[1] < ARRAY_SIZE(access_names) ?
			  access_names[op->arg[1]] : "read");
		if (op->arg[1] == MMSIM_ACCESS_WRITE && op->arg[2])
			sb_printf(b, " %#" PRIx64, op->arg[2]);
		break;
	case MMSIM_OP_FILE:
		sb_puts(b, "file ");
		put_token(b, op->str ? op->str : "");
		sb_printf(b, " size=%" PRIu64 " dev=%02" PRIx64 ":%02" PRIx64,
			  op->arg[0], op->arg[1], op->arg[2]);
		if (op->arg[3])
			sb_printf(b, " ino=%" PRIu64, op->arg[3]);
		if (op->arg[4] != MMSIM_FILE_REGULAR &&
		    op->arg[4] < ARRAY_SIZE(file_kinds))
			sb_printf(b, " kind=%s", file_kinds[op->arg[4]]);
		break;
	case MMSIM_OP_SET:
		sb_printf(b, "set %s=%s", op->str ? op->str : "",
			  op->str2 ? op->str2 : "");
		break;
	case MMSIM_OP_SHOW:
		if (op->arg[0] == SCRIPT_SHOW_FILE) {
			sb_printf(b, "show %s", op->str ? op->str : "");
			break;
		}
		sb_printf(b, "show %s", op->arg[0] < ARRAY_SIZE(show_names) ?
			  show_names[op->arg[0]] : "maps");
		if (op->arg[0] == SCRIPT_SHOW_PAGETABLE ||
		    op->arg[0] == SCRIPT_SHOW_VMA) {
			sb_puts(b, " ");
			put_hex(b, op->arg[1]);
		}
		if (op->arg[0] == SCRIPT_SHOW_STATFS)
			sb_printf(b, " %s", op->str ? op->str : "");
		if (op->arg[0] == SCRIPT_SHOW_MEMCG)
			sb_printf(b, " %s%s%s", op->str ? op->str : "",
				  op->str2 ? " " : "", op->str2 ? op->str2 : "");
		break;
	case MMSIM_OP_MEMCG: {
		const char *l = op->str2;

		sb_printf(b, "memcg %s", op->str ? op->str : "");
		while (l && *l) {
			size_t len = strcspn(l, "\n");

			sb_printf(b, " %.*s", (int)len, l);
			l += len + (l[len] ? 1 : 0);
		}
		break;
	}
	case MMSIM_OP_ECHO:
		sb_puts(b, "echo");
		if (op->str && *op->str)
			sb_printf(b, " %s", op->str);
		break;
	case MMSIM_OP_EXPECT_MAPS:
		sb_printf(b, "expect maps\n%send", op->str ? op->str : "");
		break;
	case MMSIM_OP_EXPECT_SIGNAL:
		if (!op->arg[0]) {
			sb_puts(b, "expect signal none");
			break;
		}
		sb_printf(b, "expect signal %s",
			  signal_name((int)op->arg[0]) ?
			  signal_name((int)op->arg[0]) : "SIGSEGV");
		if (op->arg[1] != UINT64_MAX &&
		    sicode_name((int)op->arg[0], (int)op->arg[1]))
			sb_printf(b, " %s", sicode_name((int)op->arg[0],
							(int)op->arg[1]));
		break;
	case MMSIM_OP_EXPECT_MAP_COUNT:
		sb_printf(b, "expect map_count %" PRIu64, op->arg[0]);
		break;
	case MMSIM_OP_SLEEP:
		sb_printf(b, "sleep %" PRIu64, op->arg[0]);
		break;
	case MMSIM_OP_EXPLAIN:
		sb_printf(b, "explain %s", op->arg[0] == MMSIM_EXPLAIN_JSON ?
			  "json" : op->arg[0] ? "on" : "off");
		break;
	}
}

char *script_op_format(const struct mmsim_op *op, unsigned flags)
{
	struct sbuf b = { 0 };

	if ((flags & SCRIPT_PRINT_PID) && op->pid >= 0)
		sb_printf(&b, "%-5d ", op->pid);
	put_op(&b, op, flags);
	return sb_take(&b);
}

int script_op_fprint(FILE *f, const struct mmsim_op *op, unsigned flags)
{
	char *s = script_op_format(op, flags);

	if (!s)
		return -ENOMEM;
	fprintf(f, "%s\n", s);
	free(s);
	return 0;
}

int script_call_fprint(FILE *f, const struct mmsim_op *op, long ret,
		       unsigned flags)
{
	struct mmsim_op shown = *op;

	shown.retpath = NULL;
	script_op_set_result(&shown, ret);
	return script_op_fprint(f, &shown, flags | SCRIPT_PRINT_RESULT);
}

/* ===================================================================== */
/* Applying a syscall                                                    */
/* ===================================================================== */

static int rlimit_resource(uint64_t v)
{
	return v < 64 ? (int)v : -1;
}

/* setrlimit/getrlimit/prlimit64 in the kernel's order: resource, copy of
 * the new limit, old limit, new limit. */
static long rlimit_call(struct mmsim_process *p, uint64_t resource,
			const struct script_rlim *newl,
			const struct script_rlim *oldl)
{
	struct mmsim_rlimit lim, old;
	int res = rlimit_resource(resource);
	long r;

	if (res < 0 || res >= 16)
		return -EINVAL;
	if (newl && newl->form == SCRIPT_RLIM_ADDR)
		return -EFAULT;
	if (oldl && oldl->form != SCRIPT_RLIM_NULL &&
	    oldl->form != SCRIPT_RLIM_NONE) {
		r = mmsim_getrlimit(p, res, &old);
		if (r)
			return r;
	}
	if (newl && newl->form == SCRIPT_RLIM_STRUCT) {
		lim.cur = newl->cur;
		lim.max = newl->max;
		return mmsim_setrlimit(p, res, &lim);
	}
	return 0;
}

/* An argument the kernel declares int: its low 32 bits, sign-extended. */
static long arg_int(uint64_t v)
{
	return (long)(int32_t)(uint32_t)v;
}

long script_syscall_apply(struct mmsim_process *p, const struct mmsim_op *op)
{
	const uint64_t *a = op->arg;
	const char *path;

	if (op->kind != MMSIM_OP_SYSCALL)
		return -ENOSYS;
	switch (op->sys) {
	case SCRIPT_SYS_MMAP:
		/* the kernel reads the fd as an int */
		return mmsim_mmap(p, a[0], a[1], a[2], a[3], arg_int(a[4]),
				  a[5]);
	case SCRIPT_SYS_MUNMAP:
		return mmsim_munmap(p, a[0], a[1]);
	case SCRIPT_SYS_MPROTECT:
		return mmsim_mprotect(p, a[0], a[1], a[2]);
	case SCRIPT_SYS_PKEY_MPROTECT:
		return mmsim_pkey_mprotect(p, a[0], a[1], a[2], arg_int(a[3]));
	case SCRIPT_SYS_PKEY_ALLOC:
		return mmsim_pkey_alloc(p, a[0], a[1]);
	case SCRIPT_SYS_PKEY_FREE:
		return mmsim_pkey_free(p, arg_int(a[0]));
	case SCRIPT_SYS_MREMAP:
		return mmsim_mremap(p, a[0], a[1], a[2], a[3],
				    op->nargs > 4 ? a[4] : 0);
	case SCRIPT_SYS_BRK:
		return mmsim_brk(p, a[0]);
	case SCRIPT_SYS_MADVISE:
		return mmsim_madvise(p, a[0], a[1], arg_int(a[2]));
	case SCRIPT_SYS_MLOCK:
		return mmsim_mlock(p, a[0], a[1]);
	case SCRIPT_SYS_MLOCK2:
		return mmsim_mlock2(p, a[0], a[1], (uint64_t)arg_int(a[2]));
	case SCRIPT_SYS_MUNLOCK:
		return mmsim_munlock(p, a[0], a[1]);
	case SCRIPT_SYS_MLOCKALL:
		return mmsim_mlockall(p, (uint64_t)arg_int(a[0]));
	case SCRIPT_SYS_MUNLOCKALL:
		return mmsim_munlockall(p);
	case SCRIPT_SYS_MSYNC:
		return mmsim_msync(p, a[0], a[1], (uint64_t)arg_int(a[2]));
	case SCRIPT_SYS_MSEAL:
		return mmsim_mseal(p, a[0], a[1], a[2]);
	case SCRIPT_SYS_OPEN:
	case SCRIPT_SYS_OPENAT:
		path = op->retpath ? op->retpath : op->str ? op->str : "";
		if (op->res == SCRIPT_RES_VALUE && op->ret <= INT_MAX)
			return mmsim_open_at_fd(p, path,
				(int)a[op->sys == SCRIPT_SYS_OPEN ? 1 : 2],
				(int)op->ret);
		return mmsim_open(p, path,
				  (int)a[op->sys == SCRIPT_SYS_OPEN ? 1 : 2]);
	case SCRIPT_SYS_CLOSE:
		return mmsim_close(p, (int)(uint32_t)a[0]);
	case SCRIPT_SYS_FTRUNCATE:
		return mmsim_ftruncate(p, (int)(uint32_t)a[0], a[1]);
	case SCRIPT_SYS_PRCTL:
		return mmsim_set_anon_vma_name(p, a[2], a[3], op->str);
	case SCRIPT_SYS_SETRLIMIT:
		return rlimit_call(p, a[0], &op->rlim[0], NULL);
	case SCRIPT_SYS_GETRLIMIT:
		if (rlimit_resource(a[0]) < 0 || rlimit_resource(a[0]) >= 16)
			return -EINVAL;
		if (op->rlim[1].form == SCRIPT_RLIM_NULL)
			return -EFAULT;
		return rlimit_call(p, a[0], NULL, &op->rlim[1]);
	case SCRIPT_SYS_PRLIMIT64:
		return rlimit_call(p, a[1], &op->rlim[0], &op->rlim[1]);
	case SCRIPT_SYS_READ:
		return mmsim_read(p, (int)(uint32_t)a[0], NULL, a[2]);
	case SCRIPT_SYS_PREAD64:
		return mmsim_pread(p, (int)(uint32_t)a[0], NULL, a[2],
				   (int64_t)a[3]);
	case SCRIPT_SYS_WRITE:
	case SCRIPT_SYS_PWRITE64: {
		/* Bytes strace did not show (a cut string) are zeroes. */
		char *buf = NULL;
		long r;

		if (a[2] && a[2] <= (64ULL << 20)) {
			buf = calloc(1, a[2]);
			if (!buf)
				return -ENOMEM;
			if (op->str)
				memcpy(buf, op->str,
				       op->str_len < a[2] ? op->str_len : a[2]);
		}
		r = op->sys == SCRIPT_SYS_WRITE ?
			    mmsim_write(p, (int)(uint32_t)a[0], buf, a[2]) :
			    mmsim_pwrite(p, (int)(uint32_t)a[0], buf, a[2],
					 (int64_t)a[3]);
		free(buf);
		return r;
	}
	case SCRIPT_SYS_FALLOCATE:
		return mmsim_fallocate(p, (int)(uint32_t)a[0], (int)a[1],
				       (int64_t)a[2], (int64_t)a[3]);
	case SCRIPT_SYS_MEMFD_CREATE:
		if (op->res == SCRIPT_RES_VALUE && op->ret <= INT_MAX)
			return mmsim_memfd_create_at_fd(p, op->str ? op->str : "",
							(unsigned int)a[1],
							(int)op->ret);
		return mmsim_memfd_create(p, op->str ? op->str : "",
					  (unsigned int)a[1]);
	case SCRIPT_SYS_MINCORE: {
		uint64_t pages = (a[1] >> 12) + ((a[1] & 4095) != 0);
		unsigned char *vec;
		long r;

		if (pages > (1ULL << 24))
			pages = 1ULL << 24;
		vec = malloc(pages ? pages : 1);
		if (!vec)
			return -ENOMEM;
		r = mmsim_mincore(p, a[0], a[1], vec);
		free(vec);
		return r;
	}
	case SCRIPT_SYS_SWAPON:
		return mmsim_swapon(p, op->str ? op->str : "", (int)a[1]);
	case SCRIPT_SYS_SWAPOFF:
		return mmsim_swapoff(p, op->str ? op->str : "");
	case SCRIPT_SYS_MOUNT:
		return mmsim_mount(p, "none", op->str ? op->str : "",
				   "hugetlbfs", (unsigned long)a[3], op->str2);
	case SCRIPT_SYS_UMOUNT2:
		return mmsim_umount2(p, op->str ? op->str : "", (int)a[1]);
	case SCRIPT_SYS_STATFS: {
		struct mmsim_statfs st;

		return mmsim_statfs(p, op->str ? op->str : "", &st);
	}
	case SCRIPT_SYS_SHMGET:
		return mmsim_shmget(p, (int32_t)a[0], a[1], (int)a[2]);
	case SCRIPT_SYS_SHMAT:
		return mmsim_shmat(p, (int)a[0], a[1], (int)a[2]);
	case SCRIPT_SYS_SHMDT:
		return mmsim_shmdt(p, a[0]);
	case SCRIPT_SYS_SHMCTL: {
		unsigned char buf[112];

		memset(buf, 0, sizeof(buf));
		if (op->str)
			memcpy(buf, op->str, op->str_len < sizeof(buf) ?
						     op->str_len : sizeof(buf));
		return mmsim_shmctl(p, (int)a[0], (int)a[1],
				    op->str || a[2] ? buf : NULL);
	}
	case SCRIPT_SYS_COUNT:
		break;
	}
	return -ENOSYS;
}

/* ===================================================================== */
/* Interpreter                                                           */
/* ===================================================================== */

/* What the script opened in one process, so that mmap's fd has a name. */
struct proc_state {
	struct mmsim_process *p;
	char **fd_path;
	int nfd;
};

/* A script PID (strace's, or the model's) and the process it names;
 * threads of one process share it. */
struct pid_bind {
	int pid;
	struct mmsim_process *p;
};

/* A file an strace log opened that the script never declared. */
struct implicit_file {
	uint64_t ino, size;
};

struct script_interp {
	struct script_opts o;
	struct mmsim_machine *m;
	struct mmsim_process *cur;
	struct proc_state *procs;
	size_t nprocs, cap_procs;
	struct pid_bind *binds;
	size_t nbinds, cap_binds;
	struct path_map files;		/* path -> struct implicit_file */
	uint64_t next_ino;
	bool have_touch;
	struct mmsim_fault_result touch;
	uint64_t touch_value;		/* what the last touch read or wrote */
	/* for script_interp_result(): operations run, and the one that
	 * set last_ret or touch */
	uint64_t nexec, ret_seq, touch_seq;
	long last_ret;
};

bool script_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t c;
	void *p;

	if (n < *cap)
		return true;
	c = *cap ? *cap * 2 : 8;
	p = realloc(*arr, c * elem);
	if (!p)
		return false;
	*arr = p;
	*cap = c;
	return true;
}

static FILE *in_out(const struct script_interp *in)
{
	return in->o.out ? in->o.out : stdout;
}

static FILE *in_err(const struct script_interp *in)
{
	return in->o.err ? in->o.err : stderr;
}

/* "file:line[:col]: message" on the error stream, after what is already
 * on the output stream so that a combined log keeps the order. */
__attribute__((format(printf, 4, 5)))
static void report(struct script_interp *in, const struct mmsim_op *op,
		   int col, const char *fmt, ...)
{
	FILE *err = in_err(in);
	va_list ap;

	fflush(in_out(in));
	fprintf(err, "%s:%d:", in->o.filename ? in->o.filename : "<stdin>",
		op->line);
	if (col > 0)
		fprintf(err, "%d:", col);
	fputc(' ', err);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
	fflush(err);
}

struct script_interp *script_interp_create(const struct script_opts *opts)
{
	struct script_interp *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	if (opts)
		in->o = *opts;
	in->next_ino = SCRIPT_FILE_FIRST_INO;
	return in;
}

static void proc_state_free(struct proc_state *s)
{
	int fd;

	for (fd = 0; fd < s->nfd; fd++)
		free(s->fd_path[fd]);
	free(s->fd_path);
}

void script_interp_destroy(struct script_interp *in)
{
	size_t i;

	if (!in)
		return;
	for (i = 0; i < in->nprocs; i++)
		proc_state_free(&in->procs[i]);
	free(in->procs);
	free(in->binds);
	path_map_destroy(&in->files, free);
	mmsim_machine_destroy(in->m);
	free(in);
}

struct mmsim_machine *script_interp_machine(struct script_interp *in)
{
	return in->m;
}

struct mmsim_process *script_interp_process(struct script_interp *in)
{
	return in->cur;
}

static bool ensure_machine(struct script_interp *in)
{
	if (!in->m) {
		in->m = mmsim_machine_create(&in->o.cfg);
		if (in->m && in->o.explain)
			mmsim_explain_set(in->m, in->o.explain, in_out(in));
	}
	return in->m != NULL;
}

static struct proc_state *proc_state(struct script_interp *in,
				     struct mmsim_process *p)
{
	size_t i;

	for (i = 0; i < in->nprocs; i++)
		if (in->procs[i].p == p)
			return &in->procs[i];
	return NULL;
}

static struct mmsim_process *bound(struct script_interp *in, int pid)
{
	size_t i;

	for (i = 0; i < in->nbinds; i++)
		if (in->binds[i].pid == pid)
			return in->binds[i].p;
	return NULL;
}

static bool bind_pid(struct script_interp *in, int pid,
		     struct mmsim_process *p)
{
	size_t i;

	for (i = 0; i < in->nbinds; i++)
		if (in->binds[i].pid == pid) {
			in->binds[i].p = p;
			return true;
		}
	if (!script_grow((void **)&in->binds, &in->cap_binds, in->nbinds,
		  sizeof(*in->binds)))
		return false;
	in->binds[in->nbinds].pid = pid;
	in->binds[in->nbinds].p = p;
	in->nbinds++;
	return true;
}

/* Takes a new process into the interpreter's books, bound to pid. */
static struct mmsim_process *adopt(struct script_interp *in,
				   struct mmsim_process *p, int pid)
{
	if (!p)
		return NULL;
	if (!script_grow((void **)&in->procs, &in->cap_procs, in->nprocs,
		  sizeof(*in->procs)) ||
	    !bind_pid(in, pid, p)) {
		mmsim_exit(p);
		return NULL;
	}
	memset(&in->procs[in->nprocs], 0, sizeof(in->procs[0]));
	in->procs[in->nprocs++].p = p;
	in->cur = p;
	return p;
}

static void proc_forget(struct script_interp *in, struct mmsim_process *p)
{
	struct proc_state *s = proc_state(in, p);
	size_t i;

	if (s) {
		proc_state_free(s);
		*s = in->procs[--in->nprocs];
	}
	for (i = 0; i < in->nbinds;)
		if (in->binds[i].p == p)
			in->binds[i] = in->binds[--in->nbinds];
		else
			i++;
	if (in->cur == p)
		in->cur = NULL;
	mmsim_exit(p);
}

/* The process an operation runs in: its PID's, or the selected one; a
 * PID never seen, or no process at all, gets a fresh default process. */
static struct mmsim_process *proc_for(struct script_interp *in,
				      const struct mmsim_op *op, bool create)
{
	struct mmsim_process *p;

	if (op->pid >= 0) {
		p = bound(in, op->pid);
		if (!p && create && ensure_machine(in))
			p = adopt(in, mmsim_spawn(in->m, NULL), op->pid);
		if (p)
			in->cur = p;
		return p;
	}
	if (!in->cur && create && ensure_machine(in)) {
		p = mmsim_spawn(in->m, NULL);
		if (p)
			adopt(in, p, mmsim_process_pid(p));
	}
	return in->cur;
}

/*
 * fork(): the model's child of p, bound to pid, with the parent's file
 * descriptor names. The parent stays the current process, as strace's
 * next line of the parent expects.
 */
static struct mmsim_process *fork_child(struct script_interp *in,
					struct mmsim_process *p, int pid)
{
	struct proc_state *ps, *cs;
	struct mmsim_process *c = mmsim_fork(p);
	int fd;

	if (!c || !adopt(in, c, pid))
		return NULL;
	in->cur = p;
	ps = proc_state(in, p);
	cs = proc_state(in, c);
	if (ps && cs && ps->nfd) {
		cs->fd_path = calloc((size_t)ps->nfd, sizeof(*cs->fd_path));
		if (!cs->fd_path)
			return NULL;
		cs->nfd = ps->nfd;
		for (fd = 0; fd < ps->nfd; fd++)
			if (ps->fd_path[fd] &&
			    !(cs->fd_path[fd] = strdup(ps->fd_path[fd])))
				return NULL;
	}
	return c;
}

static const char *fd_lookup(struct script_interp *in,
			     struct mmsim_process *p, int64_t fd)
{
	struct proc_state *s = proc_state(in, p);

	if (!s || fd < 0 || fd >= s->nfd)
		return NULL;
	return s->fd_path[fd];
}

static void fd_remember(struct script_interp *in, struct mmsim_process *p,
			int fd, const char *path)
{
	struct proc_state *s = proc_state(in, p);
	char **v;
	int n;

	if (!s || fd < 0)
		return;
	if (fd >= s->nfd) {
		n = s->nfd ? s->nfd : 16;
		while (n <= fd && n < (1 << 21))
			n *= 2;
		if (n <= fd)
			return;
		v = realloc(s->fd_path, (size_t)n * sizeof(*v));
		if (!v)
			return;
		memset(v + s->nfd, 0, (size_t)(n - s->nfd) * sizeof(*v));
		s->fd_path = v;
		s->nfd = n;
	}
	free(s->fd_path[fd]);
	s->fd_path[fd] = strdup(path);
}

static void fd_forget(struct script_interp *in, struct mmsim_process *p,
		      int fd)
{
	struct proc_state *s = proc_state(in, p);

	if (s && fd >= 0 && fd < s->nfd) {
		free(s->fd_path[fd]);
		s->fd_path[fd] = NULL;
	}
}

static struct implicit_file *implicit_find(struct script_interp *in,
					   const char *path)
{
	return path_map_get(&in->files, path);
}

/* A file the recording opened but the script never declared: it existed
 * on the traced machine, so it exists here (regular, on SCRIPT_FILE_DEV,
 * as large as the mappings of it need). */
static int implicit_create(struct script_interp *in, const char *path)
{
	struct implicit_file *f = malloc(sizeof(*f));
	int r;

	if (!f)
		return -ENOMEM;
	f->ino = in->next_ino++;
	f->size = 0;
	r = mmsim_file_create(in->m, path, MMSIM_FILE_REGULAR,
			      SCRIPT_FILE_DEV_MAJOR, SCRIPT_FILE_DEV_MINOR,
			      f->ino, 0);
	/* made again after an unlink: the first identity stays the one
	 * implicit_resize() gives it */
	if (r < 0 || implicit_find(in, path)) {
		free(f);
		return r < 0 ? r : 0;
	}
	if (path_map_set(&in->files, path, f)) {
		free(f);
		return -ENOMEM;
	}
	return 0;
}

static void implicit_resize(struct script_interp *in, const char *path,
			    uint64_t size, bool grow_only)
{
	struct implicit_file *f = path ? implicit_find(in, path) : NULL;

	if (!f || (grow_only && size <= f->size))
		return;
	f->size = size;
	mmsim_file_create(in->m, path, MMSIM_FILE_REGULAR,
			  SCRIPT_FILE_DEV_MAJOR, SCRIPT_FILE_DEV_MINOR, f->ino,
			  size);
}

/* The path an open names: strace -y's resolved path of the result, else
 * the argument made absolute against the directory fd (or "/"). */
static char *open_path(struct script_interp *in, struct mmsim_process *p,
		       const struct mmsim_op *op)
{
	const char *s = op->str ? op->str : "", *dir = "/";
	struct sbuf b = { 0 };

	if (op->retpath && op->retpath[0] == '/')
		return strdup(op->retpath);
	if (s[0] == '/')
		return strdup(s);
	if (op->sys == SCRIPT_SYS_OPENAT) {
		if (op->fdpath && op->fdpath[0] == '/')
			dir = op->fdpath;
		else if (fd_lookup(in, p, (int64_t)op->arg[0]))
			dir = fd_lookup(in, p, (int64_t)op->arg[0]);
	}
	while (s[0] == '.' && s[1] == '/')
		s += 2;
	sb_puts(&b, dir);
	if (!b.len || b.p[b.len - 1] != '/')
		sb_putc(&b, '/');
	sb_puts(&b, s);
	return sb_take(&b);
}

static long interp_open(struct script_interp *in, struct mmsim_process *p,
			const struct mmsim_op *op)
{
	uint64_t flags = op->arg[op->sys == SCRIPT_SYS_OPEN ? 1 : 2];
	int want = -1;
	bool created = false;
	char *path;
	long r;

	if (op->res == SCRIPT_RES_VALUE && op->ret <= INT_MAX)
		want = (int)op->ret;
	path = open_path(in, p, op);
	if (!path)
		return -ENOMEM;
	for (;;) {
		r = want >= 0 ? mmsim_open_at_fd(p, path, (int)flags, want) :
				mmsim_open(p, path, (int)flags);
		if (r != -ENOENT || created || path[0] != '/' ||
		    !(want >= 0 || (flags & S_O_CREAT)))
			break;
		if (implicit_create(in, path) < 0)
			break;
		created = true;
	}
	if (r >= 0 && !created &&
	    (flags & (S_O_CREAT | S_O_EXCL)) == (S_O_CREAT | S_O_EXCL)) {
		mmsim_close(p, (int)r);
		r = -EEXIST;
	}
	if (r >= 0)
		fd_remember(in, p, (int)r, path);
	free(path);
	return r;
}

/* mmap of a fd the log never showed opened: strace -y named it. */
static void mmap_prepare_fd(struct script_interp *in, struct mmsim_process *p,
			    const struct mmsim_op *op)
{
	int fd = (int32_t)(uint32_t)op->arg[4];
	const char *path;
	long r;

	if ((op->arg[3] & S_MAP_ANONYMOUS) || fd < 0)
		return;
	path = fd_lookup(in, p, fd);
	if (!path && op->fdpath && op->fdpath[0] == '/') {
		r = mmsim_open_at_fd(p, op->fdpath, S_O_RDWR, fd);
		if (r == -ENOENT && implicit_create(in, op->fdpath) == 0)
			r = mmsim_open_at_fd(p, op->fdpath, S_O_RDWR, fd);
		if (r < 0)
			return;
		fd_remember(in, p, fd, op->fdpath);
		path = fd_lookup(in, p, fd);
	}
	if (path && op->res != SCRIPT_RES_ERROR &&
	    op->arg[1] <= UINT64_MAX - op->arg[5] - 4095)
		implicit_resize(in, path,
				(op->arg[5] + op->arg[1] + 4095) & ~4095ULL,
				true);
}

static void format_rlim(char *buf, size_t size, uint64_t cur, uint64_t max)
{
	struct script_rlim r = { SCRIPT_RLIM_STRUCT, cur, max };
	struct sbuf b = { 0 };
	char *s;

	put_rlim(&b, &r, true);
	s = sb_take(&b);
	snprintf(buf, size, "%s", s ? s : "?");
	free(s);
}

/* Compares the model's result with the recorded "= RESULT". */
static int check_result(struct script_interp *in, const struct mmsim_op *op,
			long ret)
{
	struct mmsim_op exp;
	bool ok, is_err = ret < 0 && ret >= -4095;
	char want[128], got[128];
	char *s;

	if (in->o.no_check)
		return SCRIPT_OK;
	switch (op->res) {
	case SCRIPT_RES_VALUE:
		ok = !is_err && (uint64_t)ret == op->ret;
		if (in->o.no_check_addr && script_sys_returns_addr(op->sys))
			ok = !is_err;
		break;
	case SCRIPT_RES_ERROR:
		ok = is_err && ret == -(long)op->err;
		break;
	default:
		return SCRIPT_OK;
	}
	if (ok)
		return SCRIPT_OK;
	exp = *op;
	exp.retpath = NULL;
	{
		struct sbuf b = { 0 };

		put_result(&b, &exp);
		s = sb_take(&b);
	}
	snprintf(want, sizeof(want), "%s", s ? s : "?");
	free(s);
	script_format_ret(op->sys, ret, got, sizeof(got));
	report(in, op, 0, "%s: expected %s, model returned %s",
	       script_sys_name(op->sys), want, got);
	return SCRIPT_FAILED;
}

/*
 * read/write-like calls act on files the script declared (`file`) or
 * memfd_create made; on any other fd (a log's pipes, sockets, files it
 * never declared) they are skipped as calls the model does not take.
 */
static bool data_call_skipped(struct script_interp *in,
			      struct mmsim_process *p,
			      const struct mmsim_op *op)
{
	const char *path;

	switch (op->sys) {
	case SCRIPT_SYS_READ:
	case SCRIPT_SYS_WRITE:
	case SCRIPT_SYS_PREAD64:
	case SCRIPT_SYS_PWRITE64:
	case SCRIPT_SYS_FALLOCATE:
		path = fd_lookup(in, p, (int32_t)(uint32_t)op->arg[0]);
		return !path || implicit_find(in, path);
	case SCRIPT_SYS_STATFS: {
		/* only hugetlbfs mounts the script made have a statfs view */
		struct mmsim_statfs st;

		return mmsim_statfs(p, op->str ? op->str : "", &st) ==
		       -ENOSYS;
	}
	default:
		return false;
	}
}

/* What read/pread64 read and mincore's vector, as comments (like touch). */
static long exec_data_syscall(struct script_interp *in,
			      struct mmsim_process *p,
			      const struct mmsim_op *op)
{
	const uint64_t *a = op->arg;
	struct sbuf b = { NULL, 0, 0, false };
	unsigned char *buf;
	uint64_t n = op->sys == SCRIPT_SYS_MINCORE ?
			     (a[1] >> 12) + ((a[1] & 4095) != 0) : a[2];
	long r;
	uint64_t i;

	if (n > (64ULL << 20))
		return script_syscall_apply(p, op);
	buf = malloc(n ? n : 1);
	if (!buf)
		return -ENOMEM;
	if (op->sys == SCRIPT_SYS_READ)
		r = mmsim_read(p, (int)(uint32_t)a[0], buf, n);
	else if (op->sys == SCRIPT_SYS_PREAD64)
		r = mmsim_pread(p, (int)(uint32_t)a[0], buf, n, (int64_t)a[3]);
	else
		r = mmsim_mincore(p, a[0], a[1], buf);
	if (op->sys != SCRIPT_SYS_MINCORE && r > 0) {
		sb_puts(&b, "# read ");
		put_data(&b, (const char *)buf, r > 32 ? 32 : (size_t)r,
			 r > 32);
	} else if (op->sys == SCRIPT_SYS_MINCORE && r == 0 && n) {
		/* a long vector as runs: [0 x84, 1 x32, 0 x140] */
		sb_puts(&b, "# mincore [");
		for (i = 0; i < n;) {
			uint64_t j = i;

			while (j < n && (buf[j] & 1) == (buf[i] & 1))
				j++;
			if (n <= 16)
				j = i + 1;
			sb_printf(&b, i ? ", %u" : "%u", buf[i] & 1);
			if (n > 16)
				sb_printf(&b, " x%" PRIu64, j - i);
			i = j;
		}
		sb_puts(&b, "]");
	}
	if (b.len) {
		if (op->pid >= 0)
			fprintf(in_out(in), "%-5d ", op->pid);
		fprintf(in_out(in), "%.*s\n", (int)b.len, b.p);
	}
	sb_free(&b);
	free(buf);
	return r;
}

/*
 * shmctl(), and what IPC_STAT/SHM_STAT, IPC_INFO and SHM_INFO wrote, as a
 * comment in strace's words: "# shm_perm={...}, shm_segsz=..., ...".
 */
static long exec_shmctl(struct script_interp *in, struct mmsim_process *p,
			const struct mmsim_op *op)
{
	unsigned char buf[112];
	uint64_t cmd = op->arg[1] & ~0x100ULL;
	uint64_t u[9];
	uint32_t w[5];
	int64_t t[3];
	int32_t pid[2];
	uint16_t mode;
	long r;

	memset(buf, 0, sizeof(buf));
	if (op->str)
		memcpy(buf, op->str, op->str_len < sizeof(buf) ? op->str_len :
								 sizeof(buf));
	r = mmsim_shmctl(p, (int)op->arg[0], (int)op->arg[1],
			 op->str || op->arg[2] ? buf : NULL);
	if (r < 0 || (!op->str && !op->arg[2]) ||
	    (cmd != 2 && cmd != 3 && cmd != 13 && cmd != 14 && cmd != 15))
		return r;
	if (op->pid >= 0)
		fprintf(in_out(in), "%-5d ", op->pid);
	if (cmd == 2 || cmd == 13 || cmd == 15) {
		memcpy(w, buf, sizeof(w));
		memcpy(&mode, buf + 20, 2);
		memcpy(u, buf + 48, 8);
		memcpy(t, buf + 56, sizeof(t));
		memcpy(pid, buf + 80, sizeof(pid));
		memcpy(u + 1, buf + 88, 8);
		fprintf(in_out(in),
			"# shm_perm={uid=%u, gid=%u, mode=%#o, key=%d, cuid=%u, "
			"cgid=%u}, shm_segsz=%" PRIu64 ", shm_cpid=%d, "
			"shm_lpid=%d, shm_nattch=%" PRIu64 ", shm_atime=%" PRId64
			", shm_dtime=%" PRId64 ", shm_ctime=%" PRId64 "\n",
			w[1], w[2], (unsigned)mode, (int32_t)w[0], w[3], w[4],
			u[0], pid[0], pid[1], u[1], t[0], t[1], t[2]);
	} else if (cmd == 3) {
		memcpy(u, buf, 5 * 8);
		fprintf(in_out(in),
			"# shmmax=%" PRIu64 ", shmmin=%" PRIu64 ", shmmni=%" PRIu64
			", shmseg=%" PRIu64 ", shmall=%" PRIu64 "\n",
			u[0], u[1], u[2], u[3], u[4]);
	} else if (cmd == 14) {
		memcpy(w, buf, 4);
		memcpy(u, buf + 8, 3 * 8);
		fprintf(in_out(in),
			"# used_ids=%d, shm_tot=%" PRIu64 ", shm_rss=%" PRIu64
			", shm_swp=%" PRIu64 "\n",
			(int32_t)w[0], u[0], u[1], u[2]);
	}
	return r;
}

/* The recorded struct statfs's block and inode counts against the model's. */
static int check_statfs(struct script_interp *in, struct mmsim_process *p,
			const struct mmsim_op *op)
{
	static const char *const names[] = { "f_bsize", "f_blocks", "f_bfree",
					     "f_bavail", "f_files", "f_ffree" };
	struct mmsim_statfs st;
	uint64_t got[6];
	int i, status = SCRIPT_OK;

	if (mmsim_statfs(p, op->str ? op->str : "", &st))
		return SCRIPT_OK;
	got[0] = st.f_bsize;
	got[1] = st.f_blocks;
	got[2] = st.f_bfree;
	got[3] = st.f_bavail;
	got[4] = st.f_files;
	got[5] = st.f_ffree;
	for (i = 0; i < 6; i++) {
		const char *f = strstr(op->str2, names[i]);
		size_t n = strlen(names[i]);
		unsigned long long want;

		/* the name itself, not f_bfree inside f_bfree_x */
		while (f && (f[n] != '=' || (f > op->str2 && f[-1] != ' ' &&
					      f[-1] != '{')))
			f = strstr(f + 1, names[i]);
		if (!f || sscanf(f + n + 1, "%llu", &want) != 1 ||
		    want == got[i])
			continue;
		report(in, op, 0, "statfs: %s: expected %llu, model has %"
		       PRIu64, names[i], want, got[i]);
		status = SCRIPT_FAILED;
	}
	return status;
}

static int exec_syscall(struct script_interp *in, const struct mmsim_op *op)
{
	struct mmsim_process *p = proc_for(in, op, true);
	struct mmsim_rlimit before;
	int status, res;
	long ret;

	if (!p) {
		report(in, op, op->col, "out of memory");
		return SCRIPT_ERROR;
	}
	memset(&before, 0, sizeof(before));
	res = op->sys == SCRIPT_SYS_GETRLIMIT ? rlimit_resource(op->arg[0]) :
	      op->sys == SCRIPT_SYS_PRLIMIT64 ? rlimit_resource(op->arg[1]) :
	      -1;
	if (res >= 0 && res < 16)
		mmsim_getrlimit(p, res, &before);
	if (data_call_skipped(in, p, op))
		return SCRIPT_OK;
	switch (op->sys) {
	case SCRIPT_SYS_READ:
	case SCRIPT_SYS_PREAD64:
	case SCRIPT_SYS_MINCORE:
		ret = exec_data_syscall(in, p, op);
		break;
	case SCRIPT_SYS_OPEN:
	case SCRIPT_SYS_OPENAT:
		ret = interp_open(in, p, op);
		break;
	case SCRIPT_SYS_MMAP:
		mmap_prepare_fd(in, p, op);
		ret = script_syscall_apply(p, op);
		break;
	case SCRIPT_SYS_SHMCTL:
		ret = exec_shmctl(in, p, op);
		break;
	default:
		ret = script_syscall_apply(p, op);
		break;
	}
	if (op->sys == SCRIPT_SYS_CLOSE && ret == 0)
		fd_forget(in, p, (int)(uint32_t)op->arg[0]);
	if (op->sys == SCRIPT_SYS_MEMFD_CREATE && ret >= 0) {
		char path[300];

		snprintf(path, sizeof(path), "/memfd:%s (deleted)",
			 op->str ? op->str : "");
		fd_remember(in, p, (int)ret, path);
	}
	if (op->sys == SCRIPT_SYS_FTRUNCATE && ret == 0)
		implicit_resize(in, fd_lookup(in, p, (int32_t)(uint32_t)op->arg[0]),
				op->arg[1], false);
	in->last_ret = ret;
	in->ret_seq = in->nexec;
	if (in->o.verbose || (op->res == SCRIPT_RES_NONE && !in->o.quiet))
		script_call_fprint(in_out(in), op, ret, SCRIPT_PRINT_PID);
	status = check_result(in, op, ret);
	if (status == SCRIPT_OK && op->sys == SCRIPT_SYS_STATFS && ret == 0 &&
	    op->str2 && !in->o.no_check)
		status = check_statfs(in, p, op);
	if (status == SCRIPT_OK && ret == 0 && res >= 0 && !in->o.no_check &&
	    op->res == SCRIPT_RES_VALUE &&
	    op->rlim[1].form == SCRIPT_RLIM_STRUCT &&
	    (op->rlim[1].cur != before.cur || op->rlim[1].max != before.max)) {
		char want[96], got[96];

		format_rlim(want, sizeof(want), op->rlim[1].cur, op->rlim[1].max);
		format_rlim(got, sizeof(got), before.cur, before.max);
		report(in, op, 0, "%s: expected the old limit %s, model has %s",
		       script_sys_name(op->sys), want, got);
		status = SCRIPT_FAILED;
	}
	return status;
}

static void print_signal(struct script_interp *in, const struct mmsim_op *op,
			 const struct mmsim_fault_result *r)
{
	char line[160];

	script_signal_format(r, line, sizeof(line));
	if (op->pid >= 0)
		fprintf(in_out(in), "%-5d ", op->pid);
	fprintf(in_out(in), "%s\n", line);
}

static void describe_signal(char *buf, size_t size, int signo, int64_t code,
			    bool with_code)
{
	const char *sig = signal_name(signo);
	const char *cn = with_code ? sicode_name(signo, (int)code) : NULL;

	if (!signo)
		snprintf(buf, size, "none");
	else if (!with_code)
		snprintf(buf, size, "%s", sig ? sig : "?");
	else if (cn)
		snprintf(buf, size, "%s %s", sig ? sig : "?", cn);
	else
		snprintf(buf, size, "%s si_code=%d", sig ? sig : "?", (int)code);
}

/* show meminfo|vmstat|buddyinfo|zoneinfo|lru: the machine's, no process */
static int exec_show_machine(struct script_interp *in,
			     const struct mmsim_op *op, FILE *out)
{
	if (!ensure_machine(in)) {
		report(in, op, op->col, "out of memory");
		return SCRIPT_ERROR;
	}
	switch (op->arg[0]) {
	case SCRIPT_SHOW_MEMINFO:
		mmsim_proc_meminfo(in->m, out);
		break;
	case SCRIPT_SHOW_VMSTAT:
		mmsim_proc_vmstat(in->m, out);
		break;
	case SCRIPT_SHOW_BUDDYINFO:
		mmsim_proc_buddyinfo(in->m, out);
		break;
	case SCRIPT_SHOW_LRU:
		mmsim_show_lru(in->m, out);
		break;
	case SCRIPT_SHOW_SWAPS:
		mmsim_proc_swaps(in->m, out);
		break;
	case SCRIPT_SHOW_DMESG:
		mmsim_dmesg(in->m, out);
		break;
	default:
		mmsim_proc_zoneinfo(in->m, out);
		break;
	}
	return SCRIPT_OK;
}

/*
 * show /proc/sys/vm/X or /sys/kernel/mm/X/Y: the knob vm.X or mm.X.Y as
 * the file reads.
 */
/* show statfs PATH: what strace prints for statfs(2) of the path. */
static void show_statfs(struct mmsim_process *p, const char *path, FILE *out)
{
	static const struct name_val st_names[] = {
		{ "ST_VALID", 32 },	/* strace puts it first */
		{ "ST_RDONLY", 1 },	{ "ST_NOSUID", 2 },
		{ "ST_NODEV", 4 },	{ "ST_NOEXEC", 8 },
		{ "ST_SYNCHRONOUS", 16 },
		{ "ST_MANDLOCK", 64 },	{ "ST_NOATIME", 1024 },
		{ "ST_NODIRATIME", 2048 }, { "ST_RELATIME", 4096 },
	};
	struct mmsim_statfs st;
	struct sbuf b = { 0 };
	long r = mmsim_statfs(p, path, &st);
	char *s;

	if (r < 0) {
		fprintf(out, "statfs(\"%s\", 0x7ffc00000000) = -1 %s\n", path,
			script_errno_name((int)-r));
		return;
	}
	put_bits(&b, st_names, ARRAY_SIZE(st_names), st.f_flags, NULL, true);
	s = sb_take(&b);
	fprintf(out, "statfs(\"%s\", {f_type=HUGETLBFS_MAGIC, f_bsize=%" PRIu64
		", f_blocks=%" PRIu64 ", f_bfree=%" PRIu64 ", f_bavail=%" PRIu64
		", f_files=%" PRIu64 ", f_ffree=%" PRIu64 ", f_fsid={val=[%#"
		PRIx64 ", 0]}, f_namelen=%" PRIu64 ", f_frsize=%" PRIu64 ", f_flags=%s})"
		" = 0\n", path, st.f_bsize, st.f_blocks, st.f_bfree,
		st.f_bavail, st.f_files, st.f_ffree, st.f_fsid, st.f_namelen,
		st.f_frsize,
		s ? s : "0");
	free(s);
}

static int exec_show_file(struct script_interp *in, const struct mmsim_op *op,
			  FILE *out)
{
	char name[256], val[256], *c;
	const char *path = op->str ? op->str : "";

	if (!ensure_machine(in)) {
		report(in, op, op->col, "out of memory");
		return SCRIPT_ERROR;
	}
	if (!strcmp(path, "/proc/sysvipc/shm"))
		return mmsim_proc_sysvipc_shm(in->m, out) ? SCRIPT_ERROR :
							    SCRIPT_OK;
	if (!strncmp(path, "/proc/sys/", 10))
		snprintf(name, sizeof(name), "%s", path + 10);
	else
		snprintf(name, sizeof(name), "mm.%s", path + 15);
	for (c = name; *c; c++)
		if (*c == '/')
			*c = '.';
	if (mmsim_knob_get(in->m, name, val, sizeof(val))) {
		report(in, op, op->argcol[1], "no such file in the model: %s",
		       path);
		return SCRIPT_ERROR;
	}
	fprintf(out, "%s\n", val);
	return SCRIPT_OK;
}

/* memcg NAME [FILE=VALUE]...: mkdir if new, then each write. */
static int exec_memcg(struct script_interp *in, const struct mmsim_op *op)
{
	const char *l = op->str2;
	int r = mmsim_memcg_create(in->m, op->str);

	if (r && r != -EEXIST) {
		report(in, op, op->argcol[0], "memcg %s: %s", op->str,
		       r == -ENOENT ? "its parent does not exist" :
		       r == -EINVAL ? "not a cgroup name" : "cannot make it");
		return SCRIPT_ERROR;
	}
	while (l && *l) {
		size_t len = strcspn(l, "\n");
		char line[128], *val;

		snprintf(line, sizeof(line), "%.*s", (int)len, l);
		l += len + (l[len] ? 1 : 0);
		val = strchr(line, '=');
		if (!val)
			continue;
		*val++ = 0;
		if (!strcmp(line, "cgroup.procs") && !strcmp(val, "0")) {
			/* "0": the writer, here the selected process */
			struct mmsim_process *p = proc_for(in, op, true);

			if (!p)
				return SCRIPT_ERROR;
			r = mmsim_memcg_attach(p, op->str);
		} else {
			r = mmsim_memcg_write(in->m, op->str, line, val);
		}
		if (r) {
			report(in, op, op->argcol[0], "memcg %s: writing %s "
			       "to %s: %s", op->str, val, line,
			       script_errno_text(-r) ? script_errno_text(-r) :
						       "failed");
			return SCRIPT_ERROR;
		}
	}
	return SCRIPT_OK;
}

/*
 * show memcg NAME [FILE]: one file; without FILE, the usual ones, each
 * under a "==> FILE <==" line as head(1) prints several files.
 */
static int exec_show_memcg(struct script_interp *in,
			   const struct mmsim_op *op, FILE *out)
{
	static const char *const some[] = { "memory.current", "memory.max",
					    "memory.swap.current",
					    "memory.events", "memory.stat" };
	size_t i;
	int r;

	if (op->str2) {
		r = mmsim_memcg_show(in->m, op->str, op->str2, out);
	} else {
		for (i = 0, r = 0; i < ARRAY_SIZE(some) && !r; i++) {
			fprintf(out, "%s==> %s <==\n", i ? "\n" : "", some[i]);
			r = mmsim_memcg_show(in->m, op->str, some[i], out);
		}
	}
	if (r) {
		report(in, op, op->argcol[1], "show memcg: %s%s%s: no such "
		       "cgroup or file", op->str, op->str2 ? " " : "",
		       op->str2 ? op->str2 : "");
		return SCRIPT_ERROR;
	}
	return SCRIPT_OK;
}

static int exec_expect_signal(struct script_interp *in,
			      const struct mmsim_op *op)
{
	int want = (int)op->arg[0];
	bool any_code = op->arg[1] == UINT64_MAX;
	char w[64], g[64];

	if (!in->have_touch) {
		report(in, op, op->col, "expect signal: no touch before it");
		return SCRIPT_ERROR;
	}
	if (in->touch.signo == want &&
	    (!want || any_code || (uint64_t)(int64_t)in->touch.code == op->arg[1]))
		return SCRIPT_OK;
	describe_signal(w, sizeof(w), want, (int64_t)op->arg[1], !any_code);
	describe_signal(g, sizeof(g), in->touch.signo, in->touch.code, true);
	if (in->touch.signo)
		report(in, op, 0, "expected signal %s, got %s at %#" PRIx64, w,
		       g, in->touch.addr);
	else
		report(in, op, 0, "expected signal %s, got %s", w, g);
	return SCRIPT_FAILED;
}

/* ----- expect maps: a line diff ----- */

/* Splits text (modified in place) into lines without their '\n'. */
static char **split_lines(char *text, size_t *n)
{
	size_t cap = 16, k = 0;
	char **v = malloc(cap * sizeof(*v)), *p = text, *nl;

	if (!v)
		return NULL;
	while (*p) {
		if (k == cap) {
			char **w = realloc(v, cap * 2 * sizeof(*v));

			if (!w) {
				free(v);
				return NULL;
			}
			v = w;
			cap *= 2;
		}
		v[k++] = p;
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	*n = k;
	return v;
}

/* Equal up to trailing blanks (maps ends anonymous lines with one). */
static bool line_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la && is_space((unsigned char)a[la - 1]))
		la--;
	while (lb && is_space((unsigned char)b[lb - 1]))
		lb--;
	return la == lb && !memcmp(a, b, la);
}

#define DIFF_CONTEXT 3

/* A unified diff (hunks with 3 lines of context) of a against b. */
static void print_diff(FILE *f, char **a, size_t na, char **b, size_t nb)
{
	size_t w = nb + 1, i, j, ne = 0, k, s, e, last, ai, bj;
	uint32_t *L = NULL;
	char *kind;
	size_t *ia, *jb;

	if ((na + 1) <= 4000000 / w)
		L = calloc((na + 1) * w, sizeof(*L));
	kind = malloc(na + nb + 1);
	ia = malloc((na + nb + 1) * sizeof(*ia));
	jb = malloc((na + nb + 1) * sizeof(*jb));
	if (!kind || !ia || !jb) {
		free(L);
		free(kind);
		free(ia);
		free(jb);
		return;
	}
	if (L) {
		for (i = na; i-- > 0;)
			for (j = nb; j-- > 0;)
				L[i * w + j] = line_eq(a[i], b[j]) ?
					L[(i + 1) * w + j + 1] + 1 :
					L[(i + 1) * w + j] > L[i * w + j + 1] ?
					L[(i + 1) * w + j] : L[i * w + j + 1];
	}
	/* the edit script: ' ' both, '-' only expected, '+' only model */
	for (i = 0, j = 0; i < na || j < nb;) {
		ia[ne] = i;
		jb[ne] = j;
		if (L && i < na && j < nb && line_eq(a[i], b[j])) {
			kind[ne++] = ' ';
			i++;
			j++;
		} else if (i < na && (j >= nb || !L ||
				      L[(i + 1) * w + j] >= L[i * w + j + 1])) {
			kind[ne++] = '-';
			i++;
		} else {
			kind[ne++] = '+';
			j++;
		}
	}
	fprintf(f, "--- expected\n+++ model\n");
	for (k = 0; k < ne;) {
		while (k < ne && kind[k] == ' ')
			k++;
		if (k >= ne)
			break;
		s = k > DIFF_CONTEXT ? k - DIFF_CONTEXT : 0;
		last = k;
		for (e = k; e < ne; e++) {
			if (kind[e] != ' ')
				last = e;
			else if (e - last > 2 * DIFF_CONTEXT)
				break;
		}
		e = last + DIFF_CONTEXT + 1 < ne ? last + DIFF_CONTEXT + 1 : ne;
		for (ai = 0, bj = 0, i = s; i < e; i++) {
			ai += kind[i] != '+';
			bj += kind[i] != '-';
		}
		fprintf(f, "@@ -%zu,%zu +%zu,%zu @@\n", ia[s] + (ai ? 1 : 0), ai,
			jb[s] + (bj ? 1 : 0), bj);
		for (i = s; i < e; i++)
			fprintf(f, "%c%s\n", kind[i],
				kind[i] == '+' ? b[jb[i]] : a[ia[i]]);
		k = e;
	}
	free(L);
	free(kind);
	free(ia);
	free(jb);
}

int script_text_diff(FILE *f, const char *expected, const char *model)
{
	char *a_text = strdup(expected), *b_text = strdup(model);
	char **a = NULL, **b = NULL;
	size_t na = 0, nb = 0, i;
	int differ = -ENOMEM;

	if (!a_text || !b_text)
		goto out;
	a = split_lines(a_text, &na);
	b = split_lines(b_text, &nb);
	if (!a || !b)
		goto out;
	differ = na != nb;
	for (i = 0; i < na && !differ; i++)
		differ = !line_eq(a[i], b[i]);
	if (differ && f)
		print_diff(f, a, na, b, nb);
out:
	free(a);
	free(b);
	free(a_text);
	free(b_text);
	return differ;
}

static char *capture_maps(struct mmsim_process *p)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	mmsim_proc_maps(p, f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int exec_expect_maps(struct script_interp *in,
			    const struct mmsim_op *op)
{
	struct mmsim_process *p = proc_for(in, op, true);
	char *want = op->str ? strdup(op->str) : strdup(""), *got = NULL;
	char **a = NULL, **b = NULL;
	size_t na = 0, nb = 0, i;
	int status = SCRIPT_ERROR;

	if (!p || !want)
		goto out_oom;
	got = capture_maps(p);
	if (!got)
		goto out_oom;
	a = split_lines(want, &na);
	b = split_lines(got, &nb);
	if (!a || !b)
		goto out_oom;
	status = SCRIPT_OK;
	if (na != nb)
		status = SCRIPT_FAILED;
	for (i = 0; i < na && status == SCRIPT_OK; i++)
		if (!line_eq(a[i], b[i]))
			status = SCRIPT_FAILED;
	if (status == SCRIPT_FAILED) {
		report(in, op, 0, "maps differ from the expected lines:");
		print_diff(in_err(in), a, na, b, nb);
		fflush(in_err(in));
	}
	goto out;
out_oom:
	report(in, op, op->col, "out of memory");
out:
	free(a);
	free(b);
	free(want);
	free(got);
	return status;
}

/* ----- the other commands ----- */

#define IMPORT_MAX_BYTES (256u << 20)

static char *read_snapshot(const char *path, char *why, size_t size)
{
	struct stat st;
	FILE *f;
	char *text;
	size_t n;

	if (stat(path, &st)) {
		snprintf(why, size, "%s", strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > IMPORT_MAX_BYTES) {
		snprintf(why, size, "not a regular file of at most 256 MiB");
		return NULL;
	}
	f = fopen(path, "rb");
	if (!f) {
		snprintf(why, size, "%s", strerror(errno));
		return NULL;
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		fclose(f);
		snprintf(why, size, "out of memory");
		return NULL;
	}
	n = fread(text, 1, (size_t)st.st_size, f);
	fclose(f);
	text[n] = '\0';
	return text;
}

static int exec_import(struct script_interp *in, const struct mmsim_op *op)
{
	struct mmsim_import imp;
	struct sbuf b = { 0 };
	const char *file = op->str ? op->str : "";
	char why[256], err[320], *path, *text;
	struct mmsim_process *p;
	uint64_t *fields[SCRIPT_IMP_LEGACY];
	int k;

	if (!ensure_machine(in)) {
		report(in, op, op->col, "out of memory");
		return SCRIPT_ERROR;
	}
	if (file[0] != '/' && in->o.basedir && *in->o.basedir) {
		sb_puts(&b, in->o.basedir);
		sb_putc(&b, '/');
	}
	sb_puts(&b, file);
	path = sb_take(&b);
	if (!path) {
		report(in, op, op->col, "out of memory");
		return SCRIPT_ERROR;
	}
	text = read_snapshot(path, why, sizeof(why));
	free(path);
	if (!text) {
		report(in, op, op->argcol[0], "import: %s: %s", file, why);
		return SCRIPT_ERROR;
	}
	memset(&imp, 0, sizeof(imp));
	imp.smaps_text = text;
	fields[SCRIPT_IMP_BRK] = &imp.brk;
	fields[SCRIPT_IMP_START_BRK] = &imp.start_brk;
	fields[SCRIPT_IMP_START_STACK] = &imp.start_stack;
	fields[SCRIPT_IMP_START_CODE] = &imp.start_code;
	fields[SCRIPT_IMP_END_CODE] = &imp.end_code;
	fields[SCRIPT_IMP_START_DATA] = &imp.start_data;
	fields[SCRIPT_IMP_END_DATA] = &imp.end_data;
	fields[SCRIPT_IMP_ARG_START] = &imp.arg_start;
	fields[SCRIPT_IMP_ARG_END] = &imp.arg_end;
	fields[SCRIPT_IMP_ENV_START] = &imp.env_start;
	fields[SCRIPT_IMP_ENV_END] = &imp.env_end;
	for (k = 0; k < SCRIPT_IMP_LEGACY; k++)
		if (op->ext_set & (1u << k))
			*fields[k] = op->ext[k];
	imp.legacy_layout = (op->ext_set & (1u << SCRIPT_IMP_LEGACY)) &&
			    op->ext[SCRIPT_IMP_LEGACY];
	err[0] = '\0';
	p = mmsim_spawn_import(in->m, &imp, err, sizeof(err));
	free(text);
	if (!p) {
		report(in, op, op->argcol[0], "import: %s:%s", file,
		       err[0] ? err : " out of memory");
		return SCRIPT_ERROR;
	}
	if (!adopt(in, p, mmsim_process_pid(p)) ||
	    (op->pid >= 0 && !bind_pid(in, op->pid, p))) {
		report(in, op, op->col, "out of memory");
		return SCRIPT_ERROR;
	}
	return SCRIPT_OK;
}

/* spawn PATH ARGS: execve() of a host ELF file (src/fs/binfmt_elf.c). */
static int exec_spawn_elf(struct script_interp *in, const struct mmsim_op *op)
{
	const char *list = op->str2 ? op->str2 : "";
	size_t n = 0, na = 1, ne = 0, k;
	const char **argv, **envp;
	char *copy = strdup(list), *s, *save = NULL;
	struct mmsim_process *p;
	int err = 0;

	for (k = 0; list[k]; k++)
		n += list[k] == '\n';
	argv = calloc(n + 2, sizeof(*argv));
	envp = calloc(n + 1, sizeof(*envp));
	if (!copy || !argv || !envp) {
		free(copy);
		free(argv);
		free(envp);
		report(in, op, op->col, "out of memory");
		return SCRIPT_ERROR;
	}
	argv[0] = op->str;
	for (s = strtok_r(copy, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
		if (s[0] == 'e')
			envp[ne++] = s + 2;
		else
			argv[na++] = s + 2;
	}
	p = mmsim_spawn_elf(in->m, op->str, argv, envp, &err);
	free(argv);
	free(envp);
	free(copy);
	if (!p) {
		report(in, op, op->argcol[0], "spawn: %s: %s", op->str,
		       strerror(-err));
		return SCRIPT_ERROR;
	}
	if (!adopt(in, p, mmsim_process_pid(p)) ||
	    (op->pid >= 0 && !bind_pid(in, op->pid, p))) {
		report(in, op, op->col, "out of memory");
		return SCRIPT_ERROR;
	}
	return SCRIPT_OK;
}

static int exec_command(struct script_interp *in, const struct mmsim_op *op)
{
	struct mmsim_fault_result fr;
	struct mmsim_process *p;
	FILE *out = in_out(in);
	long r;

	switch (op->kind) {
	case MMSIM_OP_SPAWN:
		if (!ensure_machine(in))
			break;
		if (op->str && strchr(op->str, '/'))
			return exec_spawn_elf(in, op);
		p = mmsim_spawn(in->m, op->str);
		if (!p || !adopt(in, p, mmsim_process_pid(p)) ||
		    (op->pid >= 0 && !bind_pid(in, op->pid, p)))
			break;
		return SCRIPT_OK;
	case MMSIM_OP_IMPORT:
		return exec_import(in, op);
	case MMSIM_OP_PID:
		p = bound(in, (int)op->arg[0]);
		if (!p) {
			if (!ensure_machine(in))
				break;
			p = adopt(in, mmsim_spawn(in->m, NULL), (int)op->arg[0]);
			if (!p)
				break;
		}
		in->cur = p;
		return SCRIPT_OK;
	case MMSIM_OP_EXIT:
		p = op->pid >= 0 ? bound(in, op->pid) : in->cur;
		if (p)
			proc_forget(in, p);
		return SCRIPT_OK;
	case MMSIM_OP_TOUCH:
		p = proc_for(in, op, true);
		if (!p)
			break;
		memset(&fr, 0, sizeof(fr));
		in->touch_value = op->arg[2];
		r = mmsim_access_u64(p, op->arg[0],
				     (enum mmsim_access_kind)op->arg[1],
				     &in->touch_value, &fr);
		if (r < 0) {
			report(in, op, op->col, "touch: the model failed (%s)",
			       script_errno_name((int)-r) ?
			       script_errno_name((int)-r) : "?");
			return SCRIPT_ERROR;
		}
		in->have_touch = true;
		in->touch = fr;
		in->touch_seq = in->nexec;
		if (fr.signo)
			print_signal(in, op, &fr);
		else if (op->arg[1] == MMSIM_ACCESS_READ)
			fprintf(in_out(in), "# read %#" PRIx64 "\n",
				in->touch_value);
		return SCRIPT_OK;
	case MMSIM_OP_FILE:
		if (!ensure_machine(in))
			break;
		r = mmsim_file_create(in->m, op->str, (enum mmsim_file_kind)op->arg[4],
				      (uint32_t)op->arg[1], (uint32_t)op->arg[2],
				      op->arg[3] ? op->arg[3] : in->next_ino++,
				      op->arg[0]);
		if (r < 0) {
			report(in, op, op->argcol[0], "file: %s",
			       script_errno_text((int)-r) ?
			       script_errno_text((int)-r) : "failed");
			return SCRIPT_ERROR;
		}
		return SCRIPT_OK;
	case MMSIM_OP_SET:
		if (!ensure_machine(in))
			break;
		if (!strcmp(op->str, "oom_score_adj")) {
			/* the selected process's /proc/PID/oom_score_adj */
			char *end;
			long v = strtol(op->str2, &end, 10);

			p = proc_for(in, op, true);
			if (!p)
				break;
			if (*end || mmsim_set_oom_score_adj(p, (int)v)) {
				report(in, op, op->argcol[1],
				       "bad value '%s' for %s", op->str2,
				       op->str);
				return SCRIPT_ERROR;
			}
			return SCRIPT_OK;
		}
		r = mmsim_knob_set(in->m, op->str, op->str2);
		if (r == -ENOENT) {
			report(in, op, op->argcol[0], "unknown knob '%s'", op->str);
			return SCRIPT_ERROR;
		}
		if (r < 0) {
			report(in, op, op->argcol[1], "bad value '%s' for %s",
			       op->str2, op->str);
			return SCRIPT_ERROR;
		}
		return SCRIPT_OK;
	case MMSIM_OP_MEMCG:
		if (!ensure_machine(in))
			break;
		return exec_memcg(in, op);
	case MMSIM_OP_SHOW:
		if (op->arg[0] == SCRIPT_SHOW_FILE)
			return exec_show_file(in, op, out);
		if (op->arg[0] == SCRIPT_SHOW_MEMCG) {
			if (!ensure_machine(in))
				break;
			return exec_show_memcg(in, op, out);
		}
		if (op->arg[0] >= SCRIPT_SHOW_MEMINFO &&
		    op->arg[0] <= SCRIPT_SHOW_DMESG)
			return exec_show_machine(in, op, out);
		p = proc_for(in, op, true);
		if (!p)
			break;
		switch (op->arg[0]) {
		case SCRIPT_SHOW_PAGETABLE:
			mmsim_show_pagetable(p, op->arg[1], out);
			break;
		case SCRIPT_SHOW_VMA:
			mmsim_show_vma(p, op->arg[1], out);
			break;
		case SCRIPT_SHOW_STATFS:
			show_statfs(p, op->str ? op->str : "", out);
			break;
		case SCRIPT_SHOW_SMAPS:
			mmsim_proc_smaps(p, out);
			break;
		case SCRIPT_SHOW_SMAPS_ROLLUP:
			mmsim_proc_smaps_rollup(p, out);
			break;
		case SCRIPT_SHOW_STATUS:
			mmsim_proc_status(p, out);
			break;
		case SCRIPT_SHOW_STAT:
			mmsim_proc_stat(p, out);
			break;
		case SCRIPT_SHOW_PMAP:
			mmsim_show_pmap(p, (int)op->arg[1], op->arg[2] != 0,
					out);
			break;
		case SCRIPT_SHOW_OOM_SCORE:
			fprintf(out, "oom_score %ld oom_score_adj %d\n",
				mmsim_oom_score(p),
				mmsim_get_oom_score_adj(p));
			break;
		case SCRIPT_SHOW_FAULTS: {
			uint64_t minflt, majflt;

			mmsim_fault_counts(p, &minflt, &majflt);
			fprintf(out, "min_flt %" PRIu64 " maj_flt %" PRIu64 "\n",
				minflt, majflt);
			break;
		}
		default:
			mmsim_proc_maps(p, out);
			break;
		}
		return SCRIPT_OK;
	case MMSIM_OP_ECHO:
		fprintf(out, "%s\n", op->str ? op->str : "");
		return SCRIPT_OK;
	case MMSIM_OP_EXPECT_MAPS:
		return exec_expect_maps(in, op);
	case MMSIM_OP_EXPECT_SIGNAL:
		return exec_expect_signal(in, op);
	case MMSIM_OP_EXPECT_MAP_COUNT:
		p = proc_for(in, op, true);
		if (!p)
			break;
		if ((uint64_t)mmsim_map_count(p) == op->arg[0])
			return SCRIPT_OK;
		report(in, op, 0, "expected map_count %" PRIu64 ", model has %d",
		       op->arg[0], mmsim_map_count(p));
		return SCRIPT_FAILED;
	case MMSIM_OP_EXPLAIN:
		in->o.explain = (int)op->arg[0];
		if (in->m)
			mmsim_explain_set(in->m, in->o.explain, out);
		return SCRIPT_OK;
	case MMSIM_OP_SLEEP:
		if (!ensure_machine(in))
			break;
		if (mmsim_clock_advance(in->m, op->arg[0])) {
			report(in, op, op->col, "sleep: the clock would wrap");
			return SCRIPT_ERROR;
		}
		return SCRIPT_OK;
	default:
		return SCRIPT_OK;
	}
	report(in, op, op->col, "out of memory");
	return SCRIPT_ERROR;
}

/* Operations explain mode narrates: those that run kernel code. */
static bool op_explained(const struct mmsim_op *op)
{
	switch (op->kind) {
	case MMSIM_OP_SYSCALL: case MMSIM_OP_CLONE: case MMSIM_OP_EXIT:
	case MMSIM_OP_TOUCH: case MMSIM_OP_SPAWN: case MMSIM_OP_SLEEP:
		return true;
	default:
		return false;
	}
}

static int interp_exec(struct script_interp *in, const struct mmsim_op *op);

int script_interp_exec(struct script_interp *in, const struct mmsim_op *op)
{
	struct mmsim_process *p;
	char *what;
	int status;

	in->nexec++;
	if (!in->o.explain || !op_explained(op) || !ensure_machine(in))
		return interp_exec(in, op);
	what = script_op_format(op, 0);
	/* the default process a call or touch runs in is not its doing */
	if (op->kind == MMSIM_OP_SYSCALL || op->kind == MMSIM_OP_TOUCH)
		p = proc_for(in, op, true);
	else
		p = op->pid >= 0 ? bound(in, op->pid) : in->cur;
	mmsim_explain_begin(in->m, p, what);
	free(what);
	status = interp_exec(in, op);
	mmsim_explain_end(in->m, in->cur);
	return status;
}

int script_interp_result(const struct script_interp *in, long *ret,
			 struct mmsim_fault_result *fr, uint64_t *value)
{
	if (in->nexec && in->ret_seq == in->nexec) {
		*ret = in->last_ret;
		return 1;
	}
	if (in->nexec && in->touch_seq == in->nexec) {
		*fr = in->touch;
		*value = in->touch_value;
		return 2;
	}
	return 0;
}

static int interp_exec(struct script_interp *in, const struct mmsim_op *op)
{
	struct mmsim_process *p;
	int status = SCRIPT_OK;

	switch (op->kind) {
	case MMSIM_OP_SYSCALL:
		status = exec_syscall(in, op);
		break;
	case MMSIM_OP_OTHER:
		break;
	case MMSIM_OP_CLONE:
		/* a thread shares the parent's mm; a forked child gets a
		 * copy of it (mmsim_fork), bound to the PID strace printed */
		if (op->res == SCRIPT_RES_VALUE && op->ret && op->ret <= INT_MAX) {
			p = proc_for(in, op, true);
			if (p && op->arg[0]) {
				if (!bind_pid(in, (int)op->ret, p))
					p = NULL;
			} else if (p) {
				p = fork_child(in, p, (int)op->ret);
			}
			if (!p) {
				report(in, op, op->col, "out of memory");
				return SCRIPT_ERROR;
			}
		}
		break;
	case MMSIM_OP_EXEC:
		/* a new image: the next operation of this PID starts from a
		 * fresh default process */
		if (op->res != SCRIPT_RES_ERROR) {
			p = op->pid >= 0 ? bound(in, op->pid) : in->cur;
			if (p)
				proc_forget(in, p);
		}
		break;
	default:
		status = exec_command(in, op);
		break;
	}
	if (status != SCRIPT_ERROR && in->o.validate && in->cur &&
	    !mmsim_validate(in->cur)) {
		report(in, op, 0, "the model's invariants do not hold after "
		       "this operation");
		status = SCRIPT_ERROR;
	}
	return status;
}

/* ===================================================================== */
/* Whole scripts                                                         */
/* ===================================================================== */

#define MAX_REPORTED_ERRORS 20

/* Calls fn on each line of text. */
static int for_each_line(const char *text, size_t len,
			 int (*fn)(void *ctx, const char *line, size_t n),
			 void *ctx)
{
	const char *p = text, *end = text + len, *nl;
	int rc;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		rc = fn(ctx, p, nl ? (size_t)(nl - p) : (size_t)(end - p));
		if (rc)
			return rc;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

struct run_ctx {
	const struct script_opts *opts;
	struct script_parser *ps;
	struct script_interp *in;
	int nerr, status;
};

static int check_line(void *arg, const char *line, size_t n)
{
	struct run_ctx *rc = arg;
	struct mmsim_op op;
	int r = script_parse_line(rc->ps, line, n, &op);

	if (r < 0) {
		if (rc->nerr < MAX_REPORTED_ERRORS)
			script_diag_print(rc->opts->err ? rc->opts->err : stderr,
					  rc->opts->filename,
					  script_parser_diag(rc->ps));
		rc->nerr++;
	}
	script_op_release(&op);
	return 0;
}

static int run_line(void *arg, const char *line, size_t n)
{
	struct run_ctx *rc = arg;
	struct mmsim_op op;
	int r = script_parse_line(rc->ps, line, n, &op), s;

	if (r < 0) {
		script_diag_print(rc->opts->err ? rc->opts->err : stderr,
				  rc->opts->filename, script_parser_diag(rc->ps));
		rc->status = SCRIPT_ERROR;
		return 1;
	}
	if (r == 0)
		return 0;
	s = script_interp_exec(rc->in, &op);
	if (rc->opts->observe)
		rc->opts->observe(rc->opts->observe_ctx, rc->in, &op, s);
	script_op_release(&op);
	if (s == SCRIPT_ERROR) {
		rc->status = SCRIPT_ERROR;
		return 1;
	}
	if (s == SCRIPT_FAILED)
		rc->status = SCRIPT_FAILED;
	return 0;
}

int script_run(const char *text, size_t len, const struct script_opts *opts)
{
	FILE *err = opts->err ? opts->err : stderr;
	struct run_ctx rc;

	memset(&rc, 0, sizeof(rc));
	rc.opts = opts;
	/* pass 1: every syntax error, before anything runs */
	rc.ps = script_parser_create();
	if (!rc.ps)
		goto out_oom;
	for_each_line(text, len, check_line, &rc);
	if (script_parser_finish(rc.ps)) {
		if (rc.nerr < MAX_REPORTED_ERRORS)
			script_diag_print(err, opts->filename,
					  script_parser_diag(rc.ps));
		rc.nerr++;
	}
	script_parser_destroy(rc.ps);
	if (rc.nerr) {
		if (rc.nerr > MAX_REPORTED_ERRORS)
			fprintf(err, "%s: %d more errors not shown\n",
				opts->filename ? opts->filename : "<stdin>",
				rc.nerr - MAX_REPORTED_ERRORS);
		return SCRIPT_ERROR;
	}
	/* pass 2: parse again and run */
	rc.ps = script_parser_create();
	rc.in = script_interp_create(opts);
	if (!rc.ps || !rc.in) {
		script_parser_destroy(rc.ps);
		script_interp_destroy(rc.in);
		goto out_oom;
	}
	rc.status = SCRIPT_OK;
	for_each_line(text, len, run_line, &rc);
	if (opts->observe)
		opts->observe(opts->observe_ctx, rc.in, NULL, rc.status);
	script_parser_destroy(rc.ps);
	script_interp_destroy(rc.in);
	fflush(opts->out ? opts->out : stdout);
	return rc.status;
out_oom:
	fprintf(err, "%s: out of memory\n",
		opts->filename ? opts->filename : "<stdin>");
	return SCRIPT_ERROR;
}
