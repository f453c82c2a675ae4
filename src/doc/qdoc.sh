#!/usr/bin/env bash
# Builds the HTML reference with qdoc into <output dir> and fails on any qdoc warning, printing each one as
# file:line: message. Used by `./dev docs` and by the CTest test `docs`.
#   src/doc/qdoc.sh <build dir (configured: its include/ holds the generated headers)> <output dir>
set -euo pipefail
doc_dir=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$doc_dir/../.." && pwd)
build=$(cd "${1:?build dir}" && pwd)
out=$(realpath -m "${2:?output dir}")
qdoc=${QDOC:-/usr/lib/qt6/bin/qdoc}
qt_docs=${QT_INSTALL_DOCS:-/usr/share/qt6/doc}
qt_include=${QT_INSTALL_HEADERS:-/usr/include/x86_64-linux-gnu/qt6}
[ -x "$qdoc" ] || { echo "qdoc not found at $qdoc (Debian: qt6-documentation-tools)" >&2; exit 2; }
[ -d "$qt_include" ] || qt_include=$(dirname "$(find /usr/include -maxdepth 3 -type d -name QtCore -path '*qt6*' | head -1)")

version=$(sed -n 's/.*project(QtSocketIo VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
export QT_INSTALL_DOCS="$qt_docs" QT_VERSION=$(basename "$(readlink -f "$qt_include/QtCore")" 2>/dev/null || echo 6)
export QT_VER=6 QT_VERSION_TAG=6 QTSOCKETIO_VERSION="$version" QTSOCKETIO_VERSION_TAG="${version//./}"

conf_dir="$build/doc-config"
# qdoc refuses an output directory that is not empty: clear it, but only when it holds an earlier build of these
# docs (never a directory given by mistake).
if [ -d "$out" ] && [ -n "$(ls -A "$out")" ]; then
  [ -f "$out/qtsocketio.index" ] || { echo "$out is not empty and holds no earlier QtSocketIo docs" >&2; exit 2; }
  rm -rf "$out"
fi
mkdir -p "$conf_dir" "$out"
# Qt's index files, when installed, link the types of Qt to Qt's own pages. Debian 12 ships none for Qt 6 (see
# src/doc/README.md): then qt-links.py writes a small index that links the Qt types of the API to doc.qt.io.
{
  echo "include($doc_dir/qtsocketio.qdocconf)"
  found=0
  for module in qtcore qtnetwork qtwebsockets qtsql qtqml qtquick qtdoc; do
    if [ -f "$qt_docs/$module/$module.index" ]; then
      echo "indexes += $qt_docs/$module/$module.index"
      found=1
    fi
  done
  if [ $found -eq 0 ]; then
    python3 "$doc_dir/qt-links.py" "$conf_dir/qtlinks.index"   # links to doc.qt.io instead
    echo "indexes += $conf_dir/qtlinks.index"
  fi
} > "$conf_dir/qtsocketio.qdocconf"
# The module header qdoc precompiles to match \fn signatures: every public header, the components' too.
printf '#include <QtSocketIo/QtSocketIo>\n#include <QtSocketIo/qsocketioredisadapter.h>\n#include <QtSocketIo/qsocketioredisstreamsadapter.h>\n#include <QtSocketIo/qsocketioredisshardedadapter.h>\n#include <QtSocketIo/qsocketiopostgresadapter.h>\n' \
  > "$conf_dir/QtSocketIoDocs"
# A build without the Redis or PostgreSQL component has no export header for it: a stand-in lets qdoc still
# parse that component's header (the component is documented either way).
for component in redis postgres; do
  if [ ! -f "$build/include/QtSocketIo/qtsocketio${component}_export.h" ]; then
    mkdir -p "$conf_dir/QtSocketIo"
    macro="QTSOCKETIO$(echo $component | tr a-z A-Z)_EXPORT"
    printf '#define %s\n' "$macro" > "$conf_dir/QtSocketIo/qtsocketio${component}_export.h"
  else
    rm -f "$conf_dir/QtSocketIo/qtsocketio${component}_export.h"
  fi
done

includes=(-I "$conf_dir" -I "$root/include" -I "$root/include/QtSocketIo" -I "$build/include" -I "$build/include/QtSocketIo"
          -I "$root/src/adapters/redis/include" -I "$root/src/adapters/redisstreams/include" -I "$root/src/adapters/postgres/include"
          -I "$qt_include")
for m in QtCore QtNetwork QtWebSockets QtSql QtQml; do includes+=(-I "$qt_include/$m"); done

log="$conf_dir/qdoc.log"
set +e
"$qdoc" "$conf_dir/qtsocketio.qdocconf" --outputdir "$out" "${includes[@]}" -D Q_QDOC > "$log" 2>&1
status=$?
set -e
# Every warning and error, as file:line: message (qdoc writes "<file>:<line>: (qdoc) warning: ...").
warnings=$(grep -E '(warning|error)' "$log" | grep -v -E 'Documentation warnings \([0-9]+\) exceeded' || true)
# qdoc 6.4 says nothing about undocumented members: check-coverage.py lists every public C++ member and QML
# property, method and signal missing from the index qdoc wrote.
if [ -f "$out/qtsocketio.index" ]; then
  set +e
  coverage=$(python3 "$doc_dir/check-coverage.py" "$out/qtsocketio.index" "${CXX_FOR_DOCS:-clang++}" "$root" "$build" \
             "${includes[@]}" -fPIC 2>&1)
  coverage_status=$?
  set -e
  if [ $coverage_status -gt 1 ] || { [ $coverage_status -eq 1 ] && [ -z "$coverage" ]; }; then
    coverage=$(printf '%s\nsrc/doc/check-coverage.py:1: (coverage) error: the check failed (status %s)' "$coverage" \
               "$coverage_status")
  fi
  [ -n "$coverage" ] && warnings=$(printf '%s\n%s' "$warnings" "$coverage")
fi
count=$(printf '%s' "$warnings" | grep -c . || true)
if [ "$count" -gt 0 ]; then
  printf '%s\n' "$warnings" | sed "s|$root/||"
fi
echo "== qdoc: $count warning(s); HTML in $out/index.html"
[ "$count" -eq 0 ] && [ $status -eq 0 ] || { [ $status -ne 0 ] && echo "qdoc exited with $status (log: $log)"; exit 1; }
