# show pagetable ADDR: the entries a walk to ADDR reads, one line as the
# kernel's dump_pagetable() prints them in an oops. With 4-level paging the
# P4D is the PGD entry itself. The walk stops at the first entry that is
# not present.

# Nothing mapped below the stack's PGD slot: the PGD entry is empty.
show pagetable 0x7f0000000000

mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ef7000
# Mapped but never touched: nothing has faulted yet, so below the PGD
# there is no table at all.
show pagetable 0x7ffff7ef7000

# A read fault builds the PUD, PMD and PTE tables (each entry 0x67:
# present, writable, user, accessed, dirty) and maps the shared zero page:
# present, user, accessed, special (bit 9), not writable, NX (bit 63).
touch 0x7ffff7ef7000 read
show pagetable 0x7ffff7ef7000

# A write replaces it with a page of its own: writable and dirty too.
touch 0x7ffff7ef7000 write
show pagetable 0x7ffff7ef7000
