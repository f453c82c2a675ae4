# Copyright (C) 2026 The QtSocketIo authors.
# SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

target_sources(qtsocketio_enginecodec PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/qengineiopacket.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiopacket_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qhttpcompression.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qhttpcompression_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineiopayloadv3.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiopayloadv3_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qhttprequestparser.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qhttprequestparser_p.h)
