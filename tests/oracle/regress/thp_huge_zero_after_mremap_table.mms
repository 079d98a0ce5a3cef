# A read where mremap left an empty table maps the 4 KiB zero page, not
# the huge one (pagemap without PM_FILE).
mmap(NULL, 8388608, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x155554c00000
touch 0x155554c00dd0 write 0xf9f800fcfcf8
mremap(0x155554c00000, 8192, 2101248, MREMAP_MAYMOVE) = 0x1555549ff000
1     madvise(0x1555549ff000, 2101248, MADV_HUGEPAGE) = 0
1     touch 0x155554a00000 read
# read 0
