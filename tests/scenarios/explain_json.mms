# run: --explain --json
# The results as NDJSON, each with its narration: one object per event, key=value words as fields.
mmap(0x7f0000000000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x7f0000000000
touch 0x7f0000000000 write
