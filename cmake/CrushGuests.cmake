# Build-time compilation of guest programs (STYLE.md: build test fixtures at build time).
#
# crush_add_wat(TARGET OUTPUT_DIR file.wat ...)   -> OUTPUT_DIR/<stem>.wasm via wat2wasm
# crush_add_guest(NAME OUTPUT_DIR src.c ...)      -> OUTPUT_DIR/NAME.wasm via clang wasm32-wasi
# Every produced file is added to the custom target TARGET / crush_guests so tests can depend on it.

find_program(CRUSH_WAT2WASM wat2wasm REQUIRED)
find_program(CRUSH_WASM_CC NAMES clang-14 clang REQUIRED)
set(CRUSH_WASI_SYSROOT /usr CACHE PATH "wasi-libc sysroot (Debian: /usr)")

if(NOT TARGET crush_guests)
  add_custom_target(crush_guests ALL)
endif()

function(crush_add_wat outdir)
  foreach(src ${ARGN})
    get_filename_component(stem ${src} NAME_WE)
    get_filename_component(abs ${src} ABSOLUTE)
    set(out ${outdir}/${stem}.wasm)
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
      COMMAND ${CRUSH_WAT2WASM} --enable-all --disable-simd -o ${out} ${abs}
      DEPENDS ${abs} VERBATIM)
    string(MAKE_C_IDENTIFIER "wat_${outdir}_${stem}" tgt)
    add_custom_target(${tgt} DEPENDS ${out})
    add_dependencies(crush_guests ${tgt})
  endforeach()
endfunction()

# Guest C/C++ programs are never built with sanitizer or host flags: only these.
function(crush_add_guest name outdir)
  set(srcs)
  foreach(s ${ARGN})
    get_filename_component(abs ${s} ABSOLUTE)
    list(APPEND srcs ${abs})
  endforeach()
  set(out ${outdir}/${name}.wasm)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${outdir}
    COMMAND ${CRUSH_WASM_CC} --target=wasm32-wasi --sysroot=${CRUSH_WASI_SYSROOT}
            -O2 -g -Wall -o ${out} ${srcs}
    DEPENDS ${srcs} VERBATIM)
  string(MAKE_C_IDENTIFIER "guest_${outdir}_${name}" tgt)
  add_custom_target(${tgt} DEPENDS ${out})
  add_dependencies(crush_guests ${tgt})
endfunction()
