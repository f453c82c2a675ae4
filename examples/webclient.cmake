# Copyright (C) 2026 The QtSocketIo authors.
# SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

# The chat pages of the examples (web/index.html) use the socket.io-client browser bundle, socket.io.min.js.
# It is not committed. When the file QTSOCKETIO_SOCKETIO_CLIENT_JS exists (by default the one that
# `npm ci --prefix tests/interop`, run by ./dev, installs) it is copied next to the page and served with it.
# Otherwise the build goes on without it, and the page loads the same client from the socket.io CDN (the URL
# is in the page itself), so a plain CMake build needs no npm folder.
get_filename_component(_qtsocketio_default_client_js
    ${CMAKE_CURRENT_LIST_DIR}/../tests/interop/node_modules/socket.io-client/dist/socket.io.min.js ABSOLUTE)
set(QTSOCKETIO_SOCKETIO_CLIENT_JS "${_qtsocketio_default_client_js}"
    CACHE FILEPATH "The socket.io-client browser bundle copied next to the examples' chat pages (when it exists)")

# qtsocketio_example_web(<target>): copies <source dir>/web/index.html (and the bundle, when there is one) to
# <binary dir>/web, in a target <target>_web that <target> depends on, and says in the CMake output what the
# page gets.
function(qtsocketio_example_web target)
    set(_web ${CMAKE_CURRENT_BINARY_DIR}/web)
    set(_page ${CMAKE_CURRENT_SOURCE_DIR}/web/index.html)
    set(_bundle "${QTSOCKETIO_SOCKETIO_CLIENT_JS}")
    # The page's fallback: the CDN URL in it.
    file(STRINGS ${_page} _fallback LIMIT_COUNT 1 REGEX "https://[^'\"]*socket\\.io\\.min\\.js")
    string(REGEX MATCH "https://[^'\"]*socket\\.io\\.min\\.js" _fallback "${_fallback}")
    if(EXISTS "${_bundle}")
        file(STRINGS "${_bundle}" _banner LIMIT_COUNT 1 REGEX "Socket\\.IO v[0-9.]+")
        string(REGEX MATCH "v[0-9.]+" _version "${_banner}")
        message(STATUS "${target}: embedding the socket.io-client ${_version} bundle in its web page (${_bundle})")
        string(REGEX REPLACE "^v" "" _number "${_version}")
        if(NOT _fallback MATCHES "/${_number}/socket\\.io\\.min\\.js$")
            message(WARNING "${target}: ${_page} falls back to ${_fallback}, not to the embedded version ${_version}")
        endif()
        add_custom_command(OUTPUT ${_web}/index.html ${_web}/socket.io.min.js
            COMMAND ${CMAKE_COMMAND} -E make_directory ${_web}
            COMMAND ${CMAKE_COMMAND} -E copy ${_page} ${_web}/index.html
            COMMAND ${CMAKE_COMMAND} -E copy ${_bundle} ${_web}/socket.io.min.js
            DEPENDS ${_page} ${_bundle}
            COMMENT "Copying the chat page of ${target} and the socket.io-client bundle")
        add_custom_target(${target}_web ALL DEPENDS ${_web}/index.html ${_web}/socket.io.min.js)
    else()
        message(STATUS "${target}: no socket.io-client bundle embedded (${_bundle} not found; "
            "`npm ci --prefix tests/interop` installs it): its web page loads the client from ${_fallback}")
        # A bundle embedded by an earlier configuration goes, so that the page is served as announced.
        add_custom_command(OUTPUT ${_web}/index.html
            COMMAND ${CMAKE_COMMAND} -E make_directory ${_web}
            COMMAND ${CMAKE_COMMAND} -E copy ${_page} ${_web}/index.html
            COMMAND ${CMAKE_COMMAND} -E rm -f ${_web}/socket.io.min.js
            DEPENDS ${_page}
            COMMENT "Copying the chat page of ${target} (without a socket.io-client bundle)")
        add_custom_target(${target}_web ALL DEPENDS ${_web}/index.html)
    endif()
    add_dependencies(${target} ${target}_web)
endfunction()
