# Installation: headers, shared + static library, a CMake package (aws-esdk-c::aws-esdk-c)
# and a pkg-config file. The CLI and its man page install from cli/CMakeLists.txt.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/aws-esdk-c
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(TARGETS aws-esdk-c aws-esdk-c-static
    EXPORT aws-esdk-c-targets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The imported targets carry no link dependencies of ours beyond the library itself
# (the shared library links its dependencies privately).
install(EXPORT aws-esdk-c-targets
    NAMESPACE aws-esdk-c::
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/aws-esdk-c)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/aws-esdk-c-config.cmake.in
    ${PROJECT_BINARY_DIR}/aws-esdk-c-config.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/aws-esdk-c)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/aws-esdk-c-config-version.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/aws-esdk-c-config.cmake
    ${PROJECT_BINARY_DIR}/aws-esdk-c-config-version.cmake
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/aws-esdk-c)
# The .pc file finds its prefix relative to itself, so a relocated install still works.
file(RELATIVE_PATH ESDK_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
configure_file(${PROJECT_SOURCE_DIR}/cmake/aws-esdk-c.pc.in
    ${PROJECT_BINARY_DIR}/aws-esdk-c.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/aws-esdk-c.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
