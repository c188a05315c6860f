#!/usr/bin/env python3
"""Runs a command with its stderr on a pseudo-terminal (stdout discarded) and
writes what the terminal received, bytes escaped with repr(), to stdout; exits
with the command's exit code. Usage: pty_run.py COMMAND [ARGS...]"""
import os
import pty
import select
import subprocess
import sys

master, slave = pty.openpty()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
got = b""
while True:
    ready, _, _ = select.select([master], [], [], 0.5)
    if ready:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the slave side closed
            break
        if not chunk:
            break
        got += chunk
    elif proc.poll() is not None:
        break
sys.stdout.write(repr(got) + "\n")
sys.exit(proc.wait())
