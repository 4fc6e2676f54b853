# The embedding library, its installation and its API docs (issue "Embedding").
#
# - crush (libcrush.so): every layer (runtime, wasi, capsule, wasm, hal) plus the C API, in one
#   shared library, so embedders link one thing and never see the internal static libraries.
#   Its interface is include/crush only (embed.hpp for C++, crush.h for C).
# - crush_c: the same library under the name C users look for (an interface target).
# - install: headers, libcrush.so, exo, a CMake package (find_package(crush) -> crush::crush,
#   crush::crush_c) and pkg-config's crush.pc.
# - docs: Doxygen over include/crush (only when doxygen is installed; never part of `all`).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

add_library(crush SHARED ${PROJECT_SOURCE_DIR}/src/capi/crush_c.cpp)
add_library(crush::crush ALIAS crush)
# The layers' objects go in whole: the C++ API exposes more than the C API references. (Not
# $<LINK_LIBRARY:WHOLE_ARCHIVE,...>: CMake refuses it when the same archives also arrive
# transitively without the feature.) Linking the targets again brings their own dependencies.
set(CRUSH_LAYERS crush_runtime crush_wasi crush_capsule crush_wasm crush_hal)
set(CRUSH_LAYER_FILES)
foreach(layer ${CRUSH_LAYERS})
  list(APPEND CRUSH_LAYER_FILES $<TARGET_FILE:${layer}>)
endforeach()
target_link_libraries(crush PRIVATE -Wl,--whole-archive ${CRUSH_LAYER_FILES} -Wl,--no-whole-archive
                                    ${CRUSH_LAYERS})
target_include_directories(crush PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
target_compile_definitions(crush PRIVATE CRUSH_VERSION="${PROJECT_VERSION}")
target_compile_features(crush PUBLIC cxx_std_20)
set_target_properties(crush PROPERTIES VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}
                                       EXPORT_NAME crush)

add_library(crush_c INTERFACE)
add_library(crush::crush_c ALIAS crush_c)
target_link_libraries(crush_c INTERFACE crush)
set_target_properties(crush_c PROPERTIES EXPORT_NAME crush_c)

# A directory install is listed at install time: a header added later is never left out.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/crush DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.h")
install(TARGETS crush crush_c EXPORT crushTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS exo RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(CRUSH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/crush)
install(EXPORT crushTargets NAMESPACE crush:: DESTINATION ${CRUSH_CMAKE_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/crushConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/crushConfig.cmake INSTALL_DESTINATION ${CRUSH_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/crushConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/crushConfig.cmake ${PROJECT_BINARY_DIR}/crushConfigVersion.cmake
        DESTINATION ${CRUSH_CMAKE_DIR})

# Relocatable: the prefix is found from the .pc file's own place, so `cmake --install --prefix X`
# works for any X.
file(RELATIVE_PATH CRUSH_PC_UP "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
configure_file(${CMAKE_CURRENT_LIST_DIR}/crush.pc.in ${PROJECT_BINARY_DIR}/crush.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/crush.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

find_package(Doxygen QUIET)
if(DOXYGEN_FOUND)
  add_custom_target(docs
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/docs
    COMMAND ${CMAKE_COMMAND} -E env CRUSH_SOURCE_DIR=${PROJECT_SOURCE_DIR} CRUSH_DOCS_DIR=${PROJECT_BINARY_DIR}/docs
            CRUSH_VERSION=${PROJECT_VERSION} ${DOXYGEN_EXECUTABLE} ${PROJECT_SOURCE_DIR}/docs/Doxyfile
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    COMMENT "API docs (Doxygen) -> ${PROJECT_BINARY_DIR}/docs/html"
    VERBATIM)
endif()
