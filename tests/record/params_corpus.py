#!/usr/bin/env python3
"""Records how the reference (AWS CLI v1.45.11 on CPython 3.11) parses parameter values.

Writes under tests/data/params/:
  json_decode.jsonl  json.loads over hand-picked and random texts: the value (json.dumps) or str(error)
  cases.jsonl        one operation parameter given on the command line: the parsed value the CLI would
                     send, or the exact stderr and exit code it ends with
  depth.jsonl        nesting-depth limits, measured by running the real `aws` in a subprocess

Run it network-isolated, from the repository root:
  unshare -n sh -c 'ip link set lo up; python3 tests/record/params_corpus.py'
The CLI runs in-process with a `calling-command` hook that records the parameters and stops before any
request is sent; the endpoint is loopback regardless.
"""
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

FIXTURES = '/tmp/lightsail-cli-params-fixtures'
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'params')
ENDPOINT = 'http://127.0.0.1:9'

SAFE_ENV = {
    'AWS_EC2_METADATA_DISABLED': 'true',
    'AWS_ACCESS_KEY_ID': 'AKIDEXAMPLE',
    'AWS_SECRET_ACCESS_KEY': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'AWS_DEFAULT_REGION': 'us-west-2',
    'LSPARAMS_DIR': FIXTURES,
}


def make_fixtures():
    """Files the cases read; tests/params.rs creates the same ones."""
    shutil.rmtree(FIXTURES, ignore_errors=True)
    os.makedirs(os.path.join(FIXTURES, 'adir'))
    files = {
        'tags.json': b'[{"key": "k1", "value": "v1"}, {"key": "k2"}]\n',
        'tags_crlf.json': b'[{"key": "a\\r\\nb",\r\n "value": "x"}]\r\n',
        'tags_short.txt': b'key=fromfile,value=yes',
        'text.txt': b'hello\r\nworld\rend\n',
        'unicode.txt': 'h\u00e9llo \u2603 \U0001F600\n'.encode('utf-8'),
        'bad.bin': b'\xff\xfe\x00abc',
        'empty.txt': b'',
        'chars.txt': b'ab c',
        'int.txt': b' 42\n',
        'bom.json': '\ufeff[{"key": "a"}]'.encode('utf-8'),
        'bad.json': b'[{"key": "a",}]',
        'entry.json': b'{"name": "n", "isAlias": true, "options": {"a": "b"}}',
        'quote.txt': b"it's",
    }
    for name, data in files.items():
        with open(os.path.join(FIXTURES, name), 'wb') as f:
            f.write(data)


# --- json.loads -----------------------------------------------------------------------------------

JSON_INPUTS = [
    '', ' ', '\n', '{}', '[]', '{"a": 1}', '[1, 2.5, -3, 1e3, 1E-3, -0, -0.0, 0.1]',
    '{"a": 1, "a": 2, "b": 3}', '{"b": 1, "a": 2, "b": 3}', 'NaN', 'Infinity', '-Infinity', '[NaN, -Infinity]',
    'null', 'true', 'false', ' true ', '"\\u00e9\\ud83d\\ude00"', '"\\ud800"', '"\\ud800x"', '"\\udc00\\ud800"',
    '12345678901234567890123', '-98765432109876543210', '1e400', '-1e400', '1.7976931348623157e308',
    '5e-324', '123456789012345678.5', '0.30000000000000004', '[1,]', '{"a":1,}', '{"a" 1}', '{a:1}',
    "{'a': 1}", '[1 2]', '{"a":1 "b":2}', '[', '{', '{"a"', '{"a":', '{"a":1', '[1', '"abc', '"a\\', '"a\\x"',
    '"a\x01b"', '"tab\there"', '"\\u12"', '"\\u12G4"', '"\\u1234', '"\\ud800\\u12"', '"\\ud800\\u',
    '"\\ud800\\udc0"', '"\\ud800\\udc00', '"\\ud800\\udc00"', '1 2', '[] []', '01', '1.', '1.e5', '.5', '-',
    '-a', '+1', 'nul', 'tru', 'nan', 'inf', 'Infinit', '[1, 2, ]', '\ufeff[]', ' \ufeff[]',
    '["\u00e9\u00e9\u00e9", x]', '[\n  1,\n  2\n  3\n]', '{\n"a":\n}', '\u00e9', '["\u2603", ]', '1e', '1e+',
    '1e-', '1E5x', '-01', '-0.5e-5', '[-]', '{"\u00e9": "\u2603", "x": [true, false, null]}',
    '"\\/\\b\\f\\n\\r\\t\\"\\\\"', '[1.5, 2.50, 100.0, 1e16, 1e15, 1.0e-5]', '\t\r\n [ \t\r\n ] \t\r\n',
    '\u00a0[]', '[\u00a0]', '{"a": [1, {"b": [2, {"c": 3}]}]}', '"\x7f"', '"\x1f"', '"\n"',
    '1' * 4300, '1' * 4301, '-' + '2' * 4301, '1' * 4301 + '.0', '[' * 50 + ']' * 50,
]

JSON_ALPHABET = ['{', '}', '[', ']', '"', ':', ',', ' ', '\n', '1', '0', '-', '.', 'e', '+', 'a', '\\', 'u',
                 'n', 'N', 'I', 't', '\u00e9', '\x01', 'true', 'null', '"k"', '"v"', '1.5', 'Infinity', '\\u00e9',
                 '\\ud800', '\\udc00']


def random_json_texts(count):
    rng = random.Random(20261127)
    seeds = ['{"a": [1, 2, {"b": null}], "c": "d\\u00e9"}', '[1.5e3, -2, "x", true, false, NaN]',
             '{"key": "k", "value": "v"}']
    out = []
    for _ in range(count):
        if rng.random() < 0.5:
            s = list(rng.choice(seeds))
            for _ in range(rng.randint(1, 3)):
                op = rng.randint(0, 2)
                pos = rng.randint(0, len(s))
                if op == 0 and s:
                    del s[min(pos, len(s) - 1)]
                elif op == 1:
                    s.insert(pos, rng.choice(JSON_ALPHABET))
                elif s:
                    s[min(pos, len(s) - 1)] = rng.choice(JSON_ALPHABET)
            out.append(''.join(s))
        else:
            out.append(''.join(rng.choice(JSON_ALPHABET) for _ in range(rng.randint(0, 12))))
    return out


def record_json():
    rows = []
    for text in JSON_INPUTS + random_json_texts(400):
        try:
            value = json.loads(text)
            rows.append({'input': text, 'ok': json.dumps(value)})
        except ValueError as e:
            rows.append({'input': text, 'error': str(e)})
    return rows


# --- parameters through the CLI -------------------------------------------------------------------

OPS = {
    'create-instance-snapshot': ['--instance-name', 'a', '--instance-snapshot-name', 'b'],
    'create-domain-entry': ['--domain-name', 'example.com'],
    'open-instance-public-ports': ['--instance-name', 'a'],
    'put-instance-public-ports': ['--instance-name', 'a'],
    'create-container-service': ['--service-name', 's', '--power', 'nano', '--scale', '1'],
    'create-instances': ['--availability-zone', 'z', '--blueprint-id', 'b', '--bundle-id', 'c'],
    'put-alarm': ['--alarm-name', 'a', '--metric-name', 'CPUUtilization', '--monitored-resource-name', 'r',
                  '--comparison-operator', 'GreaterThanThreshold', '--threshold', '1',
                  '--evaluation-periods', '1'],
    'get-bucket-metric-data': ['--bucket-name', 'b', '--metric-name', 'BucketSizeBytes', '--end-time', '1',
                               '--period', '60', '--statistics', 'Sum', '--unit', 'Bytes'],
    'create-disk': ['--disk-name', 'd', '--availability-zone', 'z'],
    'create-container-service-deployment': ['--service-name', 's'],
    'update-bucket': ['--bucket-name', 'b'],
    'create-distribution': ['--distribution-name', 'd', '--bundle-id', 'b', '--origin', 'name=o',
                            '--default-cache-behavior', 'behavior=cache'],
}

F = FIXTURES
TAGS = ('create-instance-snapshot', '--tags')
CASES = [
    # shorthand, one and several words
    TAGS + (['key=a,value=b'],), TAGS + (['key=a,value=b', 'key=c'],), TAGS + (['key'],), TAGS + (['key='],),
    TAGS + ([''],), TAGS + ([],), TAGS + (['key=a,,value=b'],), TAGS + (["key='a b',value=\"c\""],),
    TAGS + (['key=[a,b]'],), TAGS + (['key=a,b,c'],), TAGS + (['key=a,b,value=c'],), TAGS + (['key=a,key=b'],),
    TAGS + (['key=a, value=b'],), TAGS + ([' key = a , value = b '],), TAGS + (['key=a\\,b,value=c'],),
    TAGS + (["key='a\\'b'"],), TAGS + (["key='a\\\\b'"],), TAGS + (["key='abc"],), TAGS + (["key='a\\'"],),
    TAGS + (['key="a\\"b"'],), TAGS + (['key={a=b}'],), TAGS + (['key={a=b,c=[d,e]}'],),
    TAGS + (['key=[a, [b, c], {d=e}]'],), TAGS + (['key=a=b'],), TAGS + (['key=a]b'],), TAGS + (['key=a}b'],),
    TAGS + (['key=a[b'],), TAGS + (['key=\u00e9\u2603,value=x'],), TAGS + (['key=\U0001F600'],),
    TAGS + (['key=a\U0001F600'],), TAGS + (['key="\U0001F600"'],), TAGS + (['key=a\nb'],),
    TAGS + (['key=a,\nkey=b'],), TAGS + (['key=a,value=b,key=c'],), TAGS + (['key=a,value=b\n,key=c'],),
    TAGS + (['key=a ,value=b   '],), TAGS + (['key=a\u00a0'],), TAGS + (['key=a,'],), TAGS + (['key=a,b,'],),
    TAGS + (['=a'],), TAGS + (['key@=a'],), TAGS + (['key @ = a'],), TAGS + (['ke y=a'],),
    TAGS + (['key=[a,b'],), TAGS + (['key={a=b'],), TAGS + (['key={a}'],), TAGS + (['key=[a,,b]'],),
    TAGS + (['key=[]'],), TAGS + (['key={}'],), TAGS + (['key="a",value'],), TAGS + (["key='',value=\"\""],),
    TAGS + (['key=a;value=b'],), TAGS + (['key=a b c'],), TAGS + (['a.b-c_d#e/f:g=1'],), TAGS + (['key=a', '{"key": "b"}'],),
    TAGS + (['key=a,value=b', 'bad'],),
    # JSON
    TAGS + (['[{"key": 1}'],), TAGS + (['[{"key": "a", "value": "b"}]'],), TAGS + (['  [{"key": "a"}]'],),
    TAGS + (['{bad'],), TAGS + (['{"key": "a"}'],), TAGS + (['{"key": "a"}', '{"key": "b"}'],),
    TAGS + (['{"key": "a"}', 'key=b'],), TAGS + (['{"key": "a"}', ''],), TAGS + (['{"key": "a"}', '{"k":'],),
    TAGS + (['[{"key": "\u00e9", "value": "\u2603"}, x]'],), TAGS + (['[{"key": "a", "key": "b"}]'],),
    TAGS + (['[{"key": NaN}]'],), TAGS + (['[{"key": 123456789012345678901234567890}]'],),
    TAGS + (['[{"key": "a"}]', '[{"key": "b"}]'],), TAGS + (['[1,]'],), TAGS + (['[{"key" "a"}]'],),
    TAGS + (['[{"key": "a\x01"}]'],), TAGS + (['["\\q"]'],), TAGS + (['[{"key": "a"}] x'],), TAGS + (['['],),
    TAGS + (['\u00a0[{"key": "a"}]'],), TAGS + (['[' * 5 + ']' * 5],), TAGS + (['[{"key": 1e400}]'],),
    # files
    TAGS + ([f'file://{F}/tags.json'],), TAGS + ([f'file://{F}/tags_crlf.json'],),
    TAGS + ([f'file://{F}/tags_short.txt'],), TAGS + ([f'file://{F}/missing.json'],),
    TAGS + (['file:///nonexistent'],), TAGS + ([f'file://{F}/adir'],), TAGS + ([f'file://{F}/bad.bin'],),
    TAGS + ([f'file://{F}/empty.txt'],), TAGS + ([f'file://{F}/bom.json'],), TAGS + ([f'file://{F}/bad.json'],),
    TAGS + (['file://'],), TAGS + (['file://$LSPARAMS_DIR/tags.json'],), TAGS + (['file://${LSPARAMS_DIR}/tags.json'],),
    TAGS + (['file://$NO_SUCH_VAR_XYZ/x'],), TAGS + (['file://~nosuchuserxyz/x'],),
    TAGS + ([f'file://{F}/tags.json', f'file://{F}/tags.json'],), TAGS + ([f'fileb://{F}/tags.json'],),
    TAGS + ([f'fileb://{F}/empty.txt'],), TAGS + ([f'key@=file://{F}/text.txt'],),
    TAGS + ([f'key@=file://{F}/missing.txt'],), TAGS + ([f'key=file://{F}/text.txt'],),
    TAGS + ([f"key@='file://{F}/unicode.txt',value@=\"file://{F}/quote.txt\""],),
    TAGS + ([f'key={{a@=file://{F}/int.txt}}'],), TAGS + (['http://127.0.0.1:9/tags'],),
    TAGS + ([f'file://{F}/unicode.txt'],), TAGS + ([f'file://{F}/entry.json'],),
    ('put-alarm', '--contact-protocols', [f'file://{F}/entry.json']),
    ('create-instance-snapshot', '--instance-name', [f'file://{F}/text.txt']),
    ('create-instance-snapshot', '--instance-name', [f'file://{F}/unicode.txt']),
    ('create-instance-snapshot', '--instance-name', [f'file://{F}/bad.bin']),
    ('create-instance-snapshot', '--instance-name', [f'fileb://{F}/bad.bin']),
    ('create-instance-snapshot', '--instance-name', [f'fileb://{F}/missing']),
    ('create-instance-snapshot', '--instance-name', ['fileb://']),
    ('create-instance-snapshot', '--instance-name', ['key=a,value=b']),
    ('create-instance-snapshot', '--instance-name', ['[1, 2]']),
    ('create-instance-snapshot', '--instance-name', ['\u00e9 \u2603']),
    # list of strings
    ('create-instances', '--instance-names', ['a', 'b', 'c']), ('create-instances', '--instance-names', ['a']),
    ('create-instances', '--instance-names', ['["a", "b"]']), ('create-instances', '--instance-names', [' ["a"] ']),
    ('create-instances', '--instance-names', ['["a"', 'b']), ('create-instances', '--instance-names', ['a,b']),
    ('create-instances', '--instance-names', ['["a"']), ('create-instances', '--instance-names', ['{"a": 1}']),
    ('create-instances', '--instance-names', ['a', '["b"]']), ('create-instances', '--instance-names', ['']),
    ('create-instances', '--instance-names', []),
    ('create-instances', '--instance-names', [f'file://{F}/chars.txt']),
    ('create-instances', '--instance-names', [f'file://{F}/empty.txt']),
    ('create-instances', '--instance-names', [f'fileb://{F}/chars.txt']),
    ('create-instances', '--instance-names', [f'file://{F}/tags.json']),
    ('put-alarm', '--contact-protocols', ['Email', 'SMS']),
    # structures and maps
    ('create-domain-entry', '--domain-entry', ['name=n,target=t,isAlias=true,type=A']),
    ('create-domain-entry', '--domain-entry', ['isAlias=FALSE']), ('create-domain-entry', '--domain-entry', ['isAlias=yes']),
    ('create-domain-entry', '--domain-entry', ['isAlias=[a]']), ('create-domain-entry', '--domain-entry', ['isAlias={a=b}']),
    ('create-domain-entry', '--domain-entry', ['options={a=b,c=d}']),
    ('create-domain-entry', '--domain-entry', ['options=x']), ('create-domain-entry', '--domain-entry', ['name=a,b']),
    ('create-domain-entry', '--domain-entry', ['{"name": "n", "isAlias": "true"}']),
    ('create-domain-entry', '--domain-entry', ['{"name": "n"'],),
    ('create-domain-entry', '--domain-entry', ['']), ('create-domain-entry', '--domain-entry', [' ']),
    ('create-domain-entry', '--domain-entry', ['unknown=1,name=x']),
    ('create-domain-entry', '--domain-entry', [f'file://{F}/entry.json']),
    ('create-domain-entry', '--domain-entry', [f'file://{F}/empty.txt']),
    ('create-domain-entry', '--domain-entry', [f'fileb://{F}/entry.json']),
    ('create-domain-entry', '--domain-entry', [f'fileb://{F}/empty.txt']),
    ('open-instance-public-ports', '--port-info', ['fromPort=80,toPort=81,protocol=tcp,cidrs=1.2.3.4/32']),
    ('open-instance-public-ports', '--port-info', ['fromPort= 80 ,toPort=+8_1']),
    ('open-instance-public-ports', '--port-info', ['fromPort=abc']),
    ('open-instance-public-ports', '--port-info', ['fromPort=1.5']),
    ('open-instance-public-ports', '--port-info', ['fromPort=[1,2]']),
    ('open-instance-public-ports', '--port-info', ['fromPort={a=b}']),
    ('open-instance-public-ports', '--port-info', ['fromPort=']),
    ('open-instance-public-ports', '--port-info', ['fromPort=\u00e9']),
    ('open-instance-public-ports', '--port-info', ['cidrs=a,b,c,protocol=tcp']),
    ('open-instance-public-ports', '--port-info', ['cidrs=[a,b],ipv6Cidrs=x']),
    ('open-instance-public-ports', '--port-info', ['{"fromPort": "80"}']),
    ('put-instance-public-ports', '--port-infos', ['fromPort=1,toPort=2', 'fromPort=3,cidrs=x']),
    ('put-instance-public-ports', '--port-infos', ['fromPort=x']),
    ('put-instance-public-ports', '--port-infos', ['{"fromPort": 1}', '{"fromPort": 2}']),
    ('create-container-service', '--public-domain-names', ['a=b,c=d']),
    ('create-container-service', '--public-domain-names', ['a=[b,c]']),
    ('create-container-service', '--public-domain-names', ['{"a": ["b"]}']),
    ('create-container-service', '--deployment',
     ['containers={web={image=nginx,ports={"80"=HTTP},command=[a,b],environment={K=V}}},'
      'publicEndpoint={containerName=web,containerPort=80,healthCheck={healthyThreshold=2,path=/}}']),
    ('create-container-service', '--deployment', ['publicEndpoint={containerPort=x}']),
    ('create-container-service-deployment', '--containers', ['web={image=a,command=b}']),
    # scalars
    ('create-disk', '--size-in-gb', ['32']), ('create-disk', '--size-in-gb', [' 32 ']),
    ('create-disk', '--size-in-gb', ['abc']), ('create-disk', '--size-in-gb', ['1.5']),
    ('create-disk', '--size-in-gb', ['']), ('create-disk', '--size-in-gb', ['1_000']),
    ('create-disk', '--size-in-gb', ['+7']), ('create-disk', '--size-in-gb', ['12345678901234567890123']),
    ('create-disk', '--size-in-gb', ["it's"]), ('create-disk', '--size-in-gb', ['a\tb\u00e9\x7f']),
    ('create-disk', '--size-in-gb', ['1' * 4301]), ('create-disk', '--size-in-gb', ['1__0']),
    ('create-disk', '--size-in-gb', [f'file://{F}/int.txt']), ('create-disk', '--size-in-gb', [f'fileb://{F}/int.txt']),
    ('create-disk', '--size-in-gb', [f'fileb://{F}/chars.txt']), ('create-disk', '--size-in-gb', [f'file://{F}/chars.txt']),
    ('create-disk', '--size-in-gb', ['\u00a012\u2003']),
    ('put-alarm', '--threshold', ['1.5']), ('put-alarm', '--threshold', ['abc']), ('put-alarm', '--threshold', ['1e3']),
    ('put-alarm', '--threshold', [' inf ']), ('put-alarm', '--threshold', ['NaN']), ('put-alarm', '--threshold', ['1_0.5']),
    ('put-alarm', '--threshold', [f'file://{F}/int.txt']), ('put-alarm', '--threshold', ['.5']),
    ('put-alarm', '--threshold', ['5.']), ('put-alarm', '--threshold', ['1e']),
    ('get-bucket-metric-data', '--start-time', ['2024-01-01T00:00:00Z']),
    ('get-bucket-metric-data', '--start-time', ['not a time']),
    ('get-bucket-metric-data', '--start-time', [f'file://{F}/text.txt']),
]


def run_cli(argv):
    from awscli.clidriver import create_clidriver
    captured = {}

    def record(call_parameters, **kwargs):
        captured['params'] = call_parameters
        return 0

    driver = create_clidriver()
    driver.session.register('calling-command', record)
    err = io.StringIO()
    out = io.StringIO()
    old = sys.stderr, sys.stdout
    sys.stderr, sys.stdout = err, out
    try:
        rc = driver.main(argv)
    except SystemExit as e:
        # argparse's usage errors exit(2) from inside main().
        rc = e.code
    finally:
        sys.stderr, sys.stdout = old
    return rc, err.getvalue(), captured.get('params')


def snake(cli_name):
    parts = cli_name.lstrip('-').split('-')
    return parts[0] + ''.join(p[:1].upper() + p[1:] for p in parts[1:])


def record_cases(cases):
    rows = []
    for op, cli_name, words in cases:
        argv = ['lightsail', op] + OPS[op] + ['--endpoint-url', ENDPOINT]
        base = [a for a in argv]
        if cli_name in base:
            # Replace the default given in OPS.
            i = base.index(cli_name)
            del base[i:i + 2]
        argv = base + [cli_name] + list(words)
        rc, stderr, params = run_cli(argv)
        row = {'op': op, 'param': cli_name, 'words': list(words)}
        if params is not None and rc == 0:
            value = params.get(snake(cli_name))
            if isinstance(value, bytes):
                row['bytes'] = list(value)
            else:
                row['ok'] = json.dumps(value)
        else:
            row['rc'] = rc
            row['stderr'] = stderr
        rows.append(row)
    return rows


def record_depth():
    """The recursion limit depends on the reference's Python call depth, so run the real CLI."""
    home = tempfile.mkdtemp()
    env = dict(os.environ, HOME=home, **SAFE_ENV)
    rows = []
    for mode, depth in [('list', 981), ('list', 982), ('struct', 981), ('struct', 982), ('members', 978),
                        ('members', 979), ('struct-array', 982)]:
        if mode == 'list':
            words = ['[' * depth + ']' * depth]
            op, cli_name = 'create-instance-snapshot', '--tags'
        elif mode == 'members':
            inner = '{"a":' + '[' * (depth - 1) + ']' * (depth - 1) + '}'
            words = [inner, inner]
            op, cli_name = 'create-instance-snapshot', '--tags'
        elif mode == 'struct':
            words = ['{"a":' + '[' * (depth - 1) + ']' * (depth - 1) + '}']
            op, cli_name = 'create-domain-entry', '--domain-entry'
        else:
            words = ['{"a":' + '{"b":' * (depth - 1) + '1' + '}' * (depth - 1) + '}']
            op, cli_name = 'create-domain-entry', '--domain-entry'
        argv = ['aws', 'lightsail', op] + OPS[op] + ['--endpoint-url', ENDPOINT, cli_name] + words
        p = subprocess.run(argv, env=env, capture_output=True, text=True)
        recursion = 'maximum recursion depth exceeded' in p.stderr
        rows.append({'op': op, 'param': cli_name, 'words': words, 'rc': p.returncode,
                     'stderr': p.stderr if recursion else None, 'recursion': recursion})
    return rows


NUMBER_INPUTS = [
    '5', ' 5 ', '\x1c5', '5\x1c', '\x855', '\xa05\u3000', '5_', '_5', '0_0', '00', '-0', '+_5', '1_2_3',
    '\u0665', '\uff15\uff10', '1\u00a02', '1_0.5', '1._5', '1_.5', '1e1_0', '.5_5', '0x10', 'infinity',
    '-iNF', '+nan', 'nan(1)', '1e', '5.', '.', '', ' ', '1 2', 'in f', '\u0661.\u0665', '1e400', '-1e-400',
    '12345678901234567890', '-0.0', '1E5', '+1.5e+3', '\t\n12\r\x0b\x0c', '1__2', '\U0001D7D8',
    '\u00b2', '\u2155', '12a', 'a\u0301', '\x00', '\u200b1', "'", '"', '\'"', '\\', '\x7f\x80\xa0\xad',
    '\u0378', '\ue000', '\U000e0001', '\u2028', '\U0001F600', '9' * 4300, '9' * 4301, '1_' * 4300 + '1',
]


def record_numbers():
    rows = []
    for text in NUMBER_INPUTS:
        row = {'input': text}
        try:
            row['int'] = str(int(text))
        except ValueError as e:
            row['int_error'] = str(e)
        try:
            row['float'] = repr(float(text))
        except ValueError as e:
            row['float_error'] = str(e)
        rows.append(row)
    return rows


SHORTHAND_ALPHABET = ['a', 'b', 'key', 'value', '=', ',', ' ', '[', ']', '{', '}', "'", '"', '\\', '@',
                      '\n', '\u00e9', '\U0001F600', ':', '.', '1', 'fromPort', 'cidrs', 'true', '\\,', '\t']
SHORTHAND_TARGETS = [
    ('create-instance-snapshot', '--tags', ['key=a,value=b', 'key=[a,b]', "key='x',value=\"y\""]),
    ('open-instance-public-ports', '--port-info', ['fromPort=1,toPort=2,cidrs=a,b', 'cidrs=[a,b],protocol=tcp']),
    ('create-domain-entry', '--domain-entry', ['name=a,isAlias=true,options={a=b}', 'options={k=[v]}']),
]


def random_shorthand_cases(count):
    rng = random.Random(1127)
    cases = []
    for _ in range(count):
        op, cli_name, seeds = rng.choice(SHORTHAND_TARGETS)
        if rng.random() < 0.6:
            s = list(rng.choice(seeds))
            for _ in range(rng.randint(1, 3)):
                pos = rng.randint(0, len(s))
                op_kind = rng.randint(0, 2)
                if op_kind == 0 and s:
                    del s[min(pos, len(s) - 1)]
                elif op_kind == 1:
                    s.insert(pos, rng.choice(SHORTHAND_ALPHABET))
                elif s:
                    s[min(pos, len(s) - 1)] = rng.choice(SHORTHAND_ALPHABET)
            text = ''.join(s)
        else:
            text = ''.join(rng.choice(SHORTHAND_ALPHABET) for _ in range(rng.randint(1, 10)))
        if text.lstrip().startswith('-'):
            continue
        cases.append((op, cli_name, [text]))
    return cases


HTTP_PORT = 47831
# path -> (status, content type or None, body); tests/params.rs serves the same.
HTTP_ROUTES = {
    '/tags.json': (200, 'application/json', b'[{"key": "h", "value": "v"}]'),
    '/short': (200, 'text/plain', b'key=\xe9'),
    '/utf8': (200, 'text/plain; charset=utf-8', 'key=\u00e9\u2603'.encode('utf-8')),
    '/plain': (200, None, b'key=x,value=y'),
    '/missing': (404, 'text/plain', b'nope'),
    '/moved': (302, 'text/plain', b''),
    '/badutf8': (200, 'application/octet-stream', b'\xff'),
    '/empty': (200, 'application/json', b''),
    '/badcont': (200, None, b'ab\xe9cd'),
    '/truncated': (200, None, b'\xe2\x82'),
    '/badthird': (200, None, b'\xe2\x82x'),
}


def serve_http():
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            status, ctype, body = HTTP_ROUTES.get(self.path, (404, None, b''))
            self.send_response(status)
            if ctype:
                self.send_header('Content-Type', ctype)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(('127.0.0.1', HTTP_PORT), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def http_cases():
    base = f'http://127.0.0.1:{HTTP_PORT}'
    cases = []
    for path in HTTP_ROUTES:
        cases.append(('create-instance-snapshot', '--tags', [base + path]))
        cases.append(('create-instance-snapshot', '--instance-name', [base + path]))
    cases.append(('create-instance-snapshot', '--tags', [f'key@={base}/plain']))
    return cases


def write_jsonl(name, rows):
    with open(os.path.join(OUT, name), 'w', encoding='utf-8') as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + '\n')


def main():
    sys.argv[0] = 'aws'  # argparse names the program after it in usage errors
    for k, v in SAFE_ENV.items():
        os.environ[k] = v
    os.environ['HOME'] = tempfile.mkdtemp()
    os.makedirs(OUT, exist_ok=True)
    make_fixtures()
    write_jsonl('json_decode.jsonl', record_json())
    write_jsonl('cases.jsonl', record_cases(CASES))
    write_jsonl('shorthand_fuzz.jsonl', record_cases(random_shorthand_cases(400)))
    write_jsonl('numbers.jsonl', record_numbers())
    server = serve_http()
    write_jsonl('http.jsonl', record_cases(http_cases()))
    server.shutdown()
    write_jsonl('depth.jsonl', record_depth())


if __name__ == '__main__':
    main()
