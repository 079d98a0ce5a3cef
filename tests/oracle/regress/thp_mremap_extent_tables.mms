# mremap moves page tables extent by extent (inside one old and one new PMD):
# every extent whose old PMD has a table gets one at the new place, so
# MADV_COLLAPSE there finds a (empty) table and collapses it.
1     mmap(0x7fffd8c00000, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd8c00000
1     touch 0x7fffd8c00000 read
# read 0
1     mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7c00000
1     touch 0x7ffff7c00000 write 0xfcf500f5fcf800fc
1     mremap(0x7fffd8c12000, 12288, 2101248, MREMAP_MAYMOVE, 0x7fffd8c00000) = 0x7ffff79ff000
1     madvise(0x7ffff7a00000, 2097152, MADV_COLLAPSE) = 0
