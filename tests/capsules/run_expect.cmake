# Runs `exo run ...` and checks its exit code and output: a CLI smoke test (STYLE.md "Smoke-test
# the CLI through CTest with expected messages and exit codes").
#   cmake -DEXO=... -DROOT=<fresh vfs root> -DRUN_ARGS="a|b" -DEXPECT_RC=N
#         [-DEXPECT_OUT=regex] [-DEXPECT_ERR=regex] [-DREJECT_OUT=regex] [-DINPUT=file] -P run_expect.cmake
file(REMOVE_RECURSE ${ROOT})
string(REPLACE "|" ";" RUN_ARGS "${RUN_ARGS}")
set(input_args)
if(DEFINED INPUT)
  set(input_args INPUT_FILE ${INPUT})
endif()
execute_process(COMMAND ${EXO} run --vfs-root ${ROOT} ${RUN_ARGS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err ${input_args} TIMEOUT 60)
set(problems "")
if(NOT rc STREQUAL EXPECT_RC)
  string(APPEND problems "exit code ${rc}, expected ${EXPECT_RC}\n")
endif()
if(DEFINED EXPECT_OUT AND NOT out MATCHES "${EXPECT_OUT}")
  string(APPEND problems "stdout does not match '${EXPECT_OUT}'\n")
endif()
if(DEFINED REJECT_OUT AND out MATCHES "${REJECT_OUT}")
  string(APPEND problems "stdout matches '${REJECT_OUT}'\n")
endif()
if(DEFINED EXPECT_ERR AND NOT err MATCHES "${EXPECT_ERR}")
  string(APPEND problems "stderr does not match '${EXPECT_ERR}'\n")
endif()
if(problems)
  message(FATAL_ERROR "${problems}--- stdout:\n${out}--- stderr:\n${err}")
endif()
