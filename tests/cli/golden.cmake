# Golden test of one exo command (STYLE.md "Golden files for programs"): runs exo, and compares
# its exit code, stdout and stderr with tests/cli/golden/NAME.txt exactly. Paths of the build and
# source trees are written <build> and <src> so the files do not depend on where they live.
#   cmake -DEXO=path -DARGS=a|b -DGOLDEN=file -DWORKDIR=dir -DSRC=dir -DBIN=dir [-DCLEAN=dir]
#         [-DUPDATE=1] -P golden.cmake
# Regenerate after an intended change: CRUSH_UPDATE_GOLDEN=1 ctest -L golden, then review the diff.
string(REPLACE "|" ";" args "${ARGS}")
if(DEFINED CLEAN)
  file(REMOVE_RECURSE ${CLEAN})
  file(MAKE_DIRECTORY ${CLEAN})
endif()
execute_process(COMMAND ${EXO} ${args} WORKING_DIRECTORY ${WORKDIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
string(REPLACE ";" " " shown "${args}")
set(actual "$ exo ${shown}\n--- exit code: ${rc}\n--- stdout:\n${out}--- stderr:\n${err}")
string(REPLACE "${BIN}" "<build>" actual "${actual}")
string(REPLACE "${SRC}" "<src>" actual "${actual}")
if(UPDATE OR "$ENV{CRUSH_UPDATE_GOLDEN}")
  file(WRITE ${GOLDEN} "${actual}")
  return()
endif()
if(NOT EXISTS ${GOLDEN})
  message(FATAL_ERROR "missing golden file ${GOLDEN}; actual:\n${actual}")
endif()
file(READ ${GOLDEN} expected)
if(NOT actual STREQUAL expected)
  message(FATAL_ERROR "output differs from ${GOLDEN}:\n"
                      "--- expected:\n${expected}\n--- actual:\n${actual}")
endif()
