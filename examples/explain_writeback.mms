# run: --ram=1G
# Explain mode on the flusher (fs/fs-writeback.c, mm/page-writeback.c):
# a write() dirties page-cache pages; the inode's first dirty page arms
# the flusher's delayed work; every few pages the writer looks at the
# dirty limits (balance_dirty_pages); wb_workfn writes back the inodes
# that expired (kupdate) and, over the background threshold, the oldest
# inodes in chunks.
set vm.dirty_expire_centisecs=300
set vm.dirty_writeback_centisecs=100
file /data/log size=0
file /data/old size=0
spawn writer
openat(AT_FDCWD, "/data/old", O_WRONLY) = 3
openat(AT_FDCWD, "/data/log", O_WRONLY) = 4
explain on
# 64 KiB: the first dirty page marks the inode dirty and arms the work.
write(3, ""..., 65536) = 65536
explain off
sleep 2000
# 2 s later another inode is dirtied: its pages expire 2 s after the first's.
write(4, ""..., 65536) = 65536
explain on
# At 3 s: /data/old expired and goes; /data/log is 1 s old and stays.
sleep 1000
explain off
# Past the background threshold (1 MiB here): the writer's
# balance_dirty_pages starts background writeback itself.
set vm.dirty_background_bytes=1048576
explain on
write(4, ""..., 2097152) = 2097152
