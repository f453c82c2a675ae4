# llhttp: the HTTP/1.1 parser of Node.js.
# Prefer a system library (libllhttp-dev on newer distributions); otherwise build the C sources that
# Debian 12's node-llhttp package ships under /usr/share/llhttp into a small static library.
find_path(LLHTTP_INCLUDE_DIR llhttp.h PATH_SUFFIXES llhttp)
find_library(LLHTTP_LIBRARY NAMES llhttp)
if(LLHTTP_INCLUDE_DIR AND LLHTTP_LIBRARY)
    add_library(qtsocketio_llhttp INTERFACE)
    target_include_directories(qtsocketio_llhttp INTERFACE ${LLHTTP_INCLUDE_DIR})
    target_link_libraries(qtsocketio_llhttp INTERFACE ${LLHTTP_LIBRARY})
    message(STATUS "llhttp: system library ${LLHTTP_LIBRARY}")
else()
    find_path(LLHTTP_SOURCE_DIR llhttp.c PATHS /usr/share/llhttp NO_DEFAULT_PATH)
    find_path(LLHTTP_SOURCE_INCLUDE_DIR llhttp.h PATHS /usr/share/include/llhttp NO_DEFAULT_PATH)
    if(NOT LLHTTP_SOURCE_DIR OR NOT LLHTTP_SOURCE_INCLUDE_DIR)
        message(FATAL_ERROR "llhttp not found: install libllhttp-dev, or Debian 12's node-llhttp package (apt-get install node-llhttp)")
    endif()
    add_library(qtsocketio_llhttp STATIC
        ${LLHTTP_SOURCE_DIR}/llhttp.c ${LLHTTP_SOURCE_DIR}/api.c ${LLHTTP_SOURCE_DIR}/http.c)
    set_target_properties(qtsocketio_llhttp PROPERTIES POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden)
    target_include_directories(qtsocketio_llhttp PUBLIC $<BUILD_INTERFACE:${LLHTTP_SOURCE_INCLUDE_DIR}>)
    message(STATUS "llhttp: building sources from ${LLHTTP_SOURCE_DIR}")
endif()
