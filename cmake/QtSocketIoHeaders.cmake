# Copyright (C) 2026 The QtSocketIo authors.
# SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

# qtsocketio_public_headers(<target>
#     SOURCE_DIR <dir>               where the lowercase headers are (…/include/QtSocketIo)
#     BINARY_DIR <dir>               where the CamelCase forwarders are written (…/include/QtSocketIo)
#     [MODULE_HEADER <name>]         also a header that includes every listed header (e.g. QtSocketIo)
#     [GENERATED <file>...]          headers generated in BINARY_DIR, installed with the rest
#     HEADERS <header.h> <Class>... [<header.h> <Class>...]...)
#
# The one list of a component's public headers: each header followed by the public classes it declares. At
# configure time it writes, for each class, a forwarding header named after it (<QtSocketIo/QSocketIoServer>)
# into BINARY_DIR, adds both folders to the target's include path (so <QSocketIoServer> works too, as with
# Qt's modules), and installs the headers and the forwarders into <includedir>/QtSocketIo. No file(GLOB): a
# header that is not listed is neither installed nor forwarded. The list is kept in the target's
# QTSOCKETIO_PUBLIC_HEADERS property (full paths), e.g. for the sources that moc must see.
function(qtsocketio_public_headers target)
    cmake_parse_arguments(arg "" "SOURCE_DIR;BINARY_DIR;MODULE_HEADER" "HEADERS;GENERATED" ${ARGN})
    set(_headers)
    set(_forwarders)
    set(_current)
    foreach(item ${arg_HEADERS})
        if(item MATCHES "\\.h$")
            if(NOT EXISTS ${arg_SOURCE_DIR}/${item})
                message(FATAL_ERROR "qtsocketio_public_headers(${target}): ${arg_SOURCE_DIR}/${item} does not exist")
            endif()
            set(_current ${item})
            list(APPEND _headers ${arg_SOURCE_DIR}/${item})
        elseif(NOT _current)
            message(FATAL_ERROR "qtsocketio_public_headers(${target}): class ${item} comes before any header")
        else()
            file(CONFIGURE OUTPUT ${arg_BINARY_DIR}/${item}
                CONTENT "#include <QtSocketIo/${_current}>\n" @ONLY)
            list(APPEND _forwarders ${arg_BINARY_DIR}/${item})
        endif()
    endforeach()
    list(APPEND _headers ${arg_GENERATED})
    if(arg_MODULE_HEADER)
        set(_content "// The ${target} module: every public header of it.\n")
        foreach(header ${_headers})
            get_filename_component(_name ${header} NAME)
            string(APPEND _content "#include <QtSocketIo/${_name}>\n")
        endforeach()
        file(CONFIGURE OUTPUT ${arg_BINARY_DIR}/${arg_MODULE_HEADER} CONTENT "${_content}" @ONLY)
        list(APPEND _forwarders ${arg_BINARY_DIR}/${arg_MODULE_HEADER})
    endif()

    # The folder above (for <QtSocketIo/...>) and the folder itself (for <QSocketIoServer>), in both trees.
    get_filename_component(_source_parent ${arg_SOURCE_DIR} DIRECTORY)
    get_filename_component(_binary_parent ${arg_BINARY_DIR} DIRECTORY)
    target_include_directories(${target} PUBLIC
        $<BUILD_INTERFACE:${_source_parent}>
        $<BUILD_INTERFACE:${arg_SOURCE_DIR}>
        $<BUILD_INTERFACE:${_binary_parent}>
        $<BUILD_INTERFACE:${arg_BINARY_DIR}>
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/QtSocketIo>)
    install(FILES ${_headers} ${_forwarders} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/QtSocketIo COMPONENT Devel)
    set_property(TARGET ${target} PROPERTY QTSOCKETIO_PUBLIC_HEADERS ${_headers})
    set_property(TARGET ${target} PROPERTY QTSOCKETIO_FORWARDING_HEADERS ${_forwarders})
endfunction()
