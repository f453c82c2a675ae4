# Copyright (C) 2026 The QtSocketIo authors.
# SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

# Driven by CTest (install_pkgconfig): installs the build into a temporary prefix, then builds the Core consumer
# with nothing but `pkg-config --cflags --libs QtSocketIo` (PKG_CONFIG_PATH pointing into the prefix) and runs it.
file(REMOVE_RECURSE ${WORK_DIR})
function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
        OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
    set(out "${out}" PARENT_SCOPE)
endfunction()
set(prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
file(GLOB_RECURSE _pc ${prefix}/QtSocketIo.pc)
if(NOT _pc)
    message(FATAL_ERROR "QtSocketIo.pc is not installed under ${prefix}")
endif()
get_filename_component(_pcdir ${_pc} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${_pcdir}")
run(${PKG_CONFIG} --modversion QtSocketIo)
if(NOT out STREQUAL PROJECT_VERSION)
    message(FATAL_ERROR "QtSocketIo.pc says version ${out}, the project ${PROJECT_VERSION}")
endif()
run(${PKG_CONFIG} --cflags --libs QtSocketIo)
set(_pc_flags "${out}")
message("pkg-config --cflags --libs QtSocketIo: ${_pc_flags}")
separate_arguments(_flags UNIX_COMMAND "${_pc_flags}")
run(${CXX} -std=c++17 -fPIC -o ${WORK_DIR}/pc-consumer ${CONSUMER_DIR}/main.cpp ${_flags})
# The library is in the prefix, not on the loader's path.
string(REGEX MATCH "-L([^ ]+)" _ "${_pc_flags}")
set(ENV{LD_LIBRARY_PATH} "${CMAKE_MATCH_1}")
run(${WORK_DIR}/pc-consumer)
message("${out}")
