#!/usr/bin/env python3
"""Records the reference's behaviour for skeletons, parameter validation and --cli-input-json.

Writes, under tests/data/validate/:
  cli/<name>.json   one invocation of the real `aws` CLI (v1.45.11), run with no network at all:
                    {"argv": [...after "aws"...], "files": {relative path: text} written in the
                    working directory first, "config": text of ~/.aws/config or null, "kind": what
                    the Rust unit tests replay, "stdout", "stderr", "exit_code"}.
  direct.json       botocore's ParamValidator run on generated parameters for every Lightsail
                    operation: [{"shape", "params" (JSON text), "ordered" (top-level keys whose
                    objects are OrderedDicts, as with JSON given to a CLI option), "report"}].
  timestamps.json   [[value, accepted]]: botocore's verdict on values for a timestamp member.
  skeletons.json    {cli op name: {"input": stdout of --generate-cli-skeleton input,
                    "output": the output skeleton as json.dumps(indent=4) (timestamps isoformat),
                    "output_error": the stub's response validation report or null}}.

The input skeleton picks a random enum value in the reference (random.choice); here random.choice
is replaced by "first value" so the expected files are deterministic, as our implementation is.

Safety: every `aws` run is inside `unshare -n` (loopback only), with --endpoint-url
http://127.0.0.1:9, dummy credentials, IMDS disabled and a throwaway HOME.

Run from the repo root: python3 tests/record/validate_corpus.py
"""
import collections
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

import botocore.session
from botocore.utils import ArgumentGenerator
from botocore.validate import ParamValidator
from awscli.utils import json_encoder

OUT = os.path.join('tests', 'data', 'validate')
ENDPOINT = ['--endpoint-url', 'http://127.0.0.1:9']
CIS = ['lightsail', 'create-instance-snapshot']
REQ = ['--instance-name', 'i-1', '--instance-snapshot-name', 'snap-1']


def run_aws(argv, files=None, config=None):
    home = tempfile.mkdtemp()
    cwd = tempfile.mkdtemp()
    try:
        if config is not None:
            os.makedirs(os.path.join(home, '.aws'))
            with open(os.path.join(home, '.aws', 'config'), 'w') as f:
                f.write(config)
        for rel, text in (files or {}).items():
            with open(os.path.join(cwd, rel), 'w', encoding='utf-8') as f:
                f.write(text)
        env = {
            'PATH': os.environ['PATH'],
            'HOME': home,
            'AWS_EC2_METADATA_DISABLED': 'true',
            'AWS_ACCESS_KEY_ID': 'AKIDEXAMPLE',
            'AWS_SECRET_ACCESS_KEY': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
            'AWS_DEFAULT_REGION': 'us-west-2',
            'LANG': 'C.UTF-8',
        }
        cmd = ['unshare', '-n', 'sh', '-c', 'ip link set lo up; exec "$@"', 'sh', 'aws'] + argv
        p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True)
        return p.stdout.decode('utf-8'), p.stderr.decode('utf-8'), p.returncode
    finally:
        shutil.rmtree(home)
        shutil.rmtree(cwd)


# (name, kind, argv, files, config)
# kinds: "validate" (merge + validation, replayable by the unit tests), "skeleton-input",
# "skeleton-input-random" (the reference picks enum values at random: compare modulo those),
# "skeleton-output" (needs the output formatter), "json-error", "not-object", "argparse",
# "other" (errors owned by other modules: paramfile, argprocess).
CLI_CASES = []


def case(name, kind, args, files=None, config=None, op=CIS):
    CLI_CASES.append((name, kind, op + args + ENDPOINT, files, config))


# --- --generate-cli-skeleton -------------------------------------------------------------
case('skel_no_value', 'skeleton-input', ['--generate-cli-skeleton'])
case('skel_input', 'skeleton-input', ['--generate-cli-skeleton', 'input'])
case('skel_input_with_args', 'skeleton-input', ['--generate-cli-skeleton', 'input'] + REQ)
case('skel_input_partial_args', 'skeleton-input', ['--instance-name', 'x', '--generate-cli-skeleton'])
case('skel_input_output_text', 'skeleton-input', ['--generate-cli-skeleton', '--output', 'text'])
case('skel_input_output_table', 'skeleton-input', ['--generate-cli-skeleton', 'input', '--output', 'table'])
case('skel_input_query', 'skeleton-input', ['--generate-cli-skeleton', '--query', 'tags'])
case('skel_input_bad_cli_input_json', 'json-error', ['--generate-cli-skeleton', '--cli-input-json', '{'])
case('skel_input_cli_input_json_bad_types', 'skeleton-input',
     ['--generate-cli-skeleton', '--cli-input-json', '{"instanceName": 5, "zzz": 1}'])
case('skel_input_bad_tags_json', 'other', ['--generate-cli-skeleton', '--tags', '[{"key": }]'])
case('skel_bad_value', 'argparse', ['--generate-cli-skeleton', 'foo'])
case('skel_bad_value_with_args', 'argparse', ['--generate-cli-skeleton', 'Output'] + REQ)
case('skel_equals_output_missing', 'argparse', ['--generate-cli-skeleton=output'])
case('skel_equals_input', 'argparse', ['--generate-cli-skeleton=input'])
case('skel_output_missing_required', 'argparse', ['--generate-cli-skeleton', 'output'])
case('skel_output', 'skeleton-output', ['--generate-cli-skeleton', 'output'] + REQ)
case('skel_output_text', 'skeleton-output', ['--generate-cli-skeleton', 'output', '--output', 'text'] + REQ)
case('skel_output_table', 'skeleton-output', ['--generate-cli-skeleton', 'output', '--output', 'table'] + REQ)
case('skel_output_query', 'skeleton-output',
     ['--generate-cli-skeleton', 'output', '--query', 'operations[0].[id, createdAt, isTerminal]'] + REQ)
case('skel_output_query_text', 'skeleton-output',
     ['--generate-cli-skeleton', 'output', '--query', 'operations[0].createdAt', '--output', 'text'] + REQ)
case('skel_output_with_tags', 'skeleton-output',
     ['--generate-cli-skeleton', 'output', '--tags', 'key=a,value=b'] + REQ)
case('skel_output_bad_tags', 'validate',
     ['--generate-cli-skeleton', 'output', '--tags', '[{"value": "v", "extra": 1}]'] + REQ)
case('skel_output_cli_input_json_empty', 'validate',
     ['--generate-cli-skeleton', 'output', '--cli-input-json', '{}'])
case('skel_output_cli_input_json_full', 'skeleton-output',
     ['--generate-cli-skeleton', 'output', '--cli-input-json',
      '{"instanceName": "a", "instanceSnapshotName": "b"}'])
case('skel_output_cli_input_json_types', 'validate',
     ['--generate-cli-skeleton', 'output', '--cli-input-json',
      '{"instanceName": 5, "instanceSnapshotName": ["b"], "tags": {"key": "k"}}'])
case('skel_output_validation_off', 'skeleton-output',
     ['--generate-cli-skeleton', 'output', '--cli-input-json',
      '{"instanceName": "a", "instanceSnapshotName": "b", "zzz": 1}'],
     config='[default]\nparameter_validation = false\n')
case('skel_output_get_alarms', 'skeleton-output', ['--generate-cli-skeleton', 'output'],
     op=['lightsail', 'get-alarms'])
case('skel_output_get_alarms_bad_input', 'skeleton-output',
     ['--generate-cli-skeleton', 'output', '--cli-input-json', '{"zzz": 1}'], op=['lightsail', 'get-alarms'])
case('skel_output_get_instances', 'skeleton-output', ['--generate-cli-skeleton', 'output'],
     op=['lightsail', 'get-instances'])
case('skel_input_get_instance_metric_data', 'skeleton-input-random', ['--generate-cli-skeleton'],
     op=['lightsail', 'get-instance-metric-data'])
case('skel_input_create_container_service', 'skeleton-input-random', ['--generate-cli-skeleton'],
     op=['lightsail', 'create-container-service'])

# --- --cli-input-json: validation of what it provides ------------------------------------------
J = '--cli-input-json'
case('json_empty_object', 'validate', [J, '{}'])
case('json_instance_name_int', 'validate', [J, '{"instanceName": 5}'])
case('json_all_wrong', 'validate',
     [J, '{"instanceName": 5, "tags": [{"key": 1, "value": {"a": [1, 2.5, null, true, "x\'y"]}}], "zzz": 1}'])
case('json_tags_string', 'validate', [J, '{"tags": "x"}'])
case('json_tags_key_int', 'validate', [J, '{"tags": [{"key": 1}]}'])
case('json_unknown_key', 'validate', [J, '{"instanceName": "a", "instanceSnapshotName": "b", "bogus": true}'])
case('json_unknown_keys_order', 'validate', [J, '{"b2": 1, "instanceName": "a", "a1": 2}'])
case('json_nested_unknown', 'validate',
     [J, '{"instanceName": "a", "instanceSnapshotName": "b", "tags": [{"key": "k", "extra": 1}, {"Key": "k"}]}'])
case('json_empty_strings', 'validate', [J, '{"instanceName": "", "instanceSnapshotName": "", "tags": [{}], "x": ""}'])
case('json_nulls', 'validate', [J, '{"instanceName": null, "instanceSnapshotName": null, "tags": null}'])
case('json_null_tag_members', 'validate', [J, '{"tags": [null, {"key": null, "value": null}]}'])
case('json_floats', 'validate', [J, '{"instanceName": 1.5, "instanceSnapshotName": 1e100, "tags": [{"key": 1e-7, "value": -0.0}]}'])
case('json_bigint', 'validate', [J, '{"instanceName": 123456789012345678901234567890, "instanceSnapshotName": -5}'])
case('json_bools', 'validate', [J, '{"instanceName": true, "instanceSnapshotName": false, "tags": [true]}'])
case('json_unicode_values', 'validate',
     [J, '{"instanceName": ["\u00e9t\u00e9", "\\u00a0", "tab\\there", "nl\\n", "q\'\\"", "\\u2028", "\\ud83d\\ude00", "\\u007f"]}'])
case('json_quotes_repr', 'validate', [J, '{"instanceName": ["a\'b", "a\\"b", "a\'b\\"c", "back\\\\slash"]}'])
case('json_nested_containers', 'validate',
     [J, '{"instanceName": {"k": {"n": [[], {}, [1, [2]]]}}, "instanceSnapshotName": [[{"a": null}]]}'])
case('json_duplicate_keys', 'validate', [J, '{"instanceName": "a", "instanceName": 5, "instanceSnapshotName": "b"}'])
case('json_tags_object', 'validate', [J, '{"instanceName": "a", "instanceSnapshotName": "b", "tags": {"key": "k"}}'])
case('json_tags_list_of_lists', 'validate', [J, '{"instanceName": "a", "instanceSnapshotName": "b", "tags": [["k"]]}'])
case('json_case_sensitive', 'validate', [J, '{"InstanceName": "a", "instance_snapshot_name": "b"}'])
case('json_whitespace', 'validate', [J, '  \n {"instanceName": 5}\n  '])

# --- explicit arguments and --cli-input-json -----------------------------------------------
case('json_explicit_overrides', 'validate', ['--instance-name', 'x', J, '{"instanceName": 5, "instanceSnapshotName": 6}'])
case('json_explicit_after', 'validate', [J, '{"instanceName": 5, "instanceSnapshotName": 6}', '--instance-snapshot-name', 'y'])
case('json_explicit_tags_override', 'validate',
     ['--tags', '[{"key": {"a": 1}}]', J, '{"tags": [{"key": 2}], "instanceName": 3}'])
case('json_explicit_shorthand_tags', 'other',
     ['--tags', 'key={a=1}', J, '{"tags": [{"key": 2}], "instanceName": 3}'])
case('json_keys_after_explicit', 'validate',
     [J, '{"zzz": 1, "tags": [{"key": 1}], "instanceName": 2}', '--instance-snapshot-name', 's', '--tags', '[{"value": 3}]'])
case('json_twice', 'validate', [J, '{"instanceName": 1}', J, '{"instanceSnapshotName": 2}'])
case('json_abbrev_not_relaxed', 'argparse', ['--cli-input-j', '{"instanceName": "a", "instanceSnapshotName": "b"}'])
case('json_abbrev_with_required', 'argparse', ['--cli-input-j', '{"zzz": 1}'] + REQ)
case('skel_abbrev_not_relaxed', 'argparse', ['--generate-cli-skel'])
case('skel_abbrev_with_required', 'argparse', ['--generate-cli-skel'] + REQ)
case('json_equals_form', 'argparse', ['--cli-input-json={"instanceName": "a", "instanceSnapshotName": "b", "z": 1}'])

# --- --cli-input-json: not JSON, not an object --------------------------------------------------
for name, text in [('json_invalid_word', 'bad'), ('json_invalid_open', '{'), ('json_invalid_value', '{"a": }'),
                   ('json_invalid_trailing_comma', '{"a": 1,}'), ('json_invalid_extra', '{} x'),
                   ('json_invalid_single_quotes', "{'a': 1}"), ('json_invalid_multiline', '{\n  "a": 1\n  "b": 2\n}'),
                   ('json_invalid_whitespace_only', '   '), ('json_invalid_unterminated', '{"a": "x')]:
    case(name, 'json-error', [J, text])
for name, text in [('json_not_object_list', '[1]'), ('json_not_object_string', '"x"'),
                   ('json_not_object_int', '1'), ('json_not_object_float', '2.5'),
                   ('json_not_object_null', 'null'), ('json_not_object_true', 'true'),
                   ('json_not_object_nan', 'NaN')]:
    case(name, 'not-object', [J, text])

# --- file:// -------------------------------------------------------------------------------
case('file_valid_missing', 'validate', [J, 'file://in.json'], files={'in.json': '{"instanceName": "a"}\n'})
case('file_wrong_types', 'validate', [J, 'file://in.json'],
     files={'in.json': '{\n    "instanceSnapshotName": 1,\n    "instanceName": "",\n    "tags": [{"key": "k", "value": 2}]\n}\n'})
case('file_invalid_json', 'json-error', [J, 'file://in.json'], files={'in.json': '{\n  "instanceName": \n}\n'})
case('file_not_object', 'not-object', [J, 'file://in.json'], files={'in.json': '["a"]'})
case('file_missing', 'other', [J, 'file://nope.json'])
case('file_skeleton_roundtrip', 'validate', [J, 'file://in.json'],
     files={'in.json': '{\n    "instanceSnapshotName": "",\n    "instanceName": "",\n    "tags": [\n        {\n            "key": "",\n            "value": ""\n        }\n    ],\n    "extra": {}\n}\n'})

# --- values from explicit options -----------------------------------------------------------
case('tags_missing_key', 'validate', REQ + ['--tags', '[{"value": "v"}]', '--generate-cli-skeleton', 'output'])
case('tags_extra_member', 'validate', REQ + ['--tags', '[{"key": "k", "extra": 1}]', '--generate-cli-skeleton', 'output'])
case('tags_wrong_types', 'validate',
     REQ + ['--tags', '[{"key": {"a": 1, "b": [{"c": {}}]}, "value": {}}, {"value": 5}, {"key": "k", "extra": 1}]',
            '--generate-cli-skeleton', 'output'])
case('tags_shorthand_nested', 'other', REQ + ['--tags', 'key={a=1,b=[x,y]},value=[1,2]', '--generate-cli-skeleton', 'output'])
case('tags_not_list_items', 'validate', REQ + ['--tags', '[1, "x", null, []]', '--generate-cli-skeleton', 'output'])

# --- other operations: ranges, lengths, numbers, booleans, timestamps -------------------------
GIMD = ['lightsail', 'get-instance-metric-data']
case('gimd_period_zero', 'validate',
     ['--cli-input-json', '{"instanceName": "a", "metricName": "CPUUtilization", "period": 0, "startTime": "2020-01-01",'
      ' "endTime": 1577836800, "unit": "Percent", "statistics": ["Average"]}', '--generate-cli-skeleton', 'output'], op=GIMD)
case('gimd_types', 'validate',
     ['--cli-input-json', '{"period": "60", "startTime": "yesterday", "endTime": true, "statistics": "Average",'
      ' "unit": 5}', '--generate-cli-skeleton', 'output'], op=GIMD)
case('gimd_period_float', 'validate',
     ['--cli-input-json', '{"period": 60.0, "startTime": null, "endTime": [1], "statistics": [1, null]}',
      '--generate-cli-skeleton', 'output'], op=GIMD)
case('gimd_period_bool', 'validate', ['--cli-input-json', '{"period": true, "startTime": "2020-01-01T00:00:00Z"}',
                                     '--generate-cli-skeleton', 'output'], op=GIMD)
case('gimd_period_negative_big', 'validate', ['--cli-input-json', '{"period": -123456789012345678901234567890}',
                                             '--generate-cli-skeleton', 'output'], op=GIMD)
case('container_service_map', 'validate',
     ['--cli-input-json', '{"serviceName": "", "power": "nano", "scale": 0, "tags": [], "publicDomainNames":'
      ' {"": ["a", 1], "k": "v"}, "deployment": {"containers": {"c1": {"image": 5, "ports": {"80": "HTTPX", "x": 1}},'
      ' "c2": []}, "publicEndpoint": {"containerName": "c1", "containerPort": "80", "healthCheck": {"healthyThreshold": 1.5}}}}'],
     op=['lightsail', 'create-container-service'])
case('put_alarm_mixed', 'validate',
     ['--cli-input-json', '{"alarmName": "a", "metricName": "CPUUtilization", "monitoredResourceName": "r",'
      ' "comparisonOperator": "x", "threshold": "1", "evaluationPeriods": 1.0, "datapointsToAlarm": false,'
      ' "treatMissingData": 1, "contactProtocols": [1, "Email"], "notificationTriggers": "OK", "notificationEnabled": "yes"}',
      '--generate-cli-skeleton', 'output'], op=['lightsail', 'put-alarm'])
case('explicit_int_option_below_min', 'validate',
     ['--instance-name', 'a', '--metric-name', 'CPUUtilization', '--period', '1', '--start-time', '2020-01-01',
      '--end-time', '2020-01-02', '--unit', 'Percent', '--statistics', 'Average', '--generate-cli-skeleton', 'output'],
     op=GIMD)


def record_cli():
    d = os.path.join(OUT, 'cli')
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(d)
    for name, kind, argv, files, config in CLI_CASES:
        out, err, rc = run_aws(argv, files, config)
        doc = collections.OrderedDict([
            ('argv', argv), ('files', files or {}), ('config', config), ('kind', kind),
            ('stdout', out), ('stderr', err), ('exit_code', rc)])
        with open(os.path.join(d, name + '.json'), 'w', encoding='utf-8') as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
            f.write('\n')
        print(f'{name}: rc={rc}', file=sys.stderr)


# --- direct validator corpus ----------------------------------------------------------------
WRONG = [5, 1.5, True, None, 'str', [], {}, [1], {'a': 1}, 'é\u00a0\'"\n', -10**30, 1e300, 0, '', False, [None],
         {'k': [1.0, {'z': None}]}, 'x' * 3]
TS = ['2020-01-01T00:00:00Z', '1577836800', 'foo', '', 1577836800, 1.5, True, '2020-01-01', '2020-13-01',
      '2020-01-01T10:20:30.123+02:00', '1577836800.5', 'not a date', None, [], {}]


def variants(shape, rng, depth=0):
    """A few values for `shape`, right and wrong."""
    t = shape.type_name
    if t == 'timestamp':
        # Huge epoch numbers make the reference crash (RuntimeError): stay with sane values.
        return [rng.choice(TS), rng.choice(TS), rng.choice(TS)]
    out = [rng.choice(WRONG), rng.choice(WRONG)]
    if t == 'string':
        out += ['', 'ok', shape.enum[0] if shape.enum else 'v' * 30]
    elif t in ('integer', 'long'):
        out += [0, -1, 1, 60, 100000, 2**70]
        if 'min' in shape.metadata:
            out += [shape.metadata['min'] - 1, shape.metadata['min']]
    elif t in ('float', 'double'):
        out += [0.0, -1, 2.5]
    elif t == 'boolean':
        out += [True, False, 1]
    elif t == 'list' and depth < 4:
        out += [[], [v for v in variants(shape.member, rng, depth + 1)[:3]]]
    elif t == 'map' and depth < 4:
        vs = variants(shape.value, rng, depth + 1)
        out += [{'': vs[0], 'k': vs[-1]}, {}]
    elif t == 'structure' and depth < 4:
        out += [structure_variant(shape, rng, depth + 1, p) for p in (0.3, 0.8)]
    return out


def structure_variant(shape, rng, depth, p):
    params = {}
    names = list(shape.members)
    rng.shuffle(names)
    for name in names:
        if rng.random() < p:
            params[name] = rng.choice(variants(shape.members[name], rng, depth))
    if rng.random() < 0.3:
        params['unknownMember'] = 1
    return params


def record_direct():
    rng = random.Random(20261127)
    model = botocore.session.get_session().get_service_model('lightsail')
    validator = ParamValidator()
    entries = []
    for op_name in model.operation_names:
        shape = model.operation_model(op_name).input_shape
        for p in (0.0, 0.5, 1.0, 1.0):
            params = structure_variant(shape, rng, 0, p)
            text = json.dumps(params, ensure_ascii=False)
            members = [k for k, v in params.items() if isinstance(v, (dict, list))]
            ordered = [k for k in members if rng.random() < 0.5]
            live = json.loads(text)
            for k in ordered:
                live[k] = json.loads(json.dumps(live[k]), object_pairs_hook=collections.OrderedDict)
            report = validator.validate(live, shape)
            entries.append(collections.OrderedDict([
                ('shape', shape.name), ('params', text), ('ordered', ordered),
                ('report', report.generate_report() if report.has_errors() else None)]))
    with open(os.path.join(OUT, 'direct.json'), 'w', encoding='utf-8') as f:
        json.dump(entries, f, indent=1, ensure_ascii=False)
        f.write('\n')
    print(f'direct: {len(entries)} entries', file=sys.stderr)


def record_skeletons():
    random.choice = lambda seq: seq[0]
    model = botocore.session.get_session().get_service_model('lightsail')
    validator = ParamValidator()
    result = collections.OrderedDict()
    for op_name in sorted(model.operation_names):
        om = model.operation_model(op_name)
        cli_name = botocore.xform_name(op_name, '-')
        skel = ArgumentGenerator().generate_skeleton(om.input_shape) if om.input_shape else {}
        out = ArgumentGenerator(use_member_names=True).generate_skeleton(om.output_shape)
        report = validator.validate(out, om.output_shape)
        result[cli_name] = collections.OrderedDict([
            ('input', json.dumps(skel, indent=4, default=json_encoder) + '\n'),
            ('output', json.dumps(out, indent=4, default=json_encoder)),
            ('output_error', report.generate_report() if report.has_errors() else None)])
    with open(os.path.join(OUT, 'skeletons.json'), 'w', encoding='utf-8') as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
        f.write('\n')


TIMESTAMP_VALUES = [
    '2020-01-01T00:00:00Z', '2020-01-01T00:00:00', '2020-01-01T00:00', '2020-01-01T00', '2020-01-01T',
    '2020-01-01 00:00:00', '2020-01-01  00:00:00', '2020-01-01T00:00:00.123456Z', '2020-01-01T00:00:00,5',
    '2020-01-01T00:00:00+02:00', '2020-01-01T00:00:00-0530', '2020-01-01T00:00:00+02', '2020-01-01T25:00:00',
    '2020-01-01T23:60:00', '2020-01-01T23:59:60', '2020-02-29', '2021-02-29', '2020-02-30', '2020-04-31',
    '2020-13-01', '2020-00-10', '2020-01-00', '2020-01-32', '2020-1-5', '2020/01/05', '2020.01.05', '20200105',
    '202001', '2020-01', '2020', '99', '0', '1', '-1', '1.5', '1e3', '1_000', '  1577836800  ',
    '1577836800', '1577836800.123', '-62135596799', '253402300799', 'nan', 'NaN', '-nan',
    '', ' ', 'foo', 'today', 'now', 'yesterday', 'not a date', 'T', 'Z', 'GMT', '10:00', '10:00:00',
    '10:00:00Z', '25:00', '10:61', 'Jan 2020', 'January 5 2020', '5 Jan 2020', 'Jan 5, 2020', 'Jan',
    'Wed, 01 Jan 2020 00:00:00 GMT', 'Wed, 01 Jan 2020 00:00:00 +0000', 'Wednesday 2020-01-01',
    '01/02/2020', '13/01/2020', '01/13/2020', '32/01/2020', '1/2/20', '2020-01-01Z', '2020-01-01 UTC',
    '2020-01-01T00:00:00 GMT', '2020-W01', '2020-001', 'x2020', '2020x', '12', '31', '32', '2020-01-01T00:00:00Zfoo',
    1577836800, 0, -1, 1.5, 1e15, -1e15, True, False, None, [], {},
]


def record_timestamps():
    validator = ParamValidator()
    verdicts = [[v, validator._type_check_datetime(v)] for v in TIMESTAMP_VALUES]
    with open(os.path.join(OUT, 'timestamps.json'), 'w', encoding='utf-8') as f:
        json.dump(verdicts, f, indent=1, ensure_ascii=False)
        f.write('\n')


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    record_timestamps()
    record_skeletons()
    record_direct()
    if '--no-cli' not in sys.argv:
        record_cli()
