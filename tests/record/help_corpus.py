#!/usr/bin/env python3
"""Records the reference's help pages for tests/data/help/.

For each page (`aws lightsail create-instance-snapshot help`, `aws lightsail help`, `aws help`) this writes:
  <name>.rst   the reStructuredText awscli generates (captured in-process from PosixHelpRenderer)
  <name>.roff  what docutils' man writer turns it into (the bytes awscli pipes into groff)
  <name>.txt   the reference CLI's stdout with PAGER=cat, run as a subprocess (the whole recorder
               re-runs itself in a private network namespace) (groff must be installed)
  <name>.nopager.txt  the same with no pager on PATH (raw print: output + "\n")
  <name>.rc    exit code of the CLI run

Run from the repo root: python3 tests/record/help_corpus.py
"""
import os
import shutil
import subprocess
import sys
import tempfile

from awscli import clidriver
from awscli import help as awshelp

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'help')

PAGES = {
    'create-instance-snapshot': ['lightsail', 'create-instance-snapshot', 'help'],
    'lightsail': ['lightsail', 'help'],
    'aws': ['help'],
}

SAFE_ENV = {
    'AWS_EC2_METADATA_DISABLED': 'true',
    'AWS_ACCESS_KEY_ID': 'AKIDEXAMPLE',
    'AWS_SECRET_ACCESS_KEY': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'AWS_DEFAULT_REGION': 'us-west-2',
}


def capture_in_process(argv):
    """Runs the driver in-process, capturing the RST and the roff instead of rendering."""
    captured = {}

    def render(self, contents):
        captured['rst'] = contents
        captured['roff'] = awshelp.publish_string(
            contents,
            writer=awshelp.manpage.Writer(),
            settings_overrides=self._DEFAULT_DOCUTILS_SETTINGS_OVERRIDES,
        )

    original = awshelp.PosixHelpRenderer.render
    awshelp.PosixHelpRenderer.render = render
    try:
        driver = clidriver.create_clidriver()
        driver.main(argv + ['--endpoint-url', 'http://127.0.0.1:9'])
    finally:
        awshelp.PosixHelpRenderer.render = original
    return captured['rst'], captured['roff']


def run_cli(argv, home, path, pager):
    env = dict(SAFE_ENV, HOME=home, PATH=path)
    if pager is not None:
        env['PAGER'] = pager
    args = ' '.join(argv)
    script = f'exec aws {args} --endpoint-url http://127.0.0.1:9'
    aws = shutil.which('aws')
    env['PATH'] = path + ':' + os.path.dirname(aws)
    p = subprocess.run(['sh', '-c', script], env=env, capture_output=True)
    return p


def main():
    if os.environ.get('HELP_CORPUS_SANDBOXED') != '1':
        # Re-run the whole recorder inside a private network namespace (loopback only).
        env = dict(os.environ, HELP_CORPUS_SANDBOXED='1')
        cmd = f'ip link set lo up; exec {sys.executable} {os.path.abspath(__file__)}'
        sys.exit(subprocess.run(['unshare', '-n', 'sh', '-c', cmd], env=env).returncode)
    os.makedirs(OUT, exist_ok=True)
    os.environ.update(SAFE_ENV)
    home = tempfile.mkdtemp()
    os.environ['HOME'] = home
    for name, argv in PAGES.items():
        rst, roff = capture_in_process(argv)
        with open(os.path.join(OUT, name + '.rst'), 'wb') as f:
            f.write(rst)
        with open(os.path.join(OUT, name + '.roff'), 'wb') as f:
            f.write(roff)
        # groff and cat are on the standard PATH.
        p = run_cli(argv, home, '/usr/local/bin:/usr/bin:/bin', 'cat')
        with open(os.path.join(OUT, name + '.txt'), 'wb') as f:
            f.write(p.stdout)
        with open(os.path.join(OUT, name + '.rc'), 'w') as f:
            f.write(f'{p.returncode}\n')
        if p.stderr:
            print(name, 'stderr:', p.stderr.decode(), file=sys.stderr)
        # No pager on PATH: PAGER names a program that does not exist.
        p = run_cli(argv, home, '/usr/local/bin:/usr/bin:/bin', 'no-such-pager-xyz')
        with open(os.path.join(OUT, name + '.nopager.txt'), 'wb') as f:
            f.write(p.stdout)
        print(name, len(rst), len(roff), p.returncode)


if __name__ == '__main__':
    main()
