#!/usr/bin/env python3
# Lists every public C++ member (of the public headers) and every QML property, signal and method (of the QML
# module's Q_PROPERTY, Q_SIGNALS and Q_INVOKABLE) that the qdoc index does not hold as documented, as
# "file:line: (coverage) warning: ..." lines: qdoc 6.4 itself says nothing about undocumented members.
#   check-coverage.py <qtsocketio.index> <clang++> <source root> <build dir> <compiler flags...>
import json, re, subprocess, sys, os, collections
from xml.etree import ElementTree

index_path, clang, root, build = sys.argv[1:5]
flags = sys.argv[5:]
headers = [os.path.join(root, 'include/QtSocketIo', f) for f in sorted(os.listdir(os.path.join(root, 'include/QtSocketIo')))
           if f.endswith('.h')]
for comp in ('redis', 'redisstreams', 'postgres'):
    d = os.path.join(root, 'src/adapters', comp, 'include/QtSocketIo')
    headers += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith('.h')]

# What qdoc documented: (kind, fullname) -> count (overloads).
documented = collections.Counter()
tree = ElementTree.parse(index_path)
for el in tree.iter():
    full = el.get('fullname') or (el.get('name') if el.tag in ('class', 'struct', 'namespace') else None)
    if full is not None and not el.tag.startswith('qml') and (el.get('documented') == 'true' or el.tag in (
            'property', 'enum', 'typedef', 'variable')):
        documented[('class' if el.tag == 'struct' else el.tag, full)] += 1
qml_doc = collections.Counter()
for qtype in tree.iter('qmlclass'):
    tname = qtype.get('name')
    for m in qtype:
        if m.get('name'):
            qml_doc[(tname, m.get('name'))] += 1

problems = []
def warn(path, line, text):
    problems.append('%s:%s: (coverage) warning: %s' % (os.path.relpath(path, root), line, text))

# C++: clang's AST of every public header, the classes named QSocketIo*.
tu = '\n'.join('#include "%s"' % h for h in headers) + '\n'
ast = subprocess.run([clang, '-std=c++17', '-fsyntax-only', '-x', 'c++', '-', *flags, '-Xclang', '-ast-dump=json',
                      '-Xclang', '-ast-dump-filter=QSocketIo'], input=tu, capture_output=True, text=True)
if ast.returncode != 0:
    sys.stderr.write(ast.stderr)
    sys.exit(2)
decoder = json.JSONDecoder()
text, pos, records = ast.stdout, 0, []
while True:
    pos = text.find('{', pos)
    if pos < 0:
        break
    obj, pos = decoder.raw_decode(text, pos)
    records.append(obj)

skip = {'metaObject', 'qt_metacast', 'qt_metacall', 'tr', 'trUtf8', 'qt_static_metacall', 'staticMetaObject',
        'qt_check_for_QGADGET_macro', 'QtGadgetHelper', 'qt_staticMetaObjectStaticContent',
        'qt_staticMetaObjectRelocatingContent', 'd_func', 'QPrivateSignal'}
seen_records = set()

def check_record(rec, cls, path):
    """Checks the public members of the class cls (rec: its CXXRecordDecl), and its public nested classes."""
    access = 'private' if rec.get('tagUsed') == 'class' else 'public'
    line = rec.get('loc', {}).get('line', 0)
    expected = collections.Counter()
    where = {}
    for m in rec.get('inner', []):
        loc = m.get('loc', {})
        loc = loc.get('spellingLoc', loc)
        line = loc.get('line', line)
        kind = m.get('kind')
        if kind == 'AccessSpecDecl':
            access = m.get('access')
            continue
        if access != 'public' or m.get('isImplicit'):
            continue
        name = m.get('name')
        if not name or name in skip or name.startswith('qt_'):
            continue
        if kind == 'CXXRecordDecl':
            if m.get('completeDefinition') and not name.endswith('Private'):
                nested = cls + '::' + name
                if ('class', nested) not in documented:
                    warn(path, line, 'undocumented class %s' % nested)
                check_record(m, nested, path)
            continue
        if kind in ('CXXMethodDecl', 'CXXConstructorDecl', 'CXXDestructorDecl', 'FunctionTemplateDecl'):
            if m.get('explicitlyDeleted'):
                continue
            key = ('function', cls + '::' + name)
        elif kind == 'EnumDecl':
            key = ('enum', cls + '::' + name)
        elif kind in ('TypedefDecl', 'TypeAliasDecl'):
            key = ('typedef', cls + '::' + name)
        elif kind in ('FieldDecl', 'VarDecl'):
            key = ('variable', cls + '::' + name)
        else:
            continue
        expected[key] += 1
        where.setdefault(key, line)
    for key, n in expected.items():
        have = documented.get(key, 0)
        if key[0] == 'typedef' and have == 0:
            have = documented.get(('enum', key[1]), 0)   # Q_DECLARE_FLAGS: documented with its enum (\flags)
        if have < n:
            warn(path, where[key], 'undocumented %s %s (%d of %d overloads documented)' % (key[0], key[1], have, n)
                 if n > 1 else 'undocumented %s %s' % (key[0], key[1]))

for rec in records:
    if rec.get('kind') != 'CXXRecordDecl' or not rec.get('completeDefinition') or rec.get('name') in seen_records:
        continue
    path = rec.get('loc', {}).get('file') or rec.get('loc', {}).get('expansionLoc', {}).get('file')
    cls = rec['name']
    if cls.endswith('Private') or not path or not path.startswith(root):
        continue
    seen_records.add(cls)
    if ('class', cls) not in documented:
        warn(path, rec.get('loc', {}).get('line', 0), 'undocumented class %s' % cls)
    check_record(rec, cls, path)

# C++ properties (Q_PROPERTY), read from the headers.
for h in headers:
    cls = None
    for no, l in enumerate(open(h), 1):
        m = re.match(r'class\s+(?:\w+_EXPORT\s+)?(QSocketIo\w+)\b', l)
        if m and not l.rstrip().endswith(';'):
            cls = m.group(1)
        m = re.search(r'Q_PROPERTY\(\s*[\w:<>*\s]+?[\s*](\w+)\s+(READ|MEMBER)', l)
        if m and cls and ('property', cls + '::' + m.group(1)) not in documented:
            warn(h, no, 'undocumented property %s::%s' % (cls, m.group(1)))

# QML: every QML_ELEMENT / QML_NAMED_ELEMENT class of qml/ and its Q_PROPERTY, Q_INVOKABLE and signals.
qml_dir = os.path.join(root, 'qml')
classes = {}
for f in sorted(os.listdir(qml_dir)):
    if not f.endswith('_p.h'):
        continue
    p = os.path.join(qml_dir, f)
    src = open(p).read()
    for m in re.finditer(r'class\s+(?:\w+_EXPORT\s+)?(\w+)\s*(?::\s*public\s+(\w+))?[^;{]*\{(.*?)\n\};', src, re.S):
        body = m.group(3)
        named = re.search(r'QML_NAMED_ELEMENT\((\w+)\)', body)
        qname = named.group(1) if named else (m.group(1)[4:] if 'QML_ELEMENT' in body or 'QML_UNCREATABLE' in body
                                               or 'QML_ANONYMOUS' not in body and False else None)
        if 'QML_ELEMENT' in body and not named:
            qname = m.group(1).replace('QQml', '', 1)
        classes[m.group(1)] = dict(path=p, start=src[:m.start()].count('\n') + 1, body=body, base=m.group(2),
                                   qml=qname, anonymous='QML_ANONYMOUS' in body)

def members(info):
    out = []
    in_signals = False
    access = 'private'
    for no, l in enumerate(info['body'].split('\n'), info['start']):
        s = l.strip()
        if re.match(r'(public|protected|private)(\s+Q_SLOTS)?\s*:', s):
            access = s.split()[0].rstrip(':')
            in_signals = False
            continue
        if s.startswith('Q_SIGNALS:'):
            in_signals = True
            continue
        m = re.search(r'Q_PROPERTY\(\s*[\w:<>*\s]+?[\s*](\w+)\s+(READ|MEMBER)', s)
        if m:
            out.append(('property', m.group(1), no))
            continue
        m = re.search(r'QQMLSOCKETIO_ARGS_METHODS\(\s*\w+\s*,\s*(\w+)', s)
        if m:
            out.append(('method', m.group(1), no))
            continue
        m = re.search(r'Q_INVOKABLE\s+[\w:<>*&\s,]*?\b(\w+)\s*\(', s)
        if m:
            out.append(('method', m.group(1), no))
            continue
        if in_signals:
            m = re.match(r'void\s+(\w+)\s*\(', s)
            if m and not m.group(1).endswith('Changed'):
                out.append(('signal', m.group(1), no))
    return out

for cname, info in classes.items():
    if not info['qml'] or info['anonymous']:
        continue
    chain, c = [], cname
    while c in classes:
        chain.append(c)
        c = classes[c]['base']
    qtype = info['qml']
    if not any(q.get('name') == qtype for q in tree.iter('qmlclass')):
        warn(info['path'], info['start'], 'undocumented QML type %s' % qtype)
        continue
    for c in chain:
        for kind, name, no in members(classes[c]):
            if qml_doc.get((qtype, name), 0) == 0:
                warn(classes[c]['path'], no, 'undocumented QML %s %s.%s' % (kind, qtype, name))

print('\n'.join(problems))
sys.exit(1 if problems else 0)
