# Writing through a shared file mapping (do_shared_fault, wp_page_shared
# in mm/memory.c). A disk file system that tracks dirty pages (ext4,
# ->page_mkwrite) maps them read-only until the first write to each, so
# that it learns of every page that becomes dirty ("writenotify"); tmpfs
# has nothing to track and maps them writable at once.
file /data/log size=8192
file /dev/shm/log size=8192 dev=00:1b kind=tmpfs
openat(AT_FDCWD, "/data/log", O_RDWR) = 3
openat(AT_FDCWD, "/dev/shm/log", O_RDWR) = 4
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7ffff7ff5000
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 4, 0) = 0x7ffff7ff3000
#
# ext4: a read fault (major: the page is not cached), then a write to the
# same page faults again: the PTE was read-only (no _PAGE_RW, 0x2).
touch 0x7ffff7ff5000 read
show pagetable 0x7ffff7ff5000
show faults
touch 0x7ffff7ff5000 write 0xf8f8f8f8f8f8f8f8
show pagetable 0x7ffff7ff5000
show faults
#
# tmpfs: the read fault allocates a zeroed page (a minor fault: there is no
# disk to read) and maps it writable; the write then takes no fault.
touch 0x7ffff7ff3000 read
show pagetable 0x7ffff7ff3000
touch 0x7ffff7ff3000 write 0xf9f9f9f9f9f9f9f9
show faults
#
# Both pages are dirty, and read() sees the data. smaps_rollup counts the
# ext4 pages as Pss_File and the tmpfs page as Pss_Shmem.
pread64(3, "", 8, 0) = 8
pread64(4, "", 8, 0) = 8
show smaps_rollup
#
# msync(MS_SYNC) writes the ext4 page back and write-protects its PTE
# again (folio_mkclean), so the next write faults once more.
msync(0x7ffff7ff5000, 8192, MS_SYNC) = 0
show pagetable 0x7ffff7ff5000
touch 0x7ffff7ff5000 write 0xfcfcfcfcfcfcfcfc
show faults
