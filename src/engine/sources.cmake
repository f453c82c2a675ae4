target_sources(qtsocketio_engine PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/qengineio_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineiohttpconnection.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiohttpconnection_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineiooutput.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiooutput_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineioiothread.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineioiothreadadopt.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineioiothread_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineioserver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineioserver_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineiosession.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiosession_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineiostaticfiles.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiostaticfiles_p.h
    # The public Engine.IO server and its sockets (facades over the classes above), and the request value
    # they hand out; their public headers are moc'ed here (src/server/sources.cmake leaves them out).
    ${CMAKE_CURRENT_LIST_DIR}/qengineiopublicserver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiosocket.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiosocket_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiocorsoptions.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiohandshake.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiohandshake_p.h
    ${PROJECT_SOURCE_DIR}/include/QtSocketIo/qengineioserver.h
    ${PROJECT_SOURCE_DIR}/include/QtSocketIo/qengineiosocket.h
    ${PROJECT_SOURCE_DIR}/include/QtSocketIo/qsocketiocorsoptions.h
    ${PROJECT_SOURCE_DIR}/include/QtSocketIo/qsocketiohandshake.h)
