#!/usr/bin/env python3
# fake_postdrop.py - stands in for "postdrop -r" when smtpd_session.py runs
# smtpd in stand-alone mode (-S): greets with the postdrop protocol and a
# queue id, reads queue-file records from smtpd until the end record, and
# answers with status 0. Nothing is stored: the point is that smtpd gets
# through DATA and BDAT so their parsers see the fuzzed input too.
import sys

inp = sys.stdin.buffer
out = sys.stdout.buffer
out.write(b"protocol\0postdrop_protocol\0queue_id\0FUZZ0001\0\0")
out.flush()
while True:
    t = inp.read(1)
    if not t:
        sys.exit(0)
    n, shift = 0, 0
    while True:
        b = inp.read(1)
        if not b:
            sys.exit(0)
        n |= (b[0] & 0x7F) << shift
        shift += 7
        if not b[0] & 0x80:
            break
    if len(inp.read(n)) != n:
        sys.exit(0)
    if t == b"E":
        break
out.write(b"status\0" + b"0\0reason\0\0\0")
out.flush()
