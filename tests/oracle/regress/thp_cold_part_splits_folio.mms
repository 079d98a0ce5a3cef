# MADV_COLD on part of a PMD-mapped THP splits the folio (split_folio):
# its zero-filled pages are remapped to the shared zero page and freed,
# leaving only the written page in Rss.
mmap(0x7fffd8800000, 2097152, PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fffd8800000
madvise(0x7fffd8800000, 2097152, MADV_HUGEPAGE) = 0
touch 0x7fffd88f8ff8 write 0xf5f9f800f9f8f5f8
madvise(0x7fffd8802000, 4096, MADV_COLD) = 0
