# The live-kernel oracle's executor (tests/oracle/executor.c), included by
# the top CMakeLists.txt whether or not the tests are built (the release
# preset builds none). Static, no libc, no sanitizers (it must map nothing
# of its own), placed next to the mmsim binary where `mmsim oracle` looks
# for it.
add_executable(mmsim-executor ${CMAKE_CURRENT_LIST_DIR}/executor.c)
target_include_directories(mmsim-executor PRIVATE ${CMAKE_SOURCE_DIR}/cli)
# Replace (not append to) the options inherited from the top directory, which
# carry -fsanitize=... in the sanitizer and fuzz presets.
set_property(TARGET mmsim-executor PROPERTY COMPILE_OPTIONS
  -O2 -ffreestanding -fno-builtin -fno-stack-protector -fno-pie
  -fno-asynchronous-unwind-tables -fno-unwind-tables -fcf-protection=none
  -fno-sanitize=all ${MMSIM_WARNINGS})
set_property(TARGET mmsim-executor PROPERTY LINK_OPTIONS
  -static -nostdlib -no-pie -fno-sanitize=all -Wl,--build-id=none
  -Wl,-z,noexecstack -Wl,-e,_start)
set_property(TARGET mmsim-executor PROPERTY POSITION_INDEPENDENT_CODE OFF)
# A freestanding static binary: link-time optimisation would pull in libc.
set_property(TARGET mmsim-executor PROPERTY INTERPROCEDURAL_OPTIMIZATION OFF)
set_property(TARGET mmsim-executor PROPERTY RUNTIME_OUTPUT_DIRECTORY
  ${CMAKE_BINARY_DIR})
add_dependencies(mmsim-bin mmsim-executor)

