// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#ifndef TWONODES_H
#define TWONODES_H

// The clients of the cluster tests' two nodes (tst_clusteradaptersuite, tst_clusteradapter, tst_postgresadapter):
// a1 and a2 on node a, b1 on node b, with a1 and b1 in room "r1". Header-only; needs QtSocketIo.

#include "siojoin.h"

namespace SioTest {

// Connects a1 and a2 to a and b1 to b, fills their ids, and joins a1 and b1 to "r1"; false when one failed.
inline bool connectTwoNodes(QSocketIoServer &a, QSocketIoServer &b, SioTestClient &a1, SioTestClient &a2,
                            SioTestClient &b1, QString *a1Id, QString *a2Id, QString *b1Id)
{
    *a1Id = connectClient(a, a1);
    *a2Id = connectClient(a, a2);
    *b1Id = connectClient(b, b1);
    if (a1Id->isEmpty() || a2Id->isEmpty() || b1Id->isEmpty())
        return false;
    a.mainNamespace()->socket(*a1Id)->join(QStringLiteral("r1"));
    b.mainNamespace()->socket(*b1Id)->join(QStringLiteral("r1"));
    return true;
}

} // namespace SioTest

#endif
