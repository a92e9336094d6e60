"""Records how the reference `aws` CLI reports --query problems, for tests/jmespath_cli_recorded.rs.

Run from the repo root:  python3 tests/record/jmespath_cli.py

Every run happens inside `unshare -n` (a private network namespace with only loopback) against a tiny
fake Lightsail endpoint on 127.0.0.1 started inside that namespace, with fake credentials and a
throwaway HOME, so nothing can leave the machine. Writes tests/data/jmespath/cli.json:
  {"document": the response document the query sees (recorded with --query '@'),
   "cases": [{"expression", "stdout", "stderr", "exit_code"}]}
"""
import json
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'tests', 'data', 'jmespath', 'cli.json')
PORT = 8765

# The response body the fake endpoint returns (keys already in the model's member order).
RESPONSE = {"operations": [{"id": "x1", "resourceName": "snap", "resourceType": "InstanceSnapshot",
                            "createdAt": 1569866438.48, "location": {"regionName": "us-west-2"},
                            "isTerminal": False, "status": "Started"}]}

SERVER = r'''
import http.server, sys
BODY = sys.argv[2].encode()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('content-length', 0)))
        self.send_response(200)
        self.send_header('Content-Type', 'application/x-amz-json-1.1')
        self.send_header('Content-Length', str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
    def log_message(self, *a):
        pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
'''

# Run inside the namespace: start the server, wait for it, run aws, stop the server.
RUNNER = r'''
ip link set lo up
python3 -c "$SERVER_CODE" "$PORT" "$BODY" >/dev/null 2>&1 </dev/null &
SERVER_PID=$!
python3 -c "
import socket, time
for _ in range(100):
    try:
        socket.create_connection(('127.0.0.1', $PORT), 0.1).close(); break
    except OSError:
        time.sleep(0.05)
"
aws "$@"
CODE=$?
kill $SERVER_PID
exit $CODE
'''

EXPRESSIONS = [
    # Expressions that do not compile.
    'foo[',
    '',
    'operations[?',
    'caf\u00e9[',
    '"bad\\q"',
    'foo.',
    '`{"a": }`x',
    '"f"(x)',
    'foo "\\ud800"',
    '(' * 490 + 'operations' + ')' * 490,
    '(' * 491 + 'operations' + ')' * 491,
    '[' * 326 + 'operations' + ']' * 326,
    '[' * 327 + 'operations' + ']' * 327,
    # Expressions that fail at search time.
    'abs(operations)',
    'operations[0].createdAt < operations[0].id',
    'operations[::0]',
    'foo(@)',
    'abs(@, @)',
    'not_null()',
    'ceil(`NaN`)',
    '!' * 486 + 'operations',
    '!' * 487 + 'operations',
    # Expressions that work.
    'operations[0].id',
    'operations[0].{b: status, a: id}',
]


def run_aws(query):
    home = tempfile.mkdtemp()
    env = {
        'PATH': os.environ['PATH'],
        'HOME': home,
        'AWS_EC2_METADATA_DISABLED': 'true',
        'AWS_ACCESS_KEY_ID': 'AKIDEXAMPLE',
        'AWS_SECRET_ACCESS_KEY': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'AWS_DEFAULT_REGION': 'us-west-2',
        'SERVER_CODE': SERVER,
        'PORT': str(PORT),
        'BODY': json.dumps(RESPONSE),
    }
    argv = ['unshare', '-n', 'sh', '-c', RUNNER, 'runner',
            'lightsail', 'create-instance-snapshot', '--instance-name', 'a',
            '--instance-snapshot-name', 'b', '--endpoint-url', 'http://127.0.0.1:%d' % PORT,
            '--query', query]
    done = subprocess.run(argv, env=env, capture_output=True, timeout=120)
    return done.stdout.decode(), done.stderr.decode(), done.returncode


def main():
    stdout, stderr, code = run_aws('@')
    assert code == 0, stderr
    document = json.loads(stdout)
    cases = []
    for expression in EXPRESSIONS:
        stdout, stderr, code = run_aws(expression)
        cases.append({'expression': expression, 'stdout': stdout, 'stderr': stderr, 'exit_code': code})
    with open(OUT, 'w') as f:
        json.dump({'document': document, 'cases': cases}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
