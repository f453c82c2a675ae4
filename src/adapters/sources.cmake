target_sources(qtsocketio_adapters PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioadapter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioadapter_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiosocketemitter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioinmemoryadapter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioinmemoryadapter_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiosessionawareadapter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiosessionawareadapter_p.h
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioclusteradapter.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketioclusteradapter_p.h)
target_sources(qtsocketio_adapters PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiosessionstore.cpp
    ${CMAKE_CURRENT_LIST_DIR}/qsocketiosqlitesessionstore.cpp)
# Their public headers (moc runs on them here).
foreach(_header qsocketioadapter.h qsocketioinmemoryadapter.h qsocketioclusteradapter.h qsocketiosocketemitter.h
                qsocketiosessionstore.h qsocketiosqlitesessionstore.h)
    target_sources(qtsocketio_adapters PRIVATE ${PROJECT_SOURCE_DIR}/include/QtSocketIo/${_header})
endforeach()
