# Copyright (C) 2026 The QtSocketIo authors.
# SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

# Debian packages with CPack: `cpack -G DEB` in a build folder (`./dev package` configures one for the /usr prefix,
# builds it and runs cpack). One package per install component, named after the SONAME as Debian does
# (libQtSocketIo.so.0.1 -> libqtsocketio0.1):
#   Core      libqtsocketio<so>           libQtSocketIo.so.<so> and its versioned symlink
#   Qml       qml6-module-qtsocketio      the QML module QtSocketIo (plugin, qmldir, qmltypes) in Qt's QML folder,
#                                         and its backing library libQtSocketIoQml.so.<so>
#   Redis     libqtsocketio-redis<so>     libQtSocketIoRedis.so.<so> (QtSocketIo::Redis)
#   Postgres  libqtsocketio-postgres<so>  libQtSocketIoPostgres.so.<so> (QtSocketIo::Postgres)
#   Devel     libqtsocketio-dev           headers (with the CamelCase ones), unversioned .so symlinks, the CMake
#                                         package (find_package(QtSocketIo COMPONENTS ...)), QtSocketIo.pc
# The dependencies on Qt, hiredis, libpq and the C++ runtime come from dpkg-shlibdeps; the ones between these
# packages are declared here, on the exact version (they are built together).
if(NOT QTSOCKETIO_IS_ROOT_PROJECT)
    return()
endif()

set(QTSOCKETIO_PACKAGE_MAINTAINER "The QtSocketIo authors <qtsocketio@localhost>" CACHE STRING
    "The Maintainer field of the Debian packages")
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    message(STATUS "QtSocketIo: `cpack -G DEB` packs for /usr, but this build's prefix is ${CMAKE_INSTALL_PREFIX}: "
        "configure with -DCMAKE_INSTALL_PREFIX=/usr (as ./dev package does) for Debian's library folder "
        "(${CMAKE_INSTALL_LIBDIR} now)")
endif()

set(CPACK_PACKAGE_NAME QtSocketIo)
set(CPACK_PACKAGE_VENDOR "The QtSocketIo authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "${QTSOCKETIO_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_LIST_DIR}/QtSocketIoCPackOptions.cmake)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL Core Devel)
if(TARGET QtSocketIoQml)
    list(APPEND CPACK_COMPONENTS_ALL Qml)
endif()
if(TARGET QtSocketIoRedis)
    list(APPEND CPACK_COMPONENTS_ALL Redis)
endif()
if(TARGET QtSocketIoPostgres)
    list(APPEND CPACK_COMPONENTS_ALL Postgres)
endif()

set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${QTSOCKETIO_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# dpkg-shlibdeps finds the external libraries' packages; our own libraries, built here and not installed, it finds
# in the build folders (-l) and skips (their packages are declared below).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/src ${PROJECT_BINARY_DIR}/qml)
# A shlibs file in each library package, so that other packages' dpkg-shlibdeps depend on them.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

set(_version "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")
set(_core libqtsocketio${QTSOCKETIO_SOVERSION})
set(_qml qml6-module-qtsocketio)
set(_redis libqtsocketio-redis${QTSOCKETIO_SOVERSION})
set(_postgres libqtsocketio-postgres${QTSOCKETIO_SOVERSION})

set(CPACK_DEBIAN_CORE_PACKAGE_NAME ${_core})
set(CPACK_DEBIAN_CORE_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_CORE_PACKAGE_RECOMMENDS "libqt6sql6-sqlite")   # QSocketIoSqliteSessionStore's driver (a plugin)
set(CPACK_DEBIAN_CORE_DESCRIPTION "Socket.IO v5 / Engine.IO v4 server for Qt 6 - library
QtSocketIo is a Socket.IO server as a Qt add-on: namespaces, rooms, acknowledgements, binary
events, middleware, connection state recovery, HTTP long-polling and WebSocket transports.

This package holds the shared library libQtSocketIo (CMake component QtSocketIo::Core).")

set(CPACK_DEBIAN_QML_PACKAGE_NAME ${_qml})
set(CPACK_DEBIAN_QML_PACKAGE_SECTION libs)
# `import QtQml`, which the module's users write, also imports QtQml.Models and QtQml.WorkerScript: Debian's
# qml6-module-qtqml does not pull them in (tests/package/run.sh failed without them).
set(CPACK_DEBIAN_QML_PACKAGE_DEPENDS
    "${_core} (= ${_version}), qml6-module-qtqml, qml6-module-qtqml-models, qml6-module-qtqml-workerscript")
# The SocketIoInspector item (a QML file of the module) uses Qt Quick, Controls and Layouts; the rest does not.
set(CPACK_DEBIAN_QML_PACKAGE_RECOMMENDS
    "qml6-module-qtquick, qml6-module-qtquick-controls, qml6-module-qtquick-layouts, qml6-module-qtquick-templates")
set(CPACK_DEBIAN_QML_DESCRIPTION "Socket.IO v5 / Engine.IO v4 server for Qt 6 - QML module
The QML module QtSocketIo (import QtSocketIo): SocketIoServer, its namespaces, sockets, a socket model
and broadcasts, installed in Qt's QML folder, with its backing library libQtSocketIoQml.")

set(CPACK_DEBIAN_REDIS_PACKAGE_NAME ${_redis})
set(CPACK_DEBIAN_REDIS_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_REDIS_PACKAGE_DEPENDS "${_core} (= ${_version})")
set(CPACK_DEBIAN_REDIS_DESCRIPTION "Socket.IO v5 / Engine.IO v4 server for Qt 6 - Redis adapter
The Redis cluster adapter of QtSocketIo (CMake component QtSocketIo::Redis), wire-compatible with
@socket.io/redis-adapter and @socket.io/redis-emitter.")

set(CPACK_DEBIAN_POSTGRES_PACKAGE_NAME ${_postgres})
set(CPACK_DEBIAN_POSTGRES_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_POSTGRES_PACKAGE_DEPENDS "${_core} (= ${_version})")
set(CPACK_DEBIAN_POSTGRES_DESCRIPTION "Socket.IO v5 / Engine.IO v4 server for Qt 6 - PostgreSQL adapter
The PostgreSQL cluster adapter of QtSocketIo (CMake component QtSocketIo::Postgres), wire-compatible
with @socket.io/postgres-adapter and @socket.io/postgres-emitter.")

# The development package carries the CMake files of every component built, so it needs all their libraries,
# and the Qt development packages that QtSocketIoConfig.cmake finds (find_dependency).
set(_dev_depends "${_core} (= ${_version})" qt6-base-dev qt6-websockets-dev)
if(TARGET QtSocketIoQml)
    list(APPEND _dev_depends "${_qml} (= ${_version})" qt6-declarative-dev)
endif()
if(TARGET QtSocketIoRedis)
    list(APPEND _dev_depends "${_redis} (= ${_version})")
endif()
if(TARGET QtSocketIoPostgres)
    list(APPEND _dev_depends "${_postgres} (= ${_version})")
endif()
list(JOIN _dev_depends ", " _dev_depends)
set(CPACK_DEBIAN_DEVEL_PACKAGE_NAME libqtsocketio-dev)
set(CPACK_DEBIAN_DEVEL_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVEL_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_DEVEL_PACKAGE_DEPENDS "${_dev_depends}")
set(CPACK_DEBIAN_DEVEL_DESCRIPTION "Socket.IO v5 / Engine.IO v4 server for Qt 6 - development files
Headers (<QtSocketIo/QSocketIoServer> and <QSocketIoServer>), the CMake package
(find_package(QtSocketIo COMPONENTS Core Qml Redis Postgres)) and the pkg-config file QtSocketIo.pc.")

include(CPack)
