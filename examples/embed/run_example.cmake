# CTest `example.embed`: install the Crush build into a fresh prefix, build examples/embed against
# it as a separate CMake project (find_package(crush)), build the C program once more with
# pkg-config only, and run every program, checking its output.
# Inputs: CRUSH_BUILD_DIR, EXAMPLE_SOURCE_DIR, WORK_DIR, CAPSULE_DIR, GENERATOR, CXX_COMPILER,
# C_COMPILER, SANITIZE.
cmake_minimum_required(VERSION 3.25)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${CRUSH_BUILD_DIR} --prefix ${prefix})

# The sanitizer runtime must come first in a process loading an ASan-built libcrush.so.
set(flags)
if(SANITIZE)
  set(flags "-DCMAKE_C_FLAGS=-fsanitize=address,undefined" "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined")
endif()
run(${CMAKE_COMMAND} -S ${EXAMPLE_SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX_COMPILER} -DCMAKE_C_COMPILER=${C_COMPILER}
    -DCMAKE_BUILD_TYPE=Debug ${flags})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)

set(expected_guest "france: Paris\njapan: Tokyo\natlantis: unknown\n")
set(denial "capsule 'embed-demo' imports env_ext.lookup, which needs permission 'demo.lookup'; ")
foreach(program embed_cpp embed_c)
  run(${WORK_DIR}/build/${program} ${CAPSULE_DIR} ${WORK_DIR}/exo-home-${program})
  if(program STREQUAL embed_cpp)
    set(expected "${expected_guest}[c++] capsule exited with code 0\n[c++] without demo.lookup: ${denial}add \"demo.lookup\" to [permissions] allow in Capsule.toml\n")
  else()
    set(expected "${expected_guest}[c] capsule exited with code 0\n[c] without demo.lookup (unlinkable): ${denial}add \"demo.lookup\" to [permissions] allow in Capsule.toml\n")
  endif()
  if(NOT out STREQUAL expected)
    message(FATAL_ERROR "${program}: unexpected output:\n${out}\nexpected:\n${expected}")
  endif()
  message(STATUS "${program}: ok")
endforeach()

# pkg-config alone is enough for a C program.
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
  file(GLOB pc_dirs ${prefix}/lib*/pkgconfig ${prefix}/lib/*/pkgconfig)
  list(JOIN pc_dirs ":" pc_path)
  set(ENV{PKG_CONFIG_PATH} "${pc_path}")
  run(${PKG_CONFIG} --variable=libdir crush)
  string(STRIP "${out}" pc_libdir)
  run(${PKG_CONFIG} --cflags --libs crush)
  string(STRIP "${out}" pc_flags)
  separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
  set(cflags)
  if(SANITIZE)
    set(cflags -fsanitize=address,undefined)
  endif()
  run(${C_COMPILER} ${cflags} -std=c11 -Wall -Wextra -Werror -o ${WORK_DIR}/embed_c_pkgconfig
      ${EXAMPLE_SOURCE_DIR}/embed.c ${pc_flags} -Wl,-rpath,${pc_libdir})
  run(${WORK_DIR}/embed_c_pkgconfig ${CAPSULE_DIR} ${WORK_DIR}/exo-home-pkgconfig)
  if(NOT out MATCHES "^france: Paris\n")
    message(FATAL_ERROR "embed_c (pkg-config): unexpected output:\n${out}")
  endif()
  message(STATUS "embed_c via pkg-config: ok")
endif()
