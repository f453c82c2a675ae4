# Copyright (C) 2026 The QtSocketIo authors.
# SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

target_sources(qtsocketio_protocol PRIVATE ${CMAKE_CURRENT_LIST_DIR}/qsocketiopacket.cpp ${CMAKE_CURRENT_LIST_DIR}/qsocketiopacket_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioparser.cpp ${CMAKE_CURRENT_LIST_DIR}/qsocketioparser_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiomsgpackparser.cpp ${CMAKE_CURRENT_LIST_DIR}/qsocketiomsgpackparser_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiopacketv2.cpp ${CMAKE_CURRENT_LIST_DIR}/qsocketiopacketv2_p.h)
