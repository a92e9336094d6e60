"""Records what Python jmespath 1.1.0 (the reference CLI's query engine) does with a corpus of
expressions, for tests/jmespath_corpus.rs to replay byte for byte.

Run from the repo root:  python3 tests/record/jmespath_corpus.py

Writes:
  tests/data/jmespath/corpus.json
      {"documents": {name: document}, "cases": [...]}; each case has "document", "expression" and one
      of "result" (json.dumps(result), which keeps key order), "parse_error" (str() of what
      jmespath.compile raised, plus "cli_stderr": the reference CLI's stderr for --query EXPRESSION,
      built by awscli's own _resolve_query and write_exception) or "search_error" (str() of what search
      raised, plus its class name in "error_class").
  tests/data/jmespath/compliance_overrides.json
      For the compliance suite in tests/data/jmespath/compliance: {"FILE#SUITE#CASE": json.dumps(result)}
      for every case where Python's actual result serializes differently from the file's expected
      result (key order or int/float spelling); the Rust compliance test prefers these.
"""
import glob
import io
import json
import os
import sys

import jmespath
import awscli.customizations.globalargs as globalargs
from awscli.utils import write_exception

assert jmespath.__version__ == '1.1.0', jmespath.__version__

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'tests', 'data', 'jmespath')
COMPLIANCE = os.path.join(ROOT, 'tests', 'data', 'jmespath', 'compliance')

# The seed man page's example output (aws lightsail create-instance-snapshot).
SEED = {
    "operations": [
        {
            "id": "4c3db559-9dd0-41e7-89c0-2cb88c19786f",
            "resourceName": "WordPress-Snapshot-1",
            "resourceType": "InstanceSnapshot",
            "createdAt": 1569866438.48,
            "location": {"availabilityZone": "all", "regionName": "us-west-2"},
            "isTerminal": False,
            "operationDetails": "WordPress-1",
            "operationType": "CreateInstanceSnapshot",
            "status": "Started",
            "statusChangedAt": 1569866438.48,
        },
        {
            "id": "c04fdc45-2981-488c-88b5-d6d2fd759a6a",
            "resourceName": "WordPress-1",
            "resourceType": "Instance",
            "createdAt": 1569866438.48,
            "location": {"availabilityZone": "us-west-2a", "regionName": "us-west-2"},
            "isTerminal": False,
            "operationDetails": "WordPress-Snapshot-1",
            "operationType": "CreateInstanceSnapshot",
            "status": "Started",
            "statusChangedAt": 1569866438.48,
        },
    ]
}

RICH = json.loads('''{
  "zeta": 1, "alpha": 2, "mid": {"b": 1, "a": 2, "c": {"z": null, "y": [1, 2]}},
  "names": ["Ren\\u00e9e", "\\u00c5sa", "bob", "Zo\\u00eb", "\\ud83d\\ude00 smile", "tab\\there", "quote's", "dq\\"x"],
  "floats": [1e-07, 2.5, 1569866438.48, -0.0, 1e+16, 123456789012345678.0, 0.1],
  "ints": [3, -7, 9007199254740993, 12345678901234567890123, 0, 1],
  "mixed": [1, 2.0, 3, 4.5],
  "bools": [true, false, null],
  "nested": [[1, 2], [3, [4, 5]], 6, [], [[7]]],
  "tags": [{"key": "env", "value": "prod"}, {"key": "team", "value": null}, {"key": "\\u00fcber", "value": "x"}],
  "instances": [
    {"name": "web-1", "state": {"name": "running", "code": 16}, "cpu": 2, "ram": 1.5, "zone": "us-west-2a", "tags": ["a", "b"]},
    {"name": "db-1", "state": {"name": "stopped", "code": 80}, "cpu": 4, "ram": 8.0, "zone": "us-west-2b", "tags": []},
    {"name": "web-2", "state": {"name": "running", "code": 16}, "cpu": 1, "ram": 0.5, "zone": "us-west-2a"},
    {"name": "cache", "state": null, "cpu": 2, "ram": 4, "zone": null, "tags": ["c"]}
  ],
  "empty": {}, "emptylist": [], "emptystr": "", "nul": null, "t": true, "f": false,
  "num": -3.7, "numstr": "42", "floatstr": "1.0", "str": "Lightsail",
  "numbers_as_strings": ["1", " 2 ", "3.5", "x", "1_000", "\\u0661\\u0662", "inf", "-nan"]
}''')

DOCUMENTS = {"seed": SEED, "rich": RICH}

SEED_EXPRESSIONS = [
    "operations",
    "operations[0].id",
    "operations[*].resourceName",
    "operations[].location.regionName",
    "operations[?resourceType=='Instance'].id",
    "operations[?resourceType=='Instance'] | [0]",
    "operations[0].[id, status]",
    "operations[0].{Id: id, Status: status, Zone: location.availabilityZone}",
    "operations[*].{name: resourceName, at: createdAt}",
    "operations[0].createdAt",
    "length(operations)",
    "operations[-1].operationDetails",
    "operations[0].location",
    "keys(operations[0])",
    "values(operations[0].location)",
    "sort_by(operations, &resourceName)[*].resourceName",
    "max_by(operations, &createdAt).id",
    "operations[0].isTerminal",
    "operations[?!isTerminal].status",
    "to_string(operations[0].location)",
    "to_string(operations[0].createdAt)",
    "operations[0].createdAt > `1569866438`",
    "join(', ', operations[*].status)",
    "operations[*].location | [0]",
    "operations[*].*",
    "operations[0].* | sort(@)",
    "merge(operations[0].location, {regionName: 'eu-west-1', extra: `1`})",
    "sum(operations[*].createdAt)",
    "avg(operations[*].createdAt)",
    "floor(operations[0].createdAt)",
    "ceil(operations[0].createdAt)",
    "missing",
    "operations[5]",
    "operations[0].missing.deeper",
    "operations[?createdAt == `1569866438.48`].resourceType",
    "contains(operations[*].status, 'Started')",
    "operations[0].id | starts_with(@, '4c3')",
    "type(operations[0].createdAt)",
    "not_null(missing, operations[0].status)",
    "operations[:1].resourceName",
    "operations[::-1].resourceName",
    "to_number('12')",
    "@",
]

RICH_EXPRESSIONS = [
    "@",
    "*",
    "keys(@)",
    "mid",
    "mid.*",
    "mid.c.y[-1]",
    "names",
    "names[0]",
    "names[4]",
    "sort(names)",
    "reverse(names)",
    "reverse(names[4])",
    "length(names[4])",
    "max(names)",
    "min(names)",
    "join('|', names)",
    "to_string(names)",
    "to_string(mid)",
    "to_string(@.floats)",
    "to_string(tags[2])",
    "floats",
    "floats[0]",
    "sort(floats)",
    "max(floats)",
    "min(floats)",
    "sum(floats)",
    "avg(floats)",
    "ints",
    "sum(ints)",
    "avg(ints)",
    "max(ints)",
    "min(ints)",
    "sort(ints)",
    "abs(ints[1])",
    "abs(num)",
    "ceil(num)",
    "floor(num)",
    "ceil(floats[5])",
    "floor(`1e300`)",
    "ints[2] > floats[5]",
    "ints[2] == `9007199254740992.0`",
    "ints[2] > `9007199254740992.0`",
    "`9007199254740993` == `9007199254740992.0`",
    "mixed",
    "sum(mixed)",
    "avg(mixed)",
    "max(mixed)",
    "sort(mixed)",
    "avg(`[1, 2]`)",
    "sum(`[]`)",
    "avg(`[]`)",
    "max(`[]`)",
    "nested[]",
    "nested[][]",
    "nested[*][0]",
    "nested[1][1][0]",
    "nested[0][1:2]",
    "nested[:2]",
    "nested[::2]",
    "nested[-2:]",
    "nested[10:]",
    "nested[::-2]",
    "nested[-100:100:3]",
    "tags[?value].key",
    "tags[?value==null].key",
    "tags[?key=='env'].value | [0]",
    "tags[*].[key, value]",
    "tags[*].{V: value, K: key}",
    "instances[?state.name=='running'].name",
    "instances[?cpu > `1`].name",
    "instances[?cpu >= `2` && ram < `5`].name",
    "instances[?cpu == `2` || zone == null].name",
    "instances[?!(state.name == 'running')].name",
    "instances[?tags].name",
    "instances[?contains(tags || `[]`, 'c')].name",
    "instances[*].tags[]",
    "instances[*].state.code",
    "instances[].state.name",
    "sort_by(instances, &ram)[*].name",
    "sort_by(instances, &name)[*].name",
    "max_by(instances, &cpu).name",
    "min_by(instances, &ram).name",
    "min_by(instances, &name).name",
    "instances | [0].{n: name, z: zone, s: state.name}",
    "instances[*].{name: name, ram: ram, cpu: cpu}",
    "instances[0] | keys(@)",
    "instances[0] | values(@)",
    "map(&cpu, instances)",
    "map(&state.code, instances)",
    "map(&[name, cpu], instances)",
    "instances[*].[name, ram] | sort_by(@, &[1])",
    "length(instances)",
    "length(str)",
    "length(mid)",
    "merge(mid, `{\"a\": 9, \"new\": true}`)",
    "merge(`{}`, mid.c)",
    "merge(empty)",
    "to_array(str)",
    "to_array(names)",
    "to_number(numstr)",
    "to_number(floatstr)",
    "numbers_as_strings[*].to_number(@)",
    "to_number(t)",
    "to_number(nul)",
    "to_string(`1e-07`)",
    "to_string(`\"x\"`)",
    "to_string(nul)",
    "type(@)",
    "[type(str), type(num), type(t), type(nul), type(names), type(mid)]",
    "ends_with(str, 'sail')",
    "starts_with(str, 'light')",
    "contains(str, 'ght')",
    "contains(ints, `1.0`)",
    "contains(bools, `0`)",
    "contains(`[1]`, `true`)",
    "not_null(nul, emptystr, str)",
    "not_null(nul)",
    "emptystr || 'default'",
    "emptylist && 'x'",
    "t && 'yes'",
    "f || nul",
    "!emptystr",
    "!`0`",
    "!`1`",
    "!nul",
    "!empty",
    "`0` == `false`",
    "`1` == `true`",
    "`[0]` == `[false]`",
    "`{\"a\": 1}` == `{\"a\": 1.0}`",
    "`1` == `1.0`",
    "str < 'M'",
    "str > `1`",
    "nul < `1`",
    "`[1]` < `2`",
    "'abc' < 'abd'",
    "`\"foo\"`",
    "`foo`",
    "`  bar`",
    "'raw \\' string'",
    "'back\\\\slash'",
    "`[1, {\"b\": 2, \"a\": 1}]`",
    "`{\"b\": 1, \"a\": 2, \"b\": 3}`",
    "`NaN`",
    "`-Infinity`",
    "`1e400`",
    "`123456789012345678901234567890`",
    "\"zeta\"",
    "\"mid\".\"b\"",
    "\"\\u00fcber\"",
    "{b: mid.b, a: mid.a, zz: zeta}",
    "{a: missing}",
    "missing.{a: b}",
    "missing.[a]",
    "[zeta, alpha, missing]",
    "*.a",
    "mid.c.*",
    "empty.*",
    "emptylist[*]",
    "str[0]",
    "str[*]",
    "mid[0]",
    "names[?@ == 'bob']",
    "names[?length(@) > `4`]",
    "ints[?@ > `1`]",
    "floats[?@ < `1`]",
    "bools[?@]",
    "[mid, zeta] | [0].b",
    "mid | c | y",
    "(mid.c).y",
    "`[1,2,3]` | [1:]",
    "[[1,2],[3]][]",
    "@.zeta",
    "mid.c.y[?@ > `1`] | [0]",
    "instances[:2].name | [1]",
    "sort_by(instances, &state.code)",
    "missing.to_string(@)",
    "missing.length(@)",
    "[&cpu][0] == [&cpu][0]",
    "length([&a, &b])",
    "type(&a)",
]

# Edge cases of Python semantics: repr of odd characters, int/float arithmetic, string to number.
EDGE_EXPRESSIONS = [
    '`["\\u0085", "\\u00a0x", "\\u200b", "\'", "\\"", "\'\\"", "\\u0001\\u007f", "\\ue000", "\\U0001F600"]` foo',
    'abs(`{"k\\u0085": ["\\u00ff", "\\u0100\\ufeff"]}`)',
    '`[1.0, 1e-07, 1e16, -0.0, 123456789012345678901234567890, true, null]` x',
    'abs(`[1e400, -1e400]`)',
    'to_string(`[1e400, NaN, "\\u00e9\\U0001F600", "\\u0000"]`)',
    '`"é"` | length(@)',
    "reverse('héllo😀')",
    'sort(`["b", "é", "a", "Z", "😀", "ä"]`)',
    'max(`["b", "é", "😀"]`)',
    'sort_by(`[{"a": "é"}, {"a": "e"}, {"a": "😀"}]`, &a)',
    "to_number('  12  ')",
    "to_number('1e5')",
    "to_number('0x10')",
    "to_number('١٢٣')",
    "to_number('1_000.5')",
    "to_number('nan')",
    "to_number('-inf')",
    "to_number('99999999999999999999999')",
    "to_number('9.9e999')",
    'avg(`[9007199254740993, 1]`)',
    'sum(`[9223372036854775807, 1]`)',
    'sum(`[9223372036854775807, 1.5]`)',
    'sum(`[1e308, 1e308]`)',
    'avg(`[1e308, 1e308]`)',
    'abs(`-9223372036854775808`)',
    'ceil(`-0.5`)',
    'floor(`1e20`)',
    'ceil(`123456789012345678901234567890`)',
    '`1` < `1.0000000000000002`',
    '`9007199254740993` < `9007199254740994.0`',
    '`[1, 2]` == `[1.0, 2.0]`',
    '`{"a": [true]}` == `{"a": [1]}`',
    'contains(`[1, 2]`, `2.0`)',
    'contains(`"abc"`, \'b\')',
    'merge(`{"a": 1, "b": 2}`, `{"b": 3, "c": 4}`, `{"a": 5}`)',
    'keys(merge(`{"z": 1}`, `{"a": 2}`))',
    'not_null(`[]`, `null`)',
    "join('', `[]`)",
    '`"\\t"`',
    "'\\t'",
    '"\\t"',
    '"a\\u0000b"',
    '`  foo bar`',
    '`  [1`',
    '`"a\\`b"`',
    '@[0:5]',
    "[?'a' < 'b']",
    "to_number('" + '0' * 4301 + "1')",
    "to_number('" + '1_' * 2200 + "1')",
    'a[-' + '0' * 10 + '1' * 4295 + ']',
    'a[' + '1' * 4301 + ']',
    '`' + '1' * 4301 + '`',
    '(' * 40 + 'zeta' + ')' * 40,
]

# Expressions jmespath.compile rejects (recorded with their messages and the CLI's stderr).
BAD_EXPRESSIONS = [
    "",
    "foo[",
    "foo.",
    "foo..bar",
    "foo[?",
    "foo[?a==]",
    "foo[1:2:3:4]",
    "foo[:::]",
    "foo]",
    "foo)",
    "(foo",
    "{a: b",
    "{a b}",
    "{1: a}",
    "[a, b",
    "foo |",
    "foo ||",
    "a && ",
    "=",
    "a = b",
    "a ! b",
    "-",
    "foo[-]",
    "#foo",
    "foo bar",
    "\"unterminated",
    "'unterminated",
    "`unterminated",
    "`{\"a\": }` ",
    "\"bad\\escape\"",
    "\"\\u12\"",
    "\"foo\"(bar)",
    "@(foo)",
    "foo.[*",
    "foo.*.bar[",
    "*]",
    "foo[*",
    "foo[1 2]",
    "foo{}",
    "foo.123",
    "foo[?a==`1`] ] ",
    "a ||| b",
    "`1` `2`",
    "foo.`\"x\"`",
    "&",
    "!",
    "é",
    "café.x",
    "foo[\u00e9]",
    "foo.\u00e9t\u00e9",
    "length(@,",
    "[?a]]",
    "a[?b]c",
    "foo.bar.baz baz",
    "'a'.'b'",
    "abs(-)",
    "a.b.(c)",
    "foo[0]bar",
    "1",
    "foo < ",
]

# Expressions that compile and mostly fail at search time (against the "rich" document).
RUNTIME_ERRORS = [
    "abs(str)",
    "abs(names)",
    "abs(`1`, `2`)",
    "abs()",
    "not_null()",
    "merge()",
    "unknown(@)",
    "avg(names)",
    "sum(mixed[*].to_string(@))",
    "max(bools)",
    "max(`[1, \"a\"]`)",
    "sort(`[\"a\", 1]`)",
    "sort_by(instances, &state)",
    "sort_by(instances, &tags)",
    "sort_by(`[{\"a\": 1}, {\"a\": \"x\"}]`, &a)",
    "max_by(`[{\"a\": 1}, {\"a\": \"x\"}]`, &a)",
    "min_by(`[{\"a\": \"x\"}, {\"a\": 2}]`, &a)",
    "max_by(instances, &state)",
    "join(',', ints)",
    "join(`1`, names)",
    "length(`1`)",
    "keys(names)",
    "contains(str, `1`)",
    "contains(`1`, str)",
    "starts_with(str, `1`)",
    "str < `1`",
    "num >= str",
    "nested[::0]",
    "map(cpu, instances)",
    "ceil(`NaN`)",
    "floor(`Infinity`)",
    "to_number(&a)",
    "merge(mid, 'ab')",
    "merge(mid, `1`)",
    "merge(mid, `[[\"k\", \"v\"], \"xy\"]`)",
    "merge(mid, `[[1]]`)",
    "reverse(`1`)",
    "type()",
    "values(str)",
    "min(empty)",
]


def record_case(document_name, expression):
    case = {"document": document_name, "expression": expression}
    try:
        compiled = jmespath.compile(expression)
    except Exception as error:  # jmespath raises ParseError subclasses and EmptyExpressionError
        case["parse_error"] = str(error)
        try:
            globalargs._resolve_query(expression)
            raise AssertionError('expected _resolve_query to fail for %r' % expression)
        except ValueError as cli_error:
            stream = io.StringIO()
            write_exception(cli_error, outfile=stream)
            case["cli_stderr"] = stream.getvalue()
        return case
    try:
        result = compiled.search(DOCUMENTS[document_name])
    except Exception as error:
        case["search_error"] = str(error)
        case["error_class"] = type(error).__name__
        return case
    try:
        case["result"] = json.dumps(result)
    except TypeError:
        case["unserializable"] = True
    return case


def main():
    cases = []
    for expression in SEED_EXPRESSIONS:
        cases.append(record_case("seed", expression))
    for expression in RICH_EXPRESSIONS + EDGE_EXPRESSIONS + BAD_EXPRESSIONS + RUNTIME_ERRORS:
        cases.append(record_case("rich", expression))
    for expression in BAD_EXPRESSIONS:
        assert "parse_error" in cases[[c["expression"] for c in cases].index(expression)], expression
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'corpus.json'), 'w') as f:
        json.dump({"documents": DOCUMENTS, "cases": cases}, f, indent=1)
        f.write('\n')

    overrides = {}
    for path in sorted(glob.glob(os.path.join(COMPLIANCE, '*.json'))):
        name = os.path.basename(path)
        with open(path) as f:
            suites = json.load(f)
        for si, suite in enumerate(suites):
            for ci, case in enumerate(suite['cases']):
                if 'bench' in case or 'error' in case:
                    continue
                actual = jmespath.search(case['expression'], suite['given'])
                if json.dumps(actual) != json.dumps(case['result']):
                    overrides['%s#%d#%d' % (name, si, ci)] = json.dumps(actual)
    with open(os.path.join(OUT, 'compliance_overrides.json'), 'w') as f:
        json.dump(overrides, f, indent=1, sort_keys=True)
        f.write('\n')
    print('%d corpus cases, %d compliance overrides' % (len(cases), len(overrides)), file=sys.stderr)


if __name__ == '__main__':
    main()
