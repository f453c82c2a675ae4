# Copyright (C) 2026 The QtSocketIo authors.
# SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

# Read by cpack for each generator (CPACK_PROJECT_CONFIG_FILE). Each Debian package's description
# (CPACK_DEBIAN_<COMPONENT>_DESCRIPTION) starts with a summary line of its own: without this, CPackDeb puts the
# project's summary above it, the same line on every package.
if(CPACK_GENERATOR STREQUAL "DEB")
    unset(CPACK_PACKAGE_DESCRIPTION_SUMMARY)
endif()
