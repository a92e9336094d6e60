#!/usr/bin/env python3
"""Records what CPython 3.11 (the reference CLI's interpreter) answers for the small Python helpers we
re-implement, for tests/python_helpers.rs to replay:

* shlex.split(s) (POSIX mode, no comments): the words, or the ValueError message;
* difflib.get_close_matches(word, operations, 3, 0.8), with the Lightsail operation names as argparse
  offers them (argparse's "maybe you meant" for an invalid choice).

Run from the repo root:  python3 tests/record/python_helpers.py
Writes tests/data/python/helpers.json.
"""
import difflib
import json
import os
import shlex
import sys

import botocore.session
from botocore import xform_name

assert sys.version_info[:2] == (3, 11), sys.version

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SHLEX = [
    '', 'less', 'less -R', '  less   -R  ', 'a\tb\nc\rd', "a 'b c' d", 'a "b c" d', "'it''s'",
    'a "b\\"c" d', 'a "b\\\\c" d', 'a "b\\$c\\x" d', 'a\\ b c', '\\\\', 'x\\y', "'a\\b'",
    '"\'"', "'\"'", 'a"b c"d', "a'b c'd", 'profile "my profile"', "profile 'a b'",
    '/usr/bin/credential-helper --profile "dev one" --json',
    'python3 -c "import json; print(json.dumps({\\"Version\\": 1}))"',
    'caf\u00e9 \u00fc\u00f1\u00ee', 'a\u00a0b', 'a\u3000b', '"unterminated', "'unterminated",
    'trailing\\', 'a "b" \'c', '#not-a-comment x', 'a;b|c&d', '$HOME ~/x', '""', "''", '"" x',
]

OPERATIONS = sorted(
    xform_name(name).replace('_', '-')
    for name in botocore.session.get_session().get_service_model('lightsail').operation_names
)
OPERATIONS.append('help')

DIFFLIB = [
    'create-instance-snapshots', 'create-instance-snapsht', 'get-instance', 'get-instancs',
    'getinstances', 'get-instances-snapshot', 'delete-instace', 'reboot', 'start-instanc',
    'create-disk-from-snapshots', 'get-bundle', 'hlep', 'xyz', '', 'create', 'get-relational-database-snapshot',
    'GET-INSTANCES', 'allocate-static-ip', 'allocatestaticip', 'list-instances', 'describe-instances',
]


def shlex_case(text):
    try:
        return {"input": text, "words": shlex.split(text)}
    except ValueError as e:
        return {"input": text, "error": str(e)}


def main():
    out = {
        "python": sys.version.split()[0],
        "shlex": [shlex_case(t) for t in SHLEX],
        "operations": OPERATIONS,
        "difflib": [
            {"word": w, "matches": difflib.get_close_matches(w, OPERATIONS, 3, 0.8)} for w in DIFFLIB
        ],
    }
    path = os.path.join(ROOT, 'tests', 'data', 'python', 'helpers.json')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print('%d shlex cases, %d difflib cases' % (len(out['shlex']), len(out['difflib'])), file=sys.stderr)


if __name__ == '__main__':
    main()
