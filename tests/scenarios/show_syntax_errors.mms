# exit: 2
# show's mistakes are reported before anything runs, as every syntax error.
show pagetable
show pagetable 0x1000 extra
show vma
show vma 0x1000 0x2000
show meminfo 0x1000
show bogus
show pmap -y
show pmap -x -XX
show pmap -q -q -X extra
