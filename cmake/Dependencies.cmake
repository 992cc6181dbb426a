# Every dependency comes from a Debian package (see .ci/run for the list).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)

find_path(MBEDTLS_INCLUDE_DIR mbedtls/gcm.h REQUIRED)
find_library(MBEDCRYPTO_LIBRARY mbedcrypto REQUIRED)
find_library(MBEDX509_LIBRARY mbedx509 REQUIRED)
find_path(CJSON_INCLUDE_DIR cjson/cJSON.h REQUIRED)
find_library(CJSON_LIBRARY cjson REQUIRED)
find_package(CURL REQUIRED)

set(ESDK_DEPENDENCY_LIBS
    PkgConfig::SODIUM ${MBEDX509_LIBRARY} ${MBEDCRYPTO_LIBRARY} ${CJSON_LIBRARY}
    CURL::libcurl Threads::Threads ${CMAKE_DL_LIBS})

# PKCS#11 header only (keyrings/pkcs11/): p11-kit's pkcs11.h; modules are loaded with dlopen,
# so nothing is linked.
find_path(PKCS11_INCLUDE_DIR p11-kit/pkcs11.h PATH_SUFFIXES p11-kit-1 REQUIRED)
include_directories(SYSTEM ${PKCS11_INCLUDE_DIR})
