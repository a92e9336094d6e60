#!/usr/bin/env python3
"""Records how the reference `aws` (AWS CLI v1.45.11) resolves configuration, signs the request and reports
failures, into tests/data/call/<case>.json.

Each case runs `aws lightsail create-instance-snapshot` in a private network namespace (only loopback) with
a throwaway HOME, against a tiny loopback HTTP server that answers with scripted responses and records the
requests it got. The JSON file holds the case (env, files, args, server script) and the reference's exit
code, stdout, stderr and captured requests. Rust tests (tests/call_reference.rs) replay the same case with
`lightsail_cli::call` against the same scripted server and compare.

Run: python3 tests/record/call.py            (re-executes itself under `unshare -n`)
     python3 tests/record/call.py CASE...     (only those cases)
"""
import json, os, shutil, ssl, socket, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'data', 'call')
CASES = os.path.join(HERE, 'call_cases.json')

AKID = 'AKIDEXAMPLE'
SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'


class FullBacklog:
    """A listener that never accepts, with its backlog already full: connecting to it times out."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(0)
        self.port = self.sock.getsockname()[1]
        self.requests = []
        self.fill = []
        for _ in range(5):
            c = socket.socket()
            c.setblocking(False)
            try:
                c.connect(('127.0.0.1', self.port))
            except BlockingIOError:
                pass
            self.fill.append(c)
        time.sleep(0.3)

    def close(self):
        for c in self.fill:
            c.close()
        self.sock.close()


class Server:
    """Answers each connection with the next scripted response; records the requests."""

    def __init__(self, script, tls=False):
        self.script = list(script)
        self.tls = None
        if tls:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(os.path.join(OUT, 'tls', 'cert.pem'), os.path.join(OUT, 'tls', 'key.pem'))
        self.requests = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.stop = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.sock.settimeout(0.2)
        i = 0
        held = []
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            step = self.script[min(i, len(self.script) - 1)] if self.script else {'status': 200, 'body': '{}'}
            i += 1
            try:
                if self.tls:
                    conn.settimeout(5)
                    conn = self.tls.wrap_socket(conn, server_side=True)
                self.handle(conn, step, held)
            except (OSError, ssl.SSLError):
                conn.close()
        for conn in held:
            conn.close()

    def handle(self, conn, step, held):
        if True:
            conn.settimeout(5)
            data = b''
            while b'\r\n\r\n' not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            head, _, body = data.partition(b'\r\n\r\n')
            lines = head.decode('latin-1').split('\r\n')
            headers = []
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(':')
                headers.append([name, value.strip()])
                if name.lower() == 'content-length':
                    length = int(value)
            while len(body) < length:
                body += conn.recv(65536)
            self.requests.append({'request_line': lines[0], 'headers': headers, 'body': body.decode('utf-8')})
            if step.get('hang'):
                held.append(conn)
                return
            if step.get('close'):
                conn.close()
                return
            payload = step.get('body', '').encode('utf-8')
            resp_headers = step.get('headers', [['Content-Type', 'application/x-amz-json-1.1'],
                                                ['x-amzn-RequestId', '11111111-2222-3333-4444-555555555555']])
            out = 'HTTP/1.1 %s\r\n' % step.get('status_line', str(step.get('status', 200)) + ' X')
            for name, value in resp_headers:
                out += '%s: %s\r\n' % (name, value)
            if 'raw_chunks' in step:
                chunks = b''.join(b'%x\r\n%s\r\n' % (len(c.encode()), c.encode()) for c in step['raw_chunks'])
                conn.sendall(out.encode('latin-1') + b'\r\n' + chunks + b'0\r\n\r\n')
                conn.close()
                return
            out += 'Content-Length: %d\r\n\r\n' % len(payload)
            conn.sendall(out.encode('latin-1') + payload)
            conn.close()

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


def run_case(case):
    home = tempfile.mkdtemp()
    server = None
    try:
        port = 9
        if case.get('backlog_full'):
            server = FullBacklog()
            port = server.port
        elif 'server' in case:
            server = Server(case['server'], case.get('tls', False))
            port = server.port
        env = {
            'PATH': os.environ['PATH'],
            'HOME': home,
            'AWS_EC2_METADATA_DISABLED': 'true',
            'AWS_ACCESS_KEY_ID': AKID,
            'AWS_SECRET_ACCESS_KEY': SECRET,
            'AWS_DEFAULT_REGION': 'us-west-2',
        }
        for name, value in case.get('env', {}).items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value.replace('{HOME}', home).replace('{PORT}', str(port)).replace('{DATA}', os.path.abspath(OUT))
        for rel, text in case.get('files', {}).items():
            path = os.path.join(home, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as f:
                f.write(text.replace('{PORT}', str(port)).replace('{HOME}', home).replace('{DATA}', os.path.abspath(OUT)))
        data = os.path.abspath(OUT)
        args = [a.replace('{PORT}', str(port)).replace('{HOME}', home).replace('{DATA}', data) for a in case['args']]
        start = time.time()
        proc = subprocess.run(['aws', 'lightsail', 'create-instance-snapshot'] + args, env=env, cwd=home,
                              capture_output=True, timeout=120)
        elapsed = time.time() - start
        result = dict(case)
        result['rc'] = proc.returncode
        result['stdout'] = proc.stdout.decode('utf-8').replace(home, '{HOME}').replace(':%d' % port, ':{PORT}')
        result['stderr'] = proc.stderr.decode('utf-8').replace(home, '{HOME}').replace(':%d' % port, ':{PORT}')
        result['requests'] = server.requests if server else []
        for req in result['requests']:
            req['headers'] = [[n, v.replace(':%d' % port, ':{PORT}')] for n, v in req['headers']]
        cache_dir = os.path.join(home, '.aws', 'cli', 'cache')
        if os.path.isdir(cache_dir):
            result['cache_files'] = {}
            for name in sorted(os.listdir(cache_dir)):
                with open(os.path.join(cache_dir, name)) as f:
                    result['cache_files'][name] = f.read()
        result['port'] = port
        result['elapsed_seconds'] = round(elapsed, 1)
        return result
    finally:
        if server:
            server.close()
        shutil.rmtree(home, ignore_errors=True)


def main():
    if os.environ.get('CALL_RECORD_IN_NS') != '1':
        os.environ['CALL_RECORD_IN_NS'] = '1'
        cmd = 'ip link set lo up; exec "$@"'
        os.execvp('unshare', ['unshare', '-n', 'sh', '-c', cmd, 'sh', sys.executable] + sys.argv)
    with open(CASES) as f:
        cases = json.load(f)
    wanted = set(sys.argv[1:])
    os.makedirs(OUT, exist_ok=True)
    for case in cases:
        if wanted and case['name'] not in wanted:
            continue
        result = run_case(case)
        with open(os.path.join(OUT, case['name'] + '.json'), 'w') as f:
            json.dump(result, f, indent=1, ensure_ascii=False)
            f.write('\n')
        print('%-40s rc=%s %5.1fs %s' % (case['name'], result['rc'], result['elapsed_seconds'],
                                          result['stderr'].strip().splitlines()[-1:] if result['stderr'] else ''))


if __name__ == '__main__':
    main()
