# exit: 2
# memcg's and show memcg's mistakes are reported before anything runs.
memcg
memcg memory.max=64M
memcg box memory.max
memcg box memory.max=64Q
memcg box memory.maximum=64M
memcg box memory.oom.group=2
memcg box cgroup.procs=me
memcg box memory.high=max extra
show memcg
show memcg box memory.nothing
show memcg box memory.stat extra
