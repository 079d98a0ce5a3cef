# run: --ram=128M
# Explain mode on the OOM killer: without swap, anonymous memory cannot
# be reclaimed; when reclaim fails, out_of_memory() picks the process with
# the highest badness (rss + swap entries + page tables, moved by
# oom_score_adj thousandths of RAM + swap) and kills it. The dmesg lines
# and hog's SIGKILL make the choice visible.
spawn hog
set oom_score_adj=500
mmap(NULL, 41943040, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff5600000
madvise(0x7ffff5600000, 41943040, MADV_POPULATE_WRITE) = 0
spawn big
mmap(NULL, 62914560, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff4200000
explain on
madvise(0x7ffff4200000, 62914560, MADV_POPULATE_WRITE) = 0
explain off
show dmesg
pid 1000
touch 0x7ffff5600000 read
expect signal SIGKILL
