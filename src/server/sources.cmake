set(_qtsocketio_public_headers ${QTSOCKETIO_CORE_PUBLIC_HEADERS})   # the list in src/CMakeLists.txt
target_sources(qtsocketio_server PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioserver_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioserver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketionamespace.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiosocket.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiovalues.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiorecovery.cpp
    ${_qtsocketio_public_headers})
