#!/usr/bin/env python3
"""Records what CPython 3.11's ElementTree XMLParser (expat, encoding='utf-8', fed the whole body then
closed, as botocore's XML parsers use it) makes of a list of bodies, for src/python/xml.rs's tests:
the tree (tag, text, children) of a well-formed one, or the ParseError text of the rest.

Run from the repo root:  python3 tests/record/expat_corpus.py
Writes tests/data/python/expat.json.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

assert sys.version_info[:2] == (3, 11), sys.version

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

INPUTS = [
    b'', b' ', b'\n\n', b'\t', b'\r', b'hello', b'Forbidden', b'Service Unavailable', b'123', b'null',
    b'{', b'{"Credentials": {}}', b'[1]', b'(', b')', b'>', b'"x"', b"'x'", b'"x', b'|', b',', b'*',
    b'+', b'?', b'=', b'/', b'-', b'.', b'!', b']', b'&', b';', b'@', b'\\', b'}', b'$', b'x{', b'x>',
    b'x)', b'x,', b'x|', b'x[', b'x%', b'x+', b'x*', b'x?', b'x]', b'x=', b'x"', b'x:y', b'-x', b'.5',
    b'1x', b'x<a/>', b'\xc3\xa9', b'\xc3\xa9<',
    b'<', b'<a', b'<a>', b'<a>text', b'<a><b', b'<a></b>', b'<a><b></a>', b'<a>\n<b>\n</a>',
    b'<a>\r\n<b>\r\n</a>', b'<a>\r<b>\r</a>', b'<AssumeRoleResponse>', b'<html>',
    b'<html><body>Sign in</body></html>', b'<a/>junk', b'<a/> <b/>', b'<a/>  x', b'<a/>x\n',
    b'\n<a/>x', b'<a/>]', b'<a/>&amp;', b'<a/></a>', b'<a/><', b'<a/>\x00', b'<a/><!--x',
    b'<a/><![CDATA[x]]>', b'<a/><?xml version="1.0"?>', b'<a><b></b></a><!--x-->  ',
    b'<1/>', b'< a/>', b'<a b/>', b'<a b=c/>', b'<a b="c" b="d"/>', b'<a b="1"c="2"/>', b'<a/ >',
    b'<a b="x', b'<a b', b'<a b="<"/>', b'<a b="&"/>', b"<a b='x'/>", b'<a b="&amp;&#65;"/>',
    b'<a></a ', b'<a></a >', b'<a ></a>', b'<a\n/>', b'<a></a\n>', b'<a>x</a\n',
    b'<a>&nope;</a>', b'<a>&amp;&lt;&gt;&quot;&apos;&#65;&#x41;</a>', b'<a>&#0;</a>',
    b'<a>&#xD800;</a>', b'<a>&</a>', b'<a>& </a>', b'<a>&am</a>', b'<a>&amp', b'<a>&',
    b'<a>&#65</a>', b'<a>&#x;</a>', b'<a>&#a;</a>',
    b'<a><!-- x --></a>', b'<a><!-- x -- y --></a>', b'<a><!-- x', b'<a><?pi x', b'<a><?pi x?>y</a>',
    b'<a><![CDATA[x]]></a>', b'<a><![CDATA[x</a>', b'<a><![CDATA[x', b'<a><![CDATA[',
    b'<a>x<![CDATA[<y>]]>z</a>', b'<a>]]></a>', b'<a>\x01</a>', b'<a>\t\x0b</a>', b'<a>\xff</a>',
    b'<a>\xc3</a>', b'<a>\xc3', b'<a>\xef\xbf\xbe</a>', b'<a>\xed\xa0\x80</a>',
    b'<a>\xc3\xa9</a><', b'<\xc3\xa9/>', b'<a\xc3\xa9/>',
    b'<?xml version="1.0"?><a/>', b' <?xml version="1.0"?><a/>', b'<?xml version="1.0"',
    b'<?xml version="1.0" encoding="UTF-8"?>\n<a/>', b'<?xml?><a/>', b'<?pi?><a/>', b'<? ?><a/>',
    b'<?1?><a/>', b'<?x', b'<?x?', b'<a><?xml version="1.0"?></a>', b'\xef\xbb\xbf<a/>',
    b'<!-- c --><a/>', b'<!-- c -->', b'<!', b'<!x', b'<!--', b'<!DOCTYPE', b'<!DOCTYPE a',
    b'<!DOCTYPE a><a/>', b'<![CDATA[x]]>',
    b'<p:a/>', b'<p:a xmlns:p="u"/>', b'<a xmlns="u"><b/></a>', b'<xml:a/>', b'<a xml:lang="en"/>',
    b'<a p:x="1"/>', b'<a xmlns:p="u"><p:b>t</p:b></a>',
    b'<a>x</a>\n', b'<a/>\r\n', b'<a/>\n\n', b'<a>x</a>\n<!-- c -->',
    b'<a>one<b>two</b>three<c/>four</a>', b'<a>\n  <b>1</b>\n</a>', b'<a><b/><b>2</b></a>',
    b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
    b'<Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>r-1</RequestId>'
    b'</ErrorResponse>',
    b'<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <AssumeRoleResult>\n'
    b'    <Credentials><AccessKeyId>AKID</AccessKeyId><SecretAccessKey>s&amp;k</SecretAccessKey>'
    b'</Credentials>\n  </AssumeRoleResult>\n  <ResponseMetadata><RequestId>r</RequestId>'
    b'</ResponseMetadata>\n</AssumeRoleResponse>\n',
]


def tree(element):
    return [element.tag, element.text, [tree(child) for child in element]]


def outcome(body):
    try:
        parser = ET.XMLParser(target=ET.TreeBuilder(), encoding='utf-8')
        parser.feed(body)
        return {'tree': tree(parser.close())}
    except ET.ParseError as e:
        return {'error': str(e)}


cases = [dict(input_hex=body.hex(), **outcome(body)) for body in INPUTS]
path = os.path.join(ROOT, 'tests', 'data', 'python', 'expat.json')
with open(path, 'w') as f:
    json.dump(cases, f, indent=1, ensure_ascii=False)
    f.write('\n')
print(f'wrote {len(cases)} cases to {path}')
