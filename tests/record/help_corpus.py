#!/usr/bin/env python3
"""Records the reference's help pages for tests/data/help/.

For each page (`aws lightsail create-instance-snapshot help`, `aws lightsail help`, `aws help`, and a few
more commands that exercise paging arguments, boolean flags and docutils warnings) this writes:
  <name>.rst   the reStructuredText awscli generates (captured in-process from PosixHelpRenderer)
  <name>.roff  what docutils' man writer turns it into (the bytes awscli pipes into groff)
  <name>.txt   the reference CLI's stdout with PAGER=cat, run as a subprocess (the whole recorder
               re-runs itself in a private network namespace) (groff must be installed)
  <name>.nopager.txt  the same with no pager on PATH (raw print: output + "\n")
  <name>.rc    exit code of the CLI run
  <name>.stderr  the CLI run's stderr (docutils warnings)

`aws help` deliberately differs in our binary (it lists only configure and lightsail, see
src/help/top_page.rs); the expected page for that is made by the same awscli machinery with that one
change applied:
  aws.this-build.{rst,roff,txt}

With `--all DIR` it instead writes <command>.rst and <command>.roff for every Lightsail command into DIR
(not committed; for `HELP_ALL_OPS_DIR=DIR cargo test --test help_pages all_operations -- --ignored`).

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
    # Paginated: --starting-token/--max-items and the paging note.
    'get-active-names': ['lightsail', 'get-active-names', 'help'],
    # Boolean flags: --x | --no-x.
    'get-regions': ['lightsail', 'get-regions', 'help'],
    # docutils warnings ("**``X`` **" in the model's documentation) on stderr and in the page.
    'create-certificate': ['lightsail', 'create-certificate', 'help'],
    # Nested structures, maps and enums in the options.
    'create-container-service': ['lightsail', 'create-container-service', 'help'],
    # aws configure and its subcommands (awscli's BasicCommand pages).
    'configure': ['configure', 'help'],
    'configure-list': ['configure', 'list', 'help'],
    'configure-get': ['configure', 'get', 'help'],
    'configure-set': ['configure', 'set', 'help'],
    'configure-add-model': ['configure', 'add-model', 'help'],
    # aws help topics and every topic (docutils warnings and errors included).
    'topics': ['help', 'topics'],
    'config-vars': ['help', 'config-vars'],
    'return-codes': ['help', 'return-codes'],
    's3-config': ['help', 's3-config'],
    's3-faq': ['help', 's3-faq'],
    's3-case-insensitivity': ['help', 's3-case-insensitivity'],
}

# The sentence src/help/top_page.rs puts in front of its list of the commands this build implements.
THIS_BUILD_NOTE = 'This build of the AWS CLI implements only the configure and lightsail commands.'


def capture_this_build_top_page():
    """`aws help` as our binary shows it: the reference's page listing only configure and lightsail, after
    the note."""
    from awscli import clidocs
    from awscli.bcdoc import docevents

    def doc_subitems_start(self, help_command, **kwargs):
        doc = help_command.doc
        doc.style.h2('Available Services')
        doc.write(THIS_BUILD_NOTE)
        doc.style.toctree()

    original_start = clidocs.ProviderDocumentEventHandler.doc_subitems_start
    original_generate = docevents.generate_events

    def generate_events(session, help_command):
        help_command.command_table = {name: help_command.command_table[name] for name in ('configure', 'lightsail')}
        return original_generate(session, help_command)

    clidocs.ProviderDocumentEventHandler.doc_subitems_start = doc_subitems_start
    awshelp.docevents.generate_events = generate_events
    try:
        return capture_in_process(['help'])
    finally:
        clidocs.ProviderDocumentEventHandler.doc_subitems_start = original_start
        awshelp.docevents.generate_events = original_generate

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
        args = ' '.join(sys.argv[1:])
        cmd = f'ip link set lo up; exec {sys.executable} {os.path.abspath(__file__)} {args}'
        sys.exit(subprocess.run(['unshare', '-n', 'sh', '-c', cmd], env=env).returncode)
    os.environ.update(SAFE_ENV)
    home = tempfile.mkdtemp()
    os.environ['HOME'] = home
    if len(sys.argv) == 3 and sys.argv[1] == '--all':
        record_all(sys.argv[2])
        return
    os.makedirs(OUT, exist_ok=True)
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
        with open(os.path.join(OUT, name + '.stderr'), 'wb') as f:
            f.write(p.stderr)
        # No pager on PATH: PAGER names a program that does not exist.
        p = run_cli(argv, home, '/usr/local/bin:/usr/bin:/bin', 'no-such-pager-xyz')
        with open(os.path.join(OUT, name + '.nopager.txt'), 'wb') as f:
            f.write(p.stdout)
        print(name, len(rst), len(roff), p.returncode)
    # Neither groff nor mandoc on PATH: only the interpreter's own bin directory (no coreutils either).
    bindir = os.path.dirname(sys.executable)
    env = dict(SAFE_ENV, HOME=home, PATH=bindir, PAGER='cat')
    p = subprocess.run([os.path.join(bindir, 'aws'), 'lightsail', 'create-instance-snapshot', 'help',
                        '--endpoint-url', 'http://127.0.0.1:9'], env=env, capture_output=True)
    for ext, data in (('stdout', p.stdout), ('stderr', p.stderr), ('rc', f'{p.returncode}\n'.encode())):
        with open(os.path.join(OUT, 'no-formatter.' + ext), 'wb') as f:
            f.write(data)
    rst, roff = capture_this_build_top_page()
    for ext, data in (('rst', rst), ('roff', roff)):
        with open(os.path.join(OUT, 'aws.this-build.' + ext), 'wb') as f:
            f.write(data)
    text = subprocess.run(['groff', '-m', 'man', '-T', 'ascii'], input=roff, capture_output=True).stdout
    with open(os.path.join(OUT, 'aws.this-build.txt'), 'wb') as f:
        f.write(text)


def record_all(directory):
    import json
    from botocore import xform_name
    from botocore.loaders import create_loader
    model = create_loader().load_service_model('lightsail', 'service-2')
    os.makedirs(directory, exist_ok=True)
    for operation in model['operations']:
        name = xform_name(operation, '-')
        rst, roff = capture_in_process(['lightsail', name, 'help'])
        with open(os.path.join(directory, name + '.rst'), 'wb') as f:
            f.write(rst)
        with open(os.path.join(directory, name + '.roff'), 'wb') as f:
            f.write(roff)


if __name__ == '__main__':
    main()
