# Run at build time (cmake -P): writes OUT with the tree's `git describe`
# (MMSIM_GIT_DESCRIBE, "" outside a git checkout), rewriting it only when
# the text changes so that nothing rebuilds needlessly.
execute_process(COMMAND git describe --always --dirty --tags
                WORKING_DIRECTORY ${SRC}
                OUTPUT_VARIABLE describe OUTPUT_STRIP_TRAILING_WHITESPACE
                RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 0)
  set(describe "")
endif()
set(text "#define MMSIM_GIT_DESCRIBE \"${describe}\"\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
else()
  set(old "")
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUT} "${text}")
endif()
