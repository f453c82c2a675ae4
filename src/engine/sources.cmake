target_sources(qtsocketio_engine PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/qengineio_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineiohttpconnection.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiohttpconnection_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineiooutput.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiooutput_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineioiothread.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineioiothread_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineioserver.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineioserver_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineiosession.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiosession_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qengineiostaticfiles.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qengineiostaticfiles_p.h)
