"""Records what the reference prints for response bodies and --query results, in every output format.

Two kinds of case:
* "response": a raw HTTP body for an operation. It goes through the reference's own code path:
  botocore's JSONParser with the CLI's scalar parsers (awscli/customizations/scalarparse.py: blobs
  and, for cli_timestamp_format=wire, timestamps kept as sent; iso8601 -> iso_format), on the
  operation's output shape from botocore's Lightsail model, then awscli's formatter
  (awscli.formatter.get_formatter) exactly as CLIOperationCaller._display_response calls it.
* "query": a value as a --query would produce it, fed to the formatter through a stand-in for the
  compiled expression (the formatter removes ResponseMetadata from the response, then calls
  args.query.search(response), and prints what that returns).

For each case and each of json, text, table (--color off) and table-color (--color on) the exact
stdout bytes and stderr (the CLI prints an exception as "\\n{exception}\\n" and exits 255) are written
to tests/data/output/<case>/<format>.stdout|.stderr, and the case list to tests/data/output/cases.json.

Paginated calls are recorded from the real CLI itself (tests/data/output_paginated/), since what it
prints then depends on botocore's page iterator: several pages served by a loopback HTTP server in a
private network namespace, each format, with and without --query.

With --check-cli, instead runs the real `aws` CLI (inside a private network namespace, against a
loopback HTTP server in this script) for the response cases that name a CLI command, and compares its
stdout, stderr and exit code with the recorded files: this proves the direct-call recordings are
what the CLI prints.

Run from the repository root:
    python3 tests/record/output_corpus.py
    python3 tests/record/output_corpus.py --check-cli
"""
import copy
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

os.environ['TZ'] = 'UTC'
time.tzset()

import botocore.parsers  # noqa: E402
import botocore.session  # noqa: E402
import colorama  # noqa: E402
from awscli.customizations.scalarparse import identity, iso_format  # noqa: E402
from awscli.compat import get_stderr_text_writer  # noqa: E402
from awscli.formatter import get_formatter  # noqa: E402
from awscli.utils import write_exception  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(ROOT, 'tests', 'data', 'output')
SEED = '/work/shared/seed/000_42e44c925bc5f0fe.txt'
FORMATS = ['json', 'text', 'table', 'table-color', 'table-w120']
# 'table-w120': a table on a 120-column terminal (MultiTable reads the width with TIOCGWINSZ; when
# stdout is not a terminal it assumes 80).
CLI_FORMATS = FORMATS[:4]

# ---------------------------------------------------------------------------------------------------
# Inputs


def seed_body():
    """The Output example of the seed man page, verbatim."""
    with open(SEED) as f:
        text = f.read()
    start = text.index('Output:')
    start = text.index('{', start)
    end = text.index('\nOUTPUT\n', start)
    return text[start:end].strip() + '\n'


def operation(i, **over):
    op = {
        'id': '%08d-9dd0-41e7-89c0-2cb88c19786f' % i,
        'resourceName': 'WordPress-%d' % i,
        'resourceType': 'Instance' if i % 2 else 'InstanceSnapshot',
        'createdAt': 1569866438.48 + i,
        'location': {'availabilityZone': 'us-west-2a', 'regionName': 'us-west-2'},
        'isTerminal': i % 3 == 0,
        'operationDetails': 'WordPress-Snapshot-%d' % i,
        'operationType': 'CreateInstanceSnapshot',
        'status': ['Started', 'Succeeded', 'Failed'][i % 3],
        'statusChangedAt': 1569866438.48 + i,
    }
    op.update(over)
    return op


def snapshot(name, **over):
    snap = {
        'name': name,
        'arn': 'arn:aws:lightsail:us-west-2:123456789101:InstanceSnapshot/' + name,
        'supportCode': '123456789101/ami-0f1e2d3c',
        'createdAt': 1569866438.48,
        'location': {'availabilityZone': 'all', 'regionName': 'us-west-2'},
        'resourceType': 'InstanceSnapshot',
        'tags': [{'key': 'team', 'value': 'web'}],
        'state': 'available',
        'fromAttachedDisks': [],
        'fromInstanceName': 'WordPress-1',
        'fromInstanceArn': 'arn:aws:lightsail:us-west-2:123456789101:Instance/WordPress-1',
        'fromBlueprintId': 'wordpress',
        'fromBundleId': 'micro_3_0',
        'isFromAutoSnapshot': False,
        'sizeInGb': 40,
    }
    snap.update(over)
    return snap


UNICODE_NAMES = [
    'Caf\u00e9-cr\u00e8me-\u00c5ngstr\u00f6m',
    '\u6f22\u5b57\u30b9\u30ca\u30c3\u30d7\u30b7\u30e7\u30c3\u30c8',
    'emoji-\U0001f600\U0001f680-snap',
    'tab\there "quotes" \'single\' back\\slash',
    'ctrl-\x01\x1f\x7f-bell\x07-nl\nend',
    '\u00b1\u2026\u03a9 ambiguous \u2460\u2461',
    'combining-e\u0301-zero\u200bwidth',
    '\uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 \uff01',
    '\ud55c\uad6d\uc5b4 \u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u05e2\u05d1\u05e8\u05d9\u05ea',
    'nbsp\u00a0ideographic\u3000space',
]

NUMBERS_BODY = (
    '{"instanceSnapshots": ['
    '{"name": "n1", "createdAt": 1.56986643848E9, "sizeInGb": 12345678901234567890,'
    ' "fromAttachedDisks": [{"name": "d1", "sizeInGb": -0.0, "iops": 1e-7, "gbInUse": 1569866438,'
    ' "createdAt": 1569866438, "isSystemDisk": true, "isAttached": false}]},'
    '{"name": "n2", "createdAt": 1E+2, "sizeInGb": 1.0, "progress": 100,'
    ' "fromAttachedDisks": [{"name": "d2", "sizeInGb": -12345678901234567890123, "iops": 1.5e300,'
    ' "gbInUse": 0, "createdAt": 0.1, "isSystemDisk": false}]},'
    '{"name": "n3", "createdAt": -1569866438.125, "sizeInGb": 0.30000000000000004,'
    ' "fromAttachedDisks": [{"name": "d3", "sizeInGb": 1e16, "iops": 123456789012345678.0,'
    ' "gbInUse": -5, "createdAt": 1e-5, "isSystemDisk": null}]}'
    ']}'
)

ODD_BODY = json.dumps({
    'instanceSnapshots': [
        {'name': 'with-unknowns', 'bogus': 1, 'arn': None, 'tags': [], 'state': None,
         'location': {'regionName': 'us-west-2', 'unknown': {'deep': True}},
         'fromAttachedDisks': [None, {'name': 'disk', 'addOns': [], 'tags': None}], 'extra': [1, 2]},
        {'name': 'wrong-scalar-types', 'sizeInGb': '40', 'isFromAutoSnapshot': 'yes',
         'createdAt': 'not-a-date', 'progress': 7, 'state': True},
        {},
        {'name': 'minimal'},
        {'name': 'list-as-string', 'tags': []},
    ],
    'nextPageToken': 'token==',
    'unknownTopLevel': {'a': 1},
})

CONTAINER_BODY = json.dumps({
    'deployments': [{
        'version': 3,
        'state': 'ACTIVE',
        'containers': {
            'web': {'image': 'nginx:latest', 'command': ['nginx', '-g', 'daemon off;'],
                    'environment': {'B_VAR': 'two', 'A_VAR': 'one'}, 'ports': {'80': 'HTTP', '443': 'HTTPS'}},
            'sidecar': {'image': 'busybox', 'environment': {}, 'unknown': 1},
        },
        'publicEndpoint': {'containerName': 'web', 'containerPort': 80,
                           'healthCheck': {'healthyThreshold': 2, 'path': '/', 'successCodes': '200-499'}},
        'createdAt': 1569866438.48,
    }],
})


def response_cases():
    seed = seed_body()
    wire_seed = json.dumps(json.loads(seed), separators=(',', ':')).replace('1569866438.48', '1.56986643848E9')
    cases = [
        ('seed', 'CreateInstanceSnapshot', seed),
        ('seed_wire_spelling', 'CreateInstanceSnapshot', wire_seed),
        ('unicode', 'GetInstanceSnapshots', json.dumps({
            'instanceSnapshots': [snapshot(n, tags=[{'key': n, 'value': n[::-1]}], progress=n) for n in UNICODE_NAMES],
        }, ensure_ascii=False)),
        ('unicode_escaped_on_wire', 'GetInstanceSnapshots', json.dumps({
            'instanceSnapshots': [snapshot(n) for n in UNICODE_NAMES[:4]]})),
        ('numbers', 'GetInstanceSnapshots', NUMBERS_BODY),
        ('unknown_keys_nulls_missing', 'GetInstanceSnapshots', ODD_BODY),
        ('nested_disks', 'GetInstanceSnapshots', json.dumps({'instanceSnapshots': [
            snapshot('with-disks', fromAttachedDisks=[
                {'name': 'disk-%d' % i, 'sizeInGb': 8 * i, 'isSystemDisk': i == 0, 'path': '/dev/xvd' + 'abc'[i],
                 'addOns': [{'name': 'AutoSnapshot', 'status': 'Enabled', 'snapshotTimeOfDay': '06:00'}] if i else [],
                 'tags': [{'key': 'k%d' % i}], 'location': {'regionName': 'us-west-2'}}
                for i in range(3)]),
            snapshot('second', tags=[]),
        ], 'nextPageToken': 'NEXT'})),
        ('operations_25', 'GetOperations', json.dumps({'operations': [operation(i) for i in range(25)]})),
        ('operations_error_fields', 'GetOperations', json.dumps({'operations': [
            operation(1, errorCode='InternalError', errorDetails='It broke: "badly"\tand\\more'),
            operation(2)]})),
        ('empty_object', 'CreateInstanceSnapshot', '{}'),
        ('empty_body', 'CreateInstanceSnapshot', ''),
        ('empty_operations', 'CreateInstanceSnapshot', '{"operations": []}'),
        ('null_operations', 'CreateInstanceSnapshot', '{"operations": null}'),
        ('unknown_only', 'CreateInstanceSnapshot', '{"foo": 1, "bar": [1, 2]}'),
        ('not_json', 'CreateInstanceSnapshot', '<html>oops</html>'),
        ('duplicate_keys', 'CreateInstanceSnapshot',
         '{"operations": [{"id": "first", "status": "Started", "id": "second"}], "operations2": 1}'),
        ('null_elements', 'CreateInstanceSnapshot', '{"operations": [null, {"id": "x", "location": null}, null]}'),
        ('list_as_string', 'CreateInstanceSnapshot', '{"operations": "abc"}'),
        ('list_as_number', 'CreateInstanceSnapshot', '{"operations": 5}'),
        ('list_as_object', 'CreateInstanceSnapshot', '{"operations": {"a": 1}}'),
        ('empty_string_list', 'CreateInstanceSnapshot', '{"operations": ""}'),
        ('struct_as_list', 'CreateInstanceSnapshot', '{"operations": [{"id": "x", "location": [1]}]}'),
        ('struct_as_number', 'CreateInstanceSnapshot', '{"operations": [1]}'),
        ('body_is_list', 'CreateInstanceSnapshot', '[1, 2]'),
        ('body_is_string', 'CreateInstanceSnapshot', '"text"'),
        ('body_is_null', 'CreateInstanceSnapshot', 'null'),
        ('tag_list_as_string', 'GetInstanceSnapshots', '{"instanceSnapshots": [{"name": "a", "tags": "xy"}]}'),
        ('maps', 'GetContainerServiceDeployments', CONTAINER_BODY),
        ('map_as_list', 'GetContainerServiceDeployments', '{"deployments": [{"containers": [1, 2]}]}'),
        ('map_with_null_value', 'GetContainerServiceDeployments',
         '{"deployments": [{"containers": {"a": null, "b": {"image": "x", "environment": {"K": null}}}}]}'),
    ]
    out = [dict(name=n, kind='response', operation=op, body=b, timestamp_format='wire') for n, op, b in cases]
    for name, op, body in cases:
        if name in ('seed', 'seed_wire_spelling', 'numbers', 'unknown_keys_nulls_missing', 'nested_disks',
                    'operations_25', 'maps'):
            out.append(dict(name=name + '_iso8601', kind='response', operation=op, body=body,
                            timestamp_format='iso8601'))
    out.append(dict(name='iso8601_strings', kind='response', operation='GetOperations', timestamp_format='iso8601',
                    body=json.dumps({'operations': [
                        operation(1, createdAt='2019-09-30T18:00:38.480Z', statusChangedAt='2019-09-30T18:00:38'),
                        operation(2, createdAt='1569866438', statusChangedAt=True)]})))
    out.append(dict(name='iso8601_bad_string', kind='response', operation='GetOperations', timestamp_format='iso8601',
                    body=json.dumps({'operations': [operation(1, createdAt='yesterday')]})))
    out.append(dict(name='iso8601_out_of_range', kind='response', operation='GetOperations',
                    timestamp_format='iso8601', body='{"operations": [{"createdAt": 1e12}]}'))
    return out


WIDE_ROW = {'alpha': 'a' * 20, 'bravo': 'b' * 20, 'charlie': 'c' * 20, 'delta': 'd' * 20}

QUERY_VALUES = [
    ('q_null', 'null'),
    ('q_true', 'true'),
    ('q_false', 'false'),
    ('q_zero', '0'),
    ('q_float', '1569866438.48'),
    ('q_exponent', '1e-7'),
    ('q_bigint', '12345678901234567890'),
    ('q_negative_zero', '-0.0'),
    ('q_string', '"WordPress-Snapshot-1"'),
    ('q_string_cjk', '"\u6f22\u5b57 and \u00e9"'),
    ('q_string_escapes', '"tab\\there\\nnewline \\"q\\" \\\\ \\u0001"'),
    ('q_empty_string', '""'),
    ('q_empty_list', '[]'),
    ('q_empty_object', '{}'),
    ('q_list_of_strings', '["WordPress-1", "WordPress-Snapshot-1", "\u00e9\u6f22"]'),
    ('q_list_of_mixed_scalars', '[1, null, true, false, 1.5, "x", ""]'),
    ('q_list_of_lists', '[["a", 1], ["b", 2], ["c", null]]'),
    ('q_list_of_uneven_lists', '[["a", 1], ["b"]]'),
    ('q_list_scalars_and_lists', '["top", ["a", "b"], "mid", [["deep"]], []]'),
    ('q_object_one_scalar', '{"status": "Started"}'),
    ('q_object_scalars', '{"b": 2, "a": "one", "c": null, "d": true}'),
    ('q_object_nested', '{"id": "x", "loc": {"az": "all", "region": "us-west-2"}, "tags": ["t1", "t2"], '
                        '"list": [{"k": 1}, {"k": 2, "extra": "e"}], "empty": [], "emptyobj": {}}'),
    ('q_list_of_objects_uneven', '[{"a": 1, "b": "x"}, {"b": "y", "c": true}, {"d": {"e": 1}}]'),
    ('q_list_of_objects_mixed_types', '[{"a": 1}, {"a": {"b": 2}}, {"a": [1, "x"]}]'),
    ('q_list_objects_then_string', '[{"a": 1}, "x"]'),
    ('q_list_objects_then_number', '[{"a": 1}, 5]'),
    ('q_list_objects_then_empty_list', '[{"a": 1}, []]'),
    ('q_list_objects_then_list', '[{"a": 1}, ["x"]]'),
    ('q_list_string_then_object', '["x", {"a": 1, "b": 2}]'),
    ('q_list_string_then_object_one_key', '["x", {"a": 1}]'),
    ('q_list_of_empty_lists', '[[], []]'),
    ('q_list_lists_of_objects', '[[{"a": 1}, {"a": 2, "n": {"x": 1}}], [{"b": 3}]]'),
    ('q_nested_lists_of_objects_with_more', '[{"name": "a", "sub": [{"x": 1}]}, {"name": "b", "sub": [{"x": 2}]}]'),
    ('q_wide_row', json.dumps(WIDE_ROW)),
    ('q_wide_list', json.dumps([WIDE_ROW, WIDE_ROW])),
    ('q_wide_nested', json.dumps({'id': 'x', 'inner': WIDE_ROW, 'list': [WIDE_ROW]})),
    ('q_long_title_key', json.dumps({'k' * 90: 'v'})),
    ('q_wide_cjk', json.dumps({'\u540d\u524d': '\u6f22' * 30, 'b': '\u00e9' * 20})),
    ('q_empty_keys', '{"": "blank", "x": {"": 1}}'),
    ('q_uppercase_identifiers', '{"stra\u00dfe": ["x"], "sub": {"\u00e9t\u00e9": [1, 2]}}'),
    ('q_falsy_values', '{"a": 0, "b": false, "c": "", "d": null, "e": [0, false, ""], "f": {"g": 0}}'),
    ('q_list_of_objects_with_falsy_nested', '[{"a": 1, "n": {}}, {"a": 2, "n": []}, {"a": 3, "n": {"z": 0}}]'),
    ('q_number_keys_sorting', '{"b10": 1, "b9": 2, "B": 3, "a": 4, "_": 5, "\u00e9": 6, "Z": 7}'),
    ('q_seed_projection', '[["4c3db559-9dd0-41e7-89c0-2cb88c19786f", "Started", 1569866438.48], '
                          '["c04fdc45-2981-488c-88b5-d6d2fd759a6a", "Started", 1569866438.48]]'),
    ('q_seed_multiselect_hash', '[{"Id": "4c3db559", "Status": "Started", "At": 1569866438.48}, '
                                '{"Id": "c04fdc45", "Status": "Started", "At": 1569866438.48}]'),
    ('q_object_list_of_objects_no_scalars', '[{"n": {"x": 1}}, {"n": {"x": 2}}]'),
    ('q_objects_then_empty_string', '[{"a": 1}, ""]'),
    ('q_objects_then_index_list', '[{"n": {}}, [0]]'),
    ('q_objects_then_empty_list_then_string', '[{"a": 1}, [], "xyz"]'),
    ('q_objects_then_list_of_string', '[{"a": 1}, [1.5]]'),
    ('q_objects_then_index_out_of_range', '[{"a": 1}, [5]]'),
    ('q_objects_then_null', '[{"a": 1}, null]'),
    ('q_objects_then_true', '[{"a": 1}, true]'),
    ('q_objects_then_float', '[{"a": 1}, 1.5]'),
    ('q_empty_object_first', '[{}, {"a": 1}]'),
    ('q_list_of_list_with_objects_then_string', '[[{"a": 1}], "x"]'),
    ('q_list_with_string_and_object', '[["x", {"a": 1}]]'),
    ('q_scalar_list_then_object', '[1, [2, 3], {"a": 1}]'),
    ('q_list_of_objects_lists_then_scalar_rows', '[[{"a": 1, "b": 2}], ["x", "y"], ["z"]]'),
    ('q_zero_float', '0.0'),
    ('q_nan_like_big_float', '1.5e300'),
    ('q_deep_nesting', '{"a": {"b": {"c": {"d": {"e": "deep", "f": [1, 2]}}}}}'),
]


def query_cases():
    return [dict(name=n, kind='query', operation='CreateInstanceSnapshot', value=v) for n, v in QUERY_VALUES]


# ---------------------------------------------------------------------------------------------------
# The reference's code path

_SESSION = botocore.session.get_session()
_MODEL = _SESSION.get_service_model('lightsail')


class Args:
    """The parsed globals the formatter reads: query and color."""

    def __init__(self, query, color):
        self.query = query
        self.color = color


class FixedQuery:
    """Stands in for a compiled --query: whatever was searched, the result is this value."""

    def __init__(self, value):
        self.value = value

    def search(self, data):
        return copy.deepcopy(self.value)


def parse_response(case):
    op = _MODEL.operation_model(case['operation'])
    ts = identity if case['timestamp_format'] == 'wire' else iso_format
    parser = botocore.parsers.JSONParser(timestamp_parser=ts, blob_parser=identity)
    response = {
        'body': case['body'].encode('utf-8'),
        'headers': {'x-amzn-requestid': '2b5e4cd0-0000-4000-8000-000000000000',
                    'content-type': 'application/x-amz-json-1.1'},
        'status_code': 200,
    }
    return parser.parse(response, op.output_shape)


def run_formatter(fmt, command_name, response, query):
    """The stdout and stderr of formatter(command_name, response), as the CLI would write them."""
    color = 'on' if fmt == 'table-color' else 'off'
    real_stdout, real_stderr = sys.stdout, sys.stderr
    captured, captured_err = io.StringIO(), io.StringIO()
    sys.stdout, sys.stderr = captured, captured_err
    try:
        # Created while sys.stdout/sys.stderr are the captures, so that colorama's init (--color on)
        # wraps them exactly as it wraps the real streams in the CLI: autoreset after every write.
        formatter = get_formatter(fmt.split('-')[0], Args(query, color))
        if fmt == 'table-w120':
            formatter.table._terminal_width = 120
        try:
            formatter(command_name, response)
        except Exception as e:
            # What the CLI's main() does with it (exit code 255), through the same (wrapped) stderr.
            write_exception(e, outfile=get_stderr_text_writer())
    finally:
        if fmt == 'table-color':
            colorama.deinit()
        sys.stdout, sys.stderr = real_stdout, real_stderr
    return captured.getvalue(), captured_err.getvalue()


def record_case(case):
    results = {}
    if case['kind'] == 'response':
        try:
            parsed = parse_response(case)
            parse_error = None
        except Exception as e:
            parsed, parse_error = None, e
        for fmt in FORMATS:
            if parse_error is not None:
                results[fmt] = ('', '\n%s\n' % parse_error)
            else:
                results[fmt] = run_formatter(fmt, case['operation'], copy.deepcopy(parsed), None)
        if parse_error is None:
            shaped = copy.deepcopy(parsed)
            if isinstance(shaped, dict):
                shaped.pop('ResponseMetadata', None)
            case['shaped'] = json.dumps(shaped, ensure_ascii=False)
        else:
            case['shape_error'] = str(parse_error)
    else:
        value = json.loads(case['value'])
        response = {'ResponseMetadata': {'RequestId': 'x'}}
        for fmt in FORMATS:
            results[fmt] = run_formatter(fmt, case['operation'], copy.deepcopy(response), FixedQuery(value))
    return results


def record():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    cases = response_cases() + query_cases()
    for case in cases:
        results = record_case(case)
        case_dir = os.path.join(OUT, case['name'])
        os.makedirs(case_dir)
        for fmt, (stdout, stderr) in results.items():
            with open(os.path.join(case_dir, fmt + '.stdout'), 'w', encoding='utf-8', newline='') as f:
                f.write(stdout)
            with open(os.path.join(case_dir, fmt + '.stderr'), 'w', encoding='utf-8', newline='') as f:
                f.write(stderr)
    with open(os.path.join(OUT, 'cases.json'), 'w', encoding='utf-8') as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print('recorded %d cases x %d formats under %s' % (len(cases), len(FORMATS), OUT))


# ---------------------------------------------------------------------------------------------------
# End-to-end check against the real CLI

CLI_COMMANDS = {
    'CreateInstanceSnapshot': ['create-instance-snapshot', '--instance-name', 'WordPress-1',
                               '--instance-snapshot-name', 'WordPress-Snapshot-1'],
    # --no-paginate: with pagination the CLI merges pages first, which a direct formatter call does not.
    'GetInstanceSnapshots': ['get-instance-snapshots', '--no-paginate'],
    'GetOperations': ['get-operations', '--no-paginate'],
    'GetContainerServiceDeployments': ['get-container-service-deployments', '--service-name', 'svc'],
}


class Handler(http.server.BaseHTTPRequestHandler):
    body = b''
    # For paginated scenarios: page N is served for a request whose pageToken is "pN".
    pages = None

    def do_POST(self):
        request = self.rfile.read(int(self.headers.get('content-length', 0)))
        if Handler.pages is not None:
            token = json.loads(request or b'{}').get('pageToken')
            Handler.body = Handler.pages[0 if token is None else int(token[1:])].encode('utf-8')
        self.send_response(200)
        self.send_header('x-amzn-requestid', '2b5e4cd0-0000-4000-8000-000000000000')
        self.send_header('content-type', 'application/x-amz-json-1.1')
        self.send_header('content-length', str(len(Handler.body)))
        self.end_headers()
        self.wfile.write(Handler.body)

    def log_message(self, *args):
        pass


def start_server():
    server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    home = tempfile.mkdtemp()
    env = dict(os.environ, HOME=home, AWS_EC2_METADATA_DISABLED='true', AWS_ACCESS_KEY_ID='AKIDEXAMPLE',
               AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_DEFAULT_REGION='us-west-2',
               AWS_MAX_ATTEMPTS='1')
    return server, server.server_address[1], home, env


def check_cli_inside():
    server, port, home, env = start_server()
    with open(os.path.join(OUT, 'cases.json'), encoding='utf-8') as f:
        cases = json.load(f)
    checked = failures = 0
    for case in cases:
        if case['kind'] != 'response':
            continue
        Handler.body = case['body'].encode('utf-8')
        case_env = dict(env)
        if case['timestamp_format'] != 'wire':
            os.makedirs(os.path.join(home, '.aws'), exist_ok=True)
            config = os.path.join(home, 'case-config')
            with open(config, 'w') as f:
                f.write('[default]\ncli_timestamp_format = %s\n' % case['timestamp_format'])
            case_env['AWS_CONFIG_FILE'] = config
        for fmt in CLI_FORMATS:
            argv = ['aws', 'lightsail'] + CLI_COMMANDS[case['operation']] + [
                '--endpoint-url', 'http://127.0.0.1:%d' % port, '--output', fmt.split('-')[0],
                '--color', 'on' if fmt == 'table-color' else 'off']
            proc = subprocess.run(argv, env=case_env, capture_output=True, stdin=subprocess.DEVNULL)
            with open(os.path.join(OUT, case['name'], fmt + '.stdout'), 'rb') as f:
                want_out = f.read()
            with open(os.path.join(OUT, case['name'], fmt + '.stderr'), 'rb') as f:
                want_err = f.read()
            want_rc = 255 if want_err else 0
            checked += 1
            if (proc.stdout, proc.stderr, proc.returncode) != (want_out, want_err, want_rc):
                failures += 1
                print('MISMATCH %s/%s rc=%d\n  stdout %r\n  want   %r\n  stderr %r\n  want   %r' % (
                    case['name'], fmt, proc.returncode, proc.stdout[:300], want_out[:300],
                    proc.stderr[:300], want_err[:300]))
    server.shutdown()
    shutil.rmtree(home)
    print('checked %d CLI runs against the recordings: %d mismatches' % (checked, failures))
    return 1 if failures else 0


PAGINATED_OUT = os.path.join(ROOT, 'tests', 'data', 'output_paginated')


def paginated_scenarios():
    ops = [operation(i) for i in range(5)]
    return [
        dict(name='two_pages', operation='GetOperations', result_key='operations', query=None, pages=[
            json.dumps({'operations': ops[:2], 'nextPageToken': 'p1'}), json.dumps({'operations': ops[2:3]})]),
        dict(name='three_pages_middle_empty', operation='GetOperations', result_key='operations', query=None, pages=[
            json.dumps({'operations': ops[:1], 'nextPageToken': 'p1'}),
            json.dumps({'operations': [], 'nextPageToken': 'p2'}),
            json.dumps({'operations': ops[1:2]})]),
        dict(name='pages_without_key', operation='GetOperations', result_key='operations', query=None, pages=[
            json.dumps({'nextPageToken': 'p1'}), '{}']),
        dict(name='single_empty_list', operation='GetInstanceSnapshots', result_key='instanceSnapshots',
             query=None, pages=['{"instanceSnapshots": []}']),
        dict(name='snapshots_two_pages', operation='GetInstanceSnapshots', result_key='instanceSnapshots',
             query=None, pages=[
                 json.dumps({'instanceSnapshots': [snapshot('a'), snapshot('b', tags=[])], 'nextPageToken': 'p1'}),
                 json.dumps({'instanceSnapshots': [snapshot('\u00e9\u6f22')]})]),
        dict(name='query_per_page', operation='GetOperations', result_key='operations',
             query='operations[].id', pages=[
                 json.dumps({'operations': ops[:2], 'nextPageToken': 'p1'}), json.dumps({'operations': ops[2:4]})]),
        dict(name='query_scalar_per_page', operation='GetOperations', result_key='operations',
             query='operations[0].status', pages=[
                 json.dumps({'operations': ops[:2], 'nextPageToken': 'p1'}), json.dumps({'operations': ops[2:4]})]),
    ]


def record_paginated_inside():
    """Runs the real CLI (paginating, as it does by default) and records what it prints."""
    import jmespath
    server, port, home, env = start_server()
    if os.path.isdir(PAGINATED_OUT):
        shutil.rmtree(PAGINATED_OUT)
    os.makedirs(PAGINATED_OUT)
    commands = {'GetOperations': ['get-operations'], 'GetInstanceSnapshots': ['get-instance-snapshots']}
    scenarios = paginated_scenarios()
    for sc in scenarios:
        Handler.pages = sc['pages']
        os.makedirs(os.path.join(PAGINATED_OUT, sc['name']))
        for fmt in CLI_FORMATS:
            argv = ['aws', 'lightsail'] + commands[sc['operation']] + [
                '--endpoint-url', 'http://127.0.0.1:%d' % port, '--output', fmt.split('-')[0],
                '--color', 'on' if fmt == 'table-color' else 'off']
            if sc['query']:
                argv += ['--query', sc['query']]
            proc = subprocess.run(argv, env=env, capture_output=True, stdin=subprocess.DEVNULL)
            for ext, data in (('stdout', proc.stdout), ('stderr', proc.stderr)):
                with open(os.path.join(PAGINATED_OUT, sc['name'], '%s.%s' % (fmt, ext)), 'wb') as f:
                    f.write(data)
        if sc['query']:
            # The --query results the formatters are handed (the JMESPath engine is tested elsewhere):
            # once over the merged pages for json/table, once per page for text.
            key = sc['result_key']
            loaded = [json.loads(p) for p in sc['pages']]
            merged = {}
            for page in loaded:
                if page.get(key) is not None:
                    merged.setdefault(key, []).extend(page[key])
            sc['query_full'] = json.dumps(jmespath.search(sc['query'], merged))
            sc['query_pages'] = [json.dumps(jmespath.search(sc['query'], {key: page.get(key)})) for page in loaded]
    with open(os.path.join(PAGINATED_OUT, 'cases.json'), 'w', encoding='utf-8') as f:
        json.dump(scenarios, f, indent=1, ensure_ascii=False)
        f.write('\n')
    record_v2_debug(port, env)
    server.shutdown()
    shutil.rmtree(home)
    print('recorded %d paginated scenarios x %d formats from the CLI under %s' % (
        len(scenarios), len(CLI_FORMATS), PAGINATED_OUT))


V2_DEBUG_OUT = os.path.join(ROOT, 'tests', 'data', 'output_v2_debug')


def record_v2_debug(port, env):
    """--v2-debug warns on stderr at the first timestamp the parser meets (scalarparse.py)."""
    if os.path.isdir(V2_DEBUG_OUT):
        shutil.rmtree(V2_DEBUG_OUT)
    os.makedirs(V2_DEBUG_OUT)
    cases = [
        dict(name='seed', pages=[seed_body()]),
        dict(name='no_timestamps', pages=['{"operations": [{"id": "x", "createdAt": null}, {"id": "y"}]}']),
        dict(name='error_after_timestamp', pages=['{"operations": [{"createdAt": 1, "location": [1]}]}']),
        dict(name='error_before_timestamp', pages=['{"operations": [{"location": [1]}, {"createdAt": 1}]}']),
        dict(name='paginated_once', paginated=True, pages=[
            json.dumps({'operations': [operation(1)], 'nextPageToken': 'p1'}), json.dumps({'operations': [operation(2)]})]),
    ]
    for case in cases:
        Handler.pages = case['pages']
        if case.get('paginated'):
            command = ['get-operations']
        else:
            command = CLI_COMMANDS['CreateInstanceSnapshot']
        argv = ['aws', 'lightsail'] + command + ['--endpoint-url', 'http://127.0.0.1:%d' % port, '--v2-debug']
        proc = subprocess.run(argv, env=env, capture_output=True, stdin=subprocess.DEVNULL)
        case['operation'] = 'GetOperations' if case.get('paginated') else 'CreateInstanceSnapshot'
        case['exit_code'] = proc.returncode
        for ext, data in (('stdout', proc.stdout), ('stderr', proc.stderr)):
            with open(os.path.join(V2_DEBUG_OUT, '%s.%s' % (case['name'], ext)), 'wb') as f:
                f.write(data)
    with open(os.path.join(V2_DEBUG_OUT, 'cases.json'), 'w', encoding='utf-8') as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write('\n')


def in_private_network(flag):
    script = os.path.abspath(__file__)
    cmd = 'ip link set lo up && exec %s %s %s' % (sys.executable, script, flag)
    return subprocess.call(['unshare', '-n', 'sh', '-c', cmd])


def main():
    if '--check-cli-inside' in sys.argv:
        sys.exit(check_cli_inside())
    if '--record-paginated-inside' in sys.argv:
        sys.exit(record_paginated_inside())
    if '--check-cli' in sys.argv:
        sys.exit(in_private_network('--check-cli-inside'))
    record()
    sys.exit(in_private_network('--record-paginated-inside'))


main()
