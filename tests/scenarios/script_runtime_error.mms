# exit: 2
# An operation that cannot run (here an unknown knob) is reported as
# FILE:LINE:COL: MESSAGE and stops the run with exit status 2.
echo before the error
set vm.overcommit_memory=2
set vm.no_such_knob=1
echo not reached
