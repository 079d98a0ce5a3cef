# exit: 2
# spawn of a program that is not there fails as execve() does (ENOENT) and
# stops the run; tests/oracle/exec_check.c compares the errors of seven
# failing execs with the live kernel's.
spawn -e LANG=C /no/such/program --help
show maps
