# The `pmap -XX` dump of the seed notes, reproduced: a process with an
# anonymous MAP_HUGETLB region at a fixed address (0x600000000) and a
# driver's device mapping (0x700000000), as `pmap -XX PID` shows them.
#
# The hugetlb region: mmap(MAP_ANONYMOUS|MAP_HUGETLB) goes through
# ksys_mmap_pgoff(), which rounds the length up to the huge page size and
# calls hugetlb_file_setup(): an unlinked file on the kernel's internal
# hugetlbfs mount (device 00:11 here). So pmap shows it by that file's
# name, "anon_hugepage (deleted)", with the flag "ht" (VM_HUGETLB) and
# 2048 kB pages. hugetlbfs's mmap hook reserved a page from the pool for
# it (hugetlb_reserve_pages); the first write takes that page
# (hugetlb_fault -> hugetlb_no_page) and maps it with one PMD entry. The
# page is counted in Private_Hugetlb, never in Rss.
#
# The device region: /dev/mcas is a character device whose mmap handler
# calls remap_pfn_range(), which maps the device's frames at once and
# marks the VMA VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP ("io pf
# de dd"): no struct page behind it, so Rss is 0 although every page is
# mapped. The file offset is the device's physical address, 0x2738200000.
#
# The seed's kernel was older: its VmFlags also show "sd" (soft-dirty,
# CONFIG_MEM_SOFT_DIRTY, off in the reference 6.18 kernel's config) and
# "ar" on the device line; its table has fewer columns (no Pss_Dirty, KSM,
# FilePmdMapped, THPeligible). The rows are otherwise the same.
echo == 1. A pool of 2 MiB pages, then 2 MiB of MAP_HUGETLB at 0x600000000, written once
set vm.nr_hugepages=4
mmap(0x600000000, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_HUGETLB, -1, 0) = 0x600000000
touch 0x600000000 write
show pagetable 0x600000000
echo == 2. The driver's region at 0x700000000: 980 kB of /dev/mcas
file /dev/mcas size=0 dev=00:06 ino=338 kind=device # live: skip (no such device here)
openat(AT_FDCWD, "/dev/mcas", O_RDWR) = 3 # live: skip
mmap(0x700000000, 1003520, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED, 3, 0x2738200000) = 0x700000000 # live: skip
show maps
# The two VMAs as the kernel keeps them: vm_ops is hugetlb_vm_ops for the
# first (VM_HUGETLB, its file on hugetlbfs), the driver's for the second
# (VM_IO|VM_PFNMAP|VM_DONTEXPAND|VM_DONTDUMP).
show vma 0x600000000
show vma 0x700000000
echo == 3. pmap -XX, as procps-ng prints it for this process
show pmap -XX
