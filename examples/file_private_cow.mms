# A private file mapping and copy-on-write (do_cow_fault, wp_page_copy in
# mm/memory.c): reads share the page cache's page, the first write to a
# page gives the process an anonymous copy, and the file never sees it.
file /data/config size=8192
openat(AT_FDCWD, "/data/config", O_RDWR) = 3
# Some data in the file (the write leaves both pages in the page cache).
pwrite64(3, "AAAAAAAA", 8, 0) = 8
pwrite64(3, "BBBBBBBB", 8, 4096) = 8
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE, 3, 0) = 0x7ffff7ff5000
#
# A read maps the page-cache page itself, read-only even though the VMA
# may write (fault-around maps the second page too): Rss counts them as
# file pages, dirty because the file's pages are not yet written back.
touch 0x7ffff7ff5000 read
show pagetable 0x7ffff7ff5000
show smaps_rollup
#
# The write finds the PTE read-only: a write-protect fault copies the page
# into a new anonymous page (wp_page_copy) and maps that, writable.
touch 0x7ffff7ff5000 write 0xf8f8f8f8f8f8f8f8
show pagetable 0x7ffff7ff5000
#
# A write to a page with no PTE yet copies at once (do_cow_fault): one
# fault, not a read fault then a write fault.
madvise(0x7ffff7ff6000, 4096, MADV_DONTNEED) = 0
touch 0x7ffff7ff6000 write 0xf9f9f9f9f9f9f9f9
show faults
show smaps_rollup
#
# The process reads its own copies (0xf8..., 0xf9...); the file
# still has its old bytes.
touch 0x7ffff7ff5000 read
touch 0x7ffff7ff6000 read
pread64(3, "", 8, 0) = 8
pread64(3, "", 8, 4096) = 8
#
# MADV_DONTNEED drops the private copy: the page cache's page shows again.
madvise(0x7ffff7ff5000, 4096, MADV_DONTNEED) = 0
touch 0x7ffff7ff5000 read
