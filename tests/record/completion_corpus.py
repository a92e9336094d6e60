#!/usr/bin/env python3
"""Records tests/data/completion/corpus.json: what the reference's completer answers for the first two
letters and all but the last letter of every top-level command name (where that is not itself a command:
a command typed out lists its subcommands, which this build knows only for lightsail and configure),
every prefix of every Lightsail operation name, and, for every operation,
its option list (`aws lightsail OP --`), each of its options typed out, and its option list once its first
option is used.

The reference's `awscli.completer.Completer` runs in-process (one driver for thousands of lines, which
takes seconds; the conformance corpus runs `aws_completer` itself for a few hundred lines). HOME is an
empty directory, so no profile exists. The recorder re-runs itself in a private network namespace.
Run from the repo root: python3 tests/record/completion_corpus.py
"""
import json
import os
import subprocess
import sys
import tempfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'completion', 'corpus.json')


def main():
    if os.environ.get('COMPLETION_CORPUS_SANDBOXED') != '1':
        env = dict(os.environ, COMPLETION_CORPUS_SANDBOXED='1')
        cmd = f'ip link set lo up; exec {sys.executable} {os.path.abspath(__file__)}'
        sys.exit(subprocess.run(['unshare', '-n', 'sh', '-c', cmd], env=env).returncode)
    os.environ['HOME'] = tempfile.mkdtemp()
    for name in ('AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE'):
        os.environ.pop(name, None)
    import awscli
    assert awscli.__version__ == '1.45.11', awscli.__version__
    from awscli.completer import Completer
    completer = Completer()

    lines = []
    seen = set()

    def add(line):
        if line not in seen:
            seen.add(line)
            lines.append(line)

    top = list(completer.main_help.command_table)
    for name in top:
        for prefix in (name[:2], name[:-1]):
            if prefix and prefix not in top:
                add('aws ' + prefix)
    service = completer.main_help.command_table['lightsail'].create_help_command()
    for op in service.command_table:
        for k in range(1, len(op) + 1):
            add('aws lightsail ' + op[:k])
        add(f'aws lightsail {op} --')
        arg_table = service.command_table[op].create_help_command().arg_table
        documented = [a for a, argument in arg_table.items() if not getattr(argument, '_UNDOCUMENTED', False)]
        for arg in documented:
            add(f'aws lightsail {op} --{arg}')
        add(f'aws lightsail {op} --{documented[0]} x --')
    corpus = [[line, ' \n'.join(completer.complete(line)) + '\n'] for line in lines]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, 'w') as f:
        f.write('[\n' + ',\n'.join(json.dumps(entry) for entry in corpus) + '\n]\n')
    print(f'{len(corpus)} lines, {os.path.getsize(OUT)} bytes')


if __name__ == '__main__':
    main()
