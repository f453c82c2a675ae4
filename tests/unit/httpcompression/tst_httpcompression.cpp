// Copyright (C) 2026 The QtSocketIo authors.
// SPDX-License-Identifier: LGPL-3.0-only OR GPL-2.0-or-later

#include "engine/codec/qhttpcompression_p.h"

#include <QtTest/QtTest>

#include <zlib.h>

using QHttpCompression::Coding;

Q_DECLARE_METATYPE(QHttpCompression::Coding)

namespace {

// Inflates with zlib's own automatic header detection (windowBits 15 + 32: zlib or gzip), so the test checks the
// wrapper the coding promises separately.
QByteArray inflateAny(const QByteArray &data)
{
    z_stream stream = {};
    if (inflateInit2(&stream, 15 + 32) != Z_OK)
        return {};
    QByteArray out;
    char buffer[16384];
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef *>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, qsizetype(sizeof buffer - stream.avail_out));
    }
    inflateEnd(&stream);
    return status == Z_STREAM_END ? out : QByteArray();
}

} // namespace

class tst_HttpCompression : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void negotiate_data();
    void negotiate();
    void roundTrip_data();
    void roundTrip();
};

void tst_HttpCompression::negotiate_data()
{
    QTest::addColumn<QByteArray>("acceptEncoding");
    QTest::addColumn<Coding>("expected");
    QTest::newRow("absent") << QByteArray() << Coding::Identity;
    QTest::newRow("empty") << QByteArray("") << Coding::Identity;
    QTest::newRow("gzip") << QByteArray("gzip") << Coding::Gzip;
    QTest::newRow("browser") << QByteArray("gzip, deflate, br, zstd") << Coding::Gzip;
    QTest::newRow("deflate only") << QByteArray("deflate") << Coding::Deflate;
    QTest::newRow("case") << QByteArray("GZIP") << Coding::Gzip;
    QTest::newRow("gzip refused") << QByteArray("gzip;q=0, deflate") << Coding::Deflate;
    QTest::newRow("gzip refused, spaces") << QByteArray("gzip ; q=0.0 ,deflate;q=0.3") << Coding::Deflate;
    QTest::newRow("both refused") << QByteArray("gzip;q=0, deflate;q=0") << Coding::Identity;
    QTest::newRow("br only") << QByteArray("br") << Coding::Identity;
    QTest::newRow("identity") << QByteArray("identity") << Coding::Identity;
    QTest::newRow("wildcard") << QByteArray("*") << Coding::Gzip;
    QTest::newRow("wildcard refused") << QByteArray("*;q=0") << Coding::Identity;
    QTest::newRow("wildcard, gzip refused") << QByteArray("gzip;q=0, *") << Coding::Deflate;
    QTest::newRow("malformed q refuses") << QByteArray("gzip;q=abc, deflate;q=2") << Coding::Identity;
    QTest::newRow("empty items") << QByteArray(",,, ,gzip,,") << Coding::Gzip;
    QTest::newRow("gzip prefix is not gzip") << QByteArray("gzipx, x-gzip") << Coding::Identity;
}

void tst_HttpCompression::negotiate()
{
    QFETCH(QByteArray, acceptEncoding);
    QFETCH(Coding, expected);
    QCOMPARE(QHttpCompression::negotiate(acceptEncoding), expected);
}

void tst_HttpCompression::roundTrip_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Coding>("coding");
    const QByteArray text = QByteArray("42[\"chat\",\"hello\"]\x1e").repeated(400);
    QByteArray binary(70000, Qt::Uninitialized);
    for (qsizetype i = 0; i < binary.size(); ++i)
        binary[i] = char((i * 2654435761u) >> 13);
    for (Coding coding : {Coding::Gzip, Coding::Deflate}) {
        const char *name = coding == Coding::Gzip ? "gzip" : "deflate";
        QTest::addRow("%s empty", name) << QByteArray("") << coding;
        QTest::addRow("%s text", name) << text << coding;
        QTest::addRow("%s incompressible", name) << binary << coding;
    }
}

void tst_HttpCompression::roundTrip()
{
    QFETCH(QByteArray, body);
    QFETCH(Coding, coding);
    const QByteArray compressed = QHttpCompression::compress(body, coding);
    QVERIFY(!compressed.isNull());
    QCOMPARE(inflateAny(compressed), body);
    // The wrapper the coding names: gzip's magic 1f 8b, or a zlib header (CMF 0x78, FCHECK makes it divisible by 31).
    if (coding == Coding::Gzip) {
        QVERIFY(compressed.startsWith("\x1f\x8b"));
    } else {
        QCOMPARE(quint8(compressed.at(0)), quint8(0x78));
        QCOMPARE((quint8(compressed.at(0)) * 256 + quint8(compressed.at(1))) % 31, 0);
    }
    QCOMPARE(QHttpCompression::compress(body, Coding::Identity), body);
    QCOMPARE(QHttpCompression::token(coding), coding == Coding::Gzip ? QByteArray("gzip") : QByteArray("deflate"));
}

QTEST_APPLESS_MAIN(tst_HttpCompression)

#include "tst_httpcompression.moc"
