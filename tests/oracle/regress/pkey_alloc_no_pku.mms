# Without PKU, pkey_alloc hands out key 0, cannot set its rights (EINVAL)
# and cannot free it again, so every later call finds no key (ENOSPC).
# (On a CPU with PKU the model has PKU too and this checks that path.)
pkey_alloc(0, 0x2) = -1 EINVAL (Invalid argument)
pkey_alloc(0, 0) = -1 ENOSPC (No space left on device)
pkey_mprotect(0x10000000, 4096, PROT_READ, 0) = -1 EINVAL (Invalid argument)
pkey_free(0) = -1 EINVAL (Invalid argument)
