# exit: 2
# A memory cgroup whose parent does not exist stops the run (mkdir's ENOENT).
memcg box memory.max=16M
show memcg box memory.max
memcg box/inner memory.oom.group=1
show memcg box/inner memory.oom.group
memcg lost/inner memory.max=1M
