# run: --ram=1G
# Background writeback on the simulated clock (fs/fs-writeback.c): pages a
# write() dirtied stay dirty until the flusher's periodic run finds them
# older than vm.dirty_expire_centisecs (its runs are
# vm.dirty_writeback_centisecs apart); past the background threshold
# (vm.dirty_background_bytes here) the writer's balance_dirty_pages()
# starts background writeback at once. Checked against the live kernel
# by tests/oracle/writeback_check.c.
set vm.dirty_expire_centisecs=300
set vm.dirty_writeback_centisecs=100
file /data/log size=0
spawn writer
openat(AT_FDCWD, "/data/log", O_WRONLY) = 3
write(3, ""..., 33554432) = 33554432
echo --- just written: 32 MiB dirty (Dirty, nr_dirty), nothing written yet
show meminfo
sleep 2900
echo --- 2.9 s later: not expired yet, still dirty
show meminfo
sleep 100
echo --- 3 s: the flusher's periodic run wrote the expired inode back
show meminfo
echo --- past the background threshold: 64 MiB more with 16 MiB allowed
set vm.dirty_background_bytes=16777216
write(3, ""..., 67108864) = 67108864
show vmstat
