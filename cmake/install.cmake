# Installation (included from the top CMakeLists.txt):
#   bin/mmsim, bin/mmsim-executor (the oracle looks for it beside mmsim)
#   lib/libmmsim.a (and libmmsim.so with -DMMSIM_SHARED=ON)
#   include/mmsim/mmsim.h, include/mmsim/version.h
#   lib/pkgconfig/mmsim.pc
#   lib/cmake/mmsim/mmsim{Config,ConfigVersion,Targets}.cmake: mmsim::mmsim
#   share/man/man1/mmsim.1, share/bash-completion/completions/mmsim
#   share/doc/mmsim/: examples/*.mms and *.out, guide.md, CHANGELOG.md
include(CMakePackageConfigHelpers)

set(MMSIM_INSTALL_LIB mmsim)
if(MMSIM_SHARED)
  # The same sources again, position-independent; only the public API
  # (MMSIM_API) is exported from the shared object.
  add_library(mmsim_shared SHARED ${MMSIM_LIB_SOURCES})
  target_include_directories(mmsim_shared PUBLIC
                             $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/include>
                             $<BUILD_INTERFACE:${CMAKE_BINARY_DIR}/include>
                             $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
                             PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_compile_options(mmsim_shared PRIVATE ${MMSIM_WARNINGS} -fvisibility=hidden)
  target_compile_definitions(mmsim_shared PRIVATE MMSIM_DEBUG=${MMSIM_DEBUG_LEVEL})
  target_link_libraries(mmsim_shared PRIVATE jansson zstd)
  set_target_properties(mmsim_shared PROPERTIES OUTPUT_NAME mmsim
                        EXPORT_NAME mmsim VERSION ${PROJECT_VERSION}
                        SOVERSION ${PROJECT_VERSION_MAJOR})
  set(MMSIM_INSTALL_LIB mmsim_shared)
endif()

install(TARGETS mmsim-bin RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET mmsim-executor)
  install(TARGETS mmsim-executor RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(TARGETS ${MMSIM_INSTALL_LIB} EXPORT mmsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${CMAKE_SOURCE_DIR}/include/mmsim/mmsim.h
              ${CMAKE_BINARY_DIR}/include/mmsim/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/mmsim)

# mmsim.pc finds the prefix from its own place (${pcfiledir}), so a tree
# installed with `cmake --install --prefix DIR` works wherever it lands.
file(RELATIVE_PATH MMSIM_PC_RELPREFIX
     /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" MMSIM_PC_RELPREFIX "${MMSIM_PC_RELPREFIX}")
configure_file(${CMAKE_SOURCE_DIR}/cmake/mmsim.pc.in
               ${CMAKE_BINARY_DIR}/mmsim.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/mmsim.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

set(MMSIM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mmsim)
install(EXPORT mmsimTargets NAMESPACE mmsim:: DESTINATION ${MMSIM_CMAKE_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/mmsimConfig.cmake.in
  ${CMAKE_BINARY_DIR}/mmsimConfig.cmake INSTALL_DESTINATION ${MMSIM_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/mmsimConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/mmsimConfig.cmake
              ${CMAKE_BINARY_DIR}/mmsimConfigVersion.cmake
        DESTINATION ${MMSIM_CMAKE_DIR})

install(FILES ${CMAKE_SOURCE_DIR}/docs/mmsim.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# The newcomer's path: the examples (with their outputs) and the guide.
file(GLOB MMSIM_EXAMPLES ${CMAKE_SOURCE_DIR}/examples/*.mms
     ${CMAKE_SOURCE_DIR}/examples/*.out)
install(FILES ${MMSIM_EXAMPLES} DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES ${CMAKE_SOURCE_DIR}/docs/guide.md ${CMAKE_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_SOURCE_DIR}/completions/mmsim.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME mmsim)
