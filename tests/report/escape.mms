# The report test's script: names that must be escaped in HTML.
file /tmp/a<b>&"c'.dat size=65536
openat(AT_FDCWD, "/tmp/a<b>&\"c'.dat", O_RDONLY) = 3
mmap(NULL, 65536, PROT_READ, MAP_PRIVATE, 3, 0)
memfd_create("</title><script>alert(1)</script>", 0) = 4
ftruncate(4, 8192) = 0
mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 4, 0)
openat(AT_FDCWD, "/tmp/\xff\x01\n<i>", O_RDONLY) = 5
mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 5, 0)
set config.anon_vma_name=1
mmap(0x7e0000000000, 4194304, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7e0000000000
prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7e0000000000, 4194304, "<u>&amp;\"'") = 0
madvise(0x7e0000000000, 4194304, MADV_HUGEPAGE) = 0
touch 0x7e0000000000 write 1
touch 0x7e0000200000 read
echo </pre><script>alert(2)</script>
