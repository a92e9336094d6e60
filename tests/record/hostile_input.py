#!/usr/bin/env python3
"""Records what the reference CLI does with hostile input, for tests/hostile_input.rs.

Writes tests/data/hostile/cases.jsonl: one line per case with the argv (after `aws`), the fixture
files it reads, and the reference's exit code, stdout and stderr -- or `"reference": "hangs"` when the
reference did not finish within the timeout (a FIFO without a writer blocks its `open`).

Run it network-isolated, from the repository root:
  unshare -n sh -c 'ip link set lo up; python3 tests/record/hostile_input.py'

Encodings, shared with the Rust test:
  an argv element is a string, {"parts": [[text, count], ...]} (a long string, run-length encoded
  by `compact`), or {"hex": "..."} for bytes that are not UTF-8;
  "{DIR}" in an argument or an output stands for the fixture directory;
  a fixture is {"parts": [[text, count], ...]} (the concatenation of text * count), {"hex": "..."},
  {"dir": true} or {"fifo": true};
  stdout/stderr are strings when they decode as UTF-8, else {"hex": "..."}; outputs longer than
  8 KiB are kept as {"len": bytes, "head": ..., "tail": ...} (4 KiB of each end, as above).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'hostile', 'cases.jsonl')
TIMEOUT = 20

ENV = {
    'PATH': os.environ['PATH'],
    'AWS_EC2_METADATA_DISABLED': 'true',
    'AWS_ACCESS_KEY_ID': 'AKIDEXAMPLE',
    'AWS_SECRET_ACCESS_KEY': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'AWS_DEFAULT_REGION': 'us-west-2',
    'LC_ALL': 'C.UTF-8',
}

BASE = ['lightsail', 'create-instance-snapshot', '--endpoint-url', 'http://127.0.0.1:9']
NAMES = ['--instance-name', 'a', '--instance-snapshot-name', 'b']


def nest(opens, closes, n, inner=''):
    return opens * n + inner + closes * n


def shorthand_cases():
    """The shorthand parser's recursion limit: just below and at it, for each kind of innermost item."""
    forms = {
        'list_empty': lambda n: 'key=' + nest('[', ']', n),
        'list_scalar': lambda n: 'key=' + nest('[', ']', n, 'x'),
        'list_quoted': lambda n: 'key=' + nest('[', ']', n, '"x"'),
        'list_single_quoted': lambda n: 'key=' + nest('[', ']', n, "'x'"),
        'hash_scalar': lambda n: 'key=' + nest('{a=', '}', n, 'x'),
        'hash_empty': lambda n: 'key=' + nest('{a=', '}', n - 1, '{}'),
        'mixed': lambda n: 'key=' + ''.join('[' if i % 2 == 0 else '{a=' for i in range(n)) + 'x'
        + ''.join(']' if i % 2 == 0 else '}' for i in reversed(range(n))),
        'unclosed': lambda n: 'key=' + '[' * n,
    }
    for name, form in forms.items():
        for n in (300, 485, 486, 487, 488, 489, 5000):
            yield {'name': f'shorthand_{name}_{n}', 'args': BASE + NAMES + ['--tags', form(n)]}
            if n in (485, 486, 487, 488):
                yield {'name': f'shorthand_file_{name}_{n}', 'args': BASE + NAMES + ['--tags', 'file://{DIR}/sh.txt'],
                       'fixtures': {'sh.txt': {'parts': [[form(n), 1]]}}}
    yield {'name': 'shorthand_second_word_deep', 'args': BASE + NAMES + ['--tags', 'key=x', form(5000)]}
    yield {'name': 'shorthand_file_million_lists', 'args': BASE + NAMES + ['--tags', 'file://{DIR}/sh.txt'],
           'fixtures': {'sh.txt': {'parts': [['key=', 1], ['[', 1000000], [']', 1000000]]}}}
    yield {'name': 'shorthand_file_million_hashes', 'args': BASE + NAMES + ['--tags', 'file://{DIR}/sh.txt'],
           'fixtures': {'sh.txt': {'parts': [['key=', 1], ['{a=', 1000000], ['}', 1000000]]}}}


def json_cases():
    """Deep JSON in a list parameter and in --cli-input-json, inline (argv words are capped at 128 KiB)
    and from files (a million levels)."""
    yield {'name': 'json_tags_inline_60000', 'args': BASE + NAMES + ['--tags', nest('[', ']', 60000)]}
    yield {'name': 'json_tags_inline_objects', 'args': BASE + NAMES + ['--tags', '[' + nest('{"a":', '}', 20000, '1') + ']']}
    yield {'name': 'json_tags_file_million', 'args': BASE + NAMES + ['--tags', 'file://{DIR}/t.json'],
           'fixtures': {'t.json': {'parts': [['[', 1000000], [']', 1000000]]}}}
    yield {'name': 'cli_input_json_inline_deep', 'args': BASE + ['--cli-input-json', '{"tags":' + nest('[', ']', 60000) + '}']}
    yield {'name': 'cli_input_json_inline_deep_objects', 'args': BASE + ['--cli-input-json', nest('{"a":', '}', 20000, '1')]}
    yield {'name': 'cli_input_json_file_million', 'args': BASE + ['--cli-input-json', 'file://{DIR}/c.json'],
           'fixtures': {'c.json': {'parts': [['{"tags":', 1], ['[', 1000000], [']', 1000000], ['}', 1]]}}}
    for n in (978, 979, 980, 981, 982):
        yield {'name': f'cli_input_json_depth_{n}', 'args': BASE + ['--cli-input-json', '{"tags":' + nest('[', ']', n - 1) + '}']}
    yield {'name': 'cli_input_json_10mb_scalar', 'args': BASE + ['--cli-input-json', 'file://{DIR}/big.json'],
           'fixtures': {'big.json': {'parts': [[' ', 10 * 1024 * 1024], ['1', 1]]}}}
    yield {'name': 'cli_input_json_10mb_string', 'args': BASE + ['--cli-input-json', 'file://{DIR}/big.json'],
           'fixtures': {'big.json': {'parts': [['{"instanceName": "a", "instanceSnapshotName": "b", "tags": [{"key": 1, "value": "', 1],
                                               ['x', 10 * 1024 * 1024], ['"}]}', 1]]}}}
    yield {'name': 'tags_10mb_json_file', 'args': BASE + NAMES + ['--tags', 'file://{DIR}/tags.json'],
           'fixtures': {'tags.json': {'parts': [['[', 1], ['{"key": "k", "value": "v"}, ', 350000], ['{"key": 7}]', 1]]}}}


def byte_cases():
    """NUL bytes (possible only inside files: argv strings end at NUL), non-UTF-8 arguments and files."""
    yield {'name': 'nul_in_shorthand_file', 'args': BASE + NAMES + ['--tags', 'file://{DIR}/n.txt'],
           'fixtures': {'n.txt': {'hex': b'key=a\x00b,value=\x00'.hex()}}}
    yield {'name': 'nul_in_json_file', 'args': BASE + ['--cli-input-json', 'file://{DIR}/n.json'],
           'fixtures': {'n.json': {'hex': b'{"instanceName": "a\x00"}'.hex()}}}
    yield {'name': 'nul_escaped_in_json', 'args': BASE + NAMES + ['--tags', '[{"key": "a\\u0000", "value": 1}]']}
    yield {'name': 'nul_in_name_file', 'args': BASE + ['--instance-name', 'file://{DIR}/n.txt', '--instance-snapshot-name', 'b',
                                                       '--tags', 'key=1', '--generate-cli-skeleton'],
           'fixtures': {'n.txt': {'hex': b'a\x00b'.hex()}}}
    yield {'name': 'non_utf8_tags_file', 'args': BASE + NAMES + ['--tags', 'file://{DIR}/b.txt'],
           'fixtures': {'b.txt': {'hex': b'key=\xff\xfe'.hex()}}}
    yield {'name': 'non_utf8_cli_input_json_file', 'args': BASE + ['--cli-input-json', 'file://{DIR}/b.json'],
           'fixtures': {'b.json': {'hex': b'{"instanceName": "\xff"}'.hex()}}}
    yield {'name': 'non_utf8_tags_fileb', 'args': BASE + NAMES + ['--tags', 'fileb://{DIR}/b.txt'],
           'fixtures': {'b.txt': {'hex': b'key=\xff\xfe'.hex()}}}
    for label, raw in [('ff', b'\xff'), ('surrogate', b'\xed\xa0\x80'), ('overlong', b'\xc0\xaf'), ('truncated', b'a\xe2\x82')]:
        yield {'name': f'non_utf8_tags_arg_{label}', 'args': BASE + NAMES + ['--tags', {'hex': raw.hex()}]}
        yield {'name': f'non_utf8_option_name_{label}', 'args': BASE + NAMES + [{'hex': (b'--' + raw).hex()}]}
        yield {'name': f'non_utf8_cli_input_json_{label}', 'args': BASE + ['--cli-input-json', {'hex': raw.hex()}]}
        yield {'name': f'non_utf8_query_{label}', 'args': BASE + NAMES + ['--query', {'hex': raw.hex()}]}
        yield {'name': f'non_utf8_operation_{label}', 'args': ['lightsail', {'hex': raw.hex()}]}
        yield {'name': f'non_utf8_output_{label}', 'args': BASE + NAMES + ['--output', {'hex': raw.hex()}]}


def size_cases():
    """The largest single argv word Linux passes (MAX_ARG_STRLEN is 128 KiB), and many large words."""
    big = 'x' * (128 * 1024 - 1)
    yield {'name': 'arg_128k_tags', 'args': BASE + NAMES + ['--tags', big]}
    yield {'name': 'arg_128k_unknown', 'args': BASE + NAMES + [big]}
    yield {'name': 'arg_128k_query', 'args': BASE + NAMES + ['--query', '[' * 60000]}
    yield {'name': 'args_many_128k', 'args': BASE + NAMES + ['--tags'] + ['key=' + 'x' * 100000] * 12 + ['key=[x]']}
    yield {'name': 'query_deep_not', 'args': BASE + NAMES + ['--query', '!' * 100000 + 'a']}
    yield {'name': 'query_deep_parens', 'args': BASE + NAMES + ['--query', nest('(', ')', 50000, 'a')]}


def file_cases():
    """file:// at things that are not regular files."""
    for prefix in ('file://', 'fileb://'):
        p = prefix.rstrip(':/')
        yield {'name': f'{p}_directory_tags', 'args': BASE + NAMES + ['--tags', prefix + '{DIR}/adir'], 'fixtures': {'adir': {'dir': True}}}
        yield {'name': f'{p}_fifo_tags', 'args': BASE + NAMES + ['--tags', prefix + '{DIR}/fifo'], 'fixtures': {'fifo': {'fifo': True}}}
    yield {'name': 'file_directory_cli_input_json', 'args': BASE + ['--cli-input-json', 'file://{DIR}/adir'], 'fixtures': {'adir': {'dir': True}}}
    yield {'name': 'file_fifo_cli_input_json', 'args': BASE + ['--cli-input-json', 'file://{DIR}/fifo'], 'fixtures': {'fifo': {'fifo': True}}}
    yield {'name': 'file_dev_null_tags', 'args': BASE + NAMES + ['--tags', 'file:///dev/null']}
    yield {'name': 'file_missing', 'args': BASE + NAMES + ['--tags', 'file://{DIR}/missing']}
    yield {'name': 'file_empty_path', 'args': BASE + NAMES + ['--tags', 'file://']}


def argv_cases():
    """Option names, `--` and `=` in odd places."""
    yield {'name': 'double_dash_before_op', 'args': ['lightsail', '--', 'create-instance-snapshot']}
    yield {'name': 'double_dash_in_op_args', 'args': BASE + NAMES + ['--', '--tags', 'key=a']}
    yield {'name': 'equals_empty_tags', 'args': BASE + NAMES + ['--tags=']}
    yield {'name': 'equals_only', 'args': BASE + NAMES + ['=']}
    yield {'name': 'option_equals_option', 'args': BASE + ['--instance-name=--instance-snapshot-name', '--instance-snapshot-name', 'b', '--tags', 'k']}
    yield {'name': 'unicode_option', 'args': BASE + NAMES + ['--t\u00e4gs', 'key=\U0001F600']}
    yield {'name': 'unicode_shorthand_error', 'args': BASE + NAMES + ['--tags', '\U0001F600=\u2603,']}
    yield {'name': 'lone_dash_values', 'args': BASE + ['--instance-name', '-', '--instance-snapshot-name', '--', '--tags', 'k']}


def materialize(fixtures, directory):
    for name, spec in (fixtures or {}).items():
        path = os.path.join(directory, name)
        if spec.get('dir'):
            os.makedirs(path, exist_ok=True)
        elif spec.get('fifo'):
            os.mkfifo(path)
        elif 'hex' in spec:
            with open(path, 'wb') as f:
                f.write(bytes.fromhex(spec['hex']))
        else:
            with open(path, 'wb') as f:
                for text, count in spec['parts']:
                    f.write(text.encode('utf-8') * count)


def compact(arg):
    """Run-length encodes a long string as parts: repeats of a chunk of up to 6 characters."""
    if not isinstance(arg, str) or len(arg) < 2000:
        return arg
    parts, i = [], 0
    while i < len(arg):
        best_len, best_count = 1, 1
        for size in range(1, 7):
            chunk = arg[i:i + size]
            count = 1
            while arg.startswith(chunk, i + count * size):
                count += 1
            if count >= 3 and count * size > best_len * best_count:
                best_len, best_count = size, count
        chunk = arg[i:i + best_len]
        if best_count == 1 and parts and parts[-1][1] == 1:
            parts[-1][0] += chunk
        else:
            parts.append([chunk, best_count])
        i += best_len * best_count
    assert ''.join(text * count for text, count in parts) == arg
    return {'parts': parts}


def arg_bytes(arg, directory):
    if isinstance(arg, dict) and 'hex' in arg:
        return bytes.fromhex(arg['hex'])
    if isinstance(arg, dict):
        arg = ''.join(text * count for text, count in arg['parts'])
    return arg.replace('{DIR}', directory).encode('utf-8')


def encode_bytes(raw):
    try:
        return raw.decode('utf-8')
    except UnicodeDecodeError:
        return {'hex': raw.hex()}


def encode_output(raw, directory):
    raw = raw.replace(directory.encode(), b'{DIR}')
    if len(raw) > 8192:
        return {'len': len(raw), 'head': encode_bytes(raw[:4096]), 'tail': encode_bytes(raw[-4096:])}
    return encode_bytes(raw)


def record(case):
    directory = tempfile.mkdtemp(prefix='hostile-')
    try:
        materialize(case.get('fixtures'), directory)
        env = dict(ENV, HOME=directory)
        argv = [b'aws'] + [arg_bytes(a, directory) for a in case['args']]
        try:
            p = subprocess.run(argv, env=env, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return dict(case, reference='hangs')
        return dict(case, exit=p.returncode, stdout=encode_output(p.stdout, directory),
                    stderr=encode_output(p.stderr, directory))
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def main():
    cases = [*shorthand_cases(), *json_cases(), *byte_cases(), *size_cases(), *file_cases(), *argv_cases()]
    only = set(sys.argv[1:])  # re-record just these cases, keeping the others' recordings
    kept = {}
    if only and os.path.exists(OUT):
        with open(OUT) as f:
            kept = {c['name']: c for c in map(json.loads, f)}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    results = []
    for case in cases:
        if only and case['name'] not in only and case['name'] in kept:
            results.append(kept[case['name']])
            continue
        case = dict(case, args=[compact(a) for a in case['args']])
        result = record(case)
        print(case['name'], result.get('exit', result.get('reference')), file=sys.stderr, flush=True)
        results.append(result)
    with open(OUT, 'w') as out:
        for result in results:
            out.write(json.dumps(result, ensure_ascii=False) + '\n')


if __name__ == '__main__':
    main()
