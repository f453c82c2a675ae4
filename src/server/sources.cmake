# One file set per class: qfoo.cpp (+ qfoo_p.h for its private class), the public header in include/QtSocketIo.
set(_qtsocketio_public_headers ${QTSOCKETIO_CORE_PUBLIC_HEADERS})   # the list in src/CMakeLists.txt
# The adapters' public headers belong to the adapters layer (src/adapters/sources.cmake).
list(FILTER _qtsocketio_public_headers EXCLUDE REGEX "/qsocketio(adapter|inmemoryadapter|clusteradapter|socketemitter|sessionstore|sqlitesessionstore)\\.h$")
# The engine's public headers belong to the engine layer (src/engine/sources.cmake).
list(FILTER _qtsocketio_public_headers EXCLUDE REGEX "/(qengineioserver|qengineiosocket|qsocketiohandshake|qsocketiocorsoptions)\\.h$")
target_sources(qtsocketio_server PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioack.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioadminui.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioack_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioackcallback.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioackcallback_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiobroadcast.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiobroadcast_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioclient.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioclientbundle.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioclientbundle_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioclient_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioconnectionstaterecovery.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketionamespace.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketionamespace_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketionext.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioremotesocket.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiometrics.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiometrics_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioserver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioserverattach.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioserver_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiosocket.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiosocket_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiotraffic_p.h
    ${_qtsocketio_public_headers})
