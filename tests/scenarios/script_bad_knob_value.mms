# exit: 2
# A knob that exists, with a value it does not take.
set mm.transparent_hugepage.enabled=sometimes
