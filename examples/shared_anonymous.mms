# Shared anonymous memory is shmem (mm/shmem.c shmem_zero_setup, called
# by mm/vma.c __mmap_new_vma for a shared mapping without a file).
#
# mmap(MAP_SHARED|MAP_ANONYMOUS) has no file, yet the kernel gives it one:
# shmem_zero_setup() creates a file on the internal tmpfs mount (device
# 00:01) named "dev/zero", already unlinked, and installs shmem_vm_ops.
# From then on the mapping is a shared file mapping in every way: maps
# shows "/dev/zero (deleted)" with the file's inode, the VMA is not
# vma_is_anonymous(), and its pages live in that file's page cache.
echo == 1. The mapping: rw-s, device 00:01, "/dev/zero (deleted)"
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff5000
show maps
# The VMA as the kernel keeps it: vm_file is the shmem file, vm_ops is
# shmem_anon_vm_ops (so vma_is_anonymous() is false), and there is no
# anon_vma: the pages are found through the file, not through an anon_vma.
show vma 0x7ffff7ff5000
#
# A write fault goes to shmem_fault(), not do_anonymous_page(): the page
# is allocated in the file's page cache (shmem_get_folio) and mapped. It
# counts as shmem everywhere: Pss_Shmem and RssShmem, not Anonymous or
# RssAnon; meminfo's Shmem, Cached and Mapped, not AnonPages. The
# mapping was charged to the commit count at mmap (Committed_AS), as
# writable private memory is, since shmem pages need swap to be freed.
echo == 2. One page written: counted as shmem, not as anonymous memory
touch 0x7ffff7ff5000 write 0xf8
show smaps_rollup
show status
show meminfo
#
# fork shares it: the child maps the same file, so it reads the parent's
# data and its writes are seen by the parent (no copy-on-write, unlike
# MAP_PRIVATE). Each process now maps the page once: Pss is half of Rss.
echo == 3. After fork: the child reads 0xf8 and writes 0xf5 at +8
fork() = 2000
pid 2000
touch 0x7ffff7ff5000 read
touch 0x7ffff7ff5008 write 0xf5
show smaps_rollup
exit
echo == 4. The parent reads the child's 0xf5
pid 1000
touch 0x7ffff7ff5008 read
#
# When the last mapping goes, so does the file and its pages: Shmem,
# Cached and Committed_AS fall back.
echo == 5. munmap: the file and its page are freed
munmap(0x7ffff7ff5000, 8192) = 0
show meminfo
