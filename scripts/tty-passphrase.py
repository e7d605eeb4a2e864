#!/usr/bin/env python3
"""Drives the built `relais` binary through a real pseudo-terminal (issue 16, passphrases):

    tty-passphrase.py RELAIS_BINARY PROFILE_DIR PASSPHRASE

The binary runs with standard input from /dev/null, its output to pipes, and the pseudo-terminal
as its controlling terminal (so /dev/tty is the pseudo-terminal), without RELAIS_PASSPHRASE.
Checks, printing one line per check and exiting 1 at the first failure:
  answer    the prompt comes on the terminal with echo off; the passphrase typed there opens the
            profile (`relais fingerprint --json`); it is never echoed; echo is on again after.
  interrupt at the prompt, Ctrl-C (typed on the terminal: the line discipline sends SIGINT) ends
            the process by SIGINT, and echo is on again.
Standard library only (pty, termios).
"""
import fcntl
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time


def fail(why):
    print("FAIL " + why)
    sys.exit(1)


def echo_on(fd):
    return bool(termios.tcgetattr(fd)[3] & termios.ECHO)


def spawn(binary, profile):
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("RELAIS_PASSPHRASE", "RELAIS_HOME")}
    env["LANG"] = "C"

    def controlling_terminal():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

    child = subprocess.Popen([binary, "fingerprint", "--json", "--profile", profile], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             preexec_fn=controlling_terminal, pass_fds=(slave,))
    return child, master, slave


def read_until(master, needle, seconds=30):
    seen = b""
    deadline = time.time() + seconds
    while needle not in seen:
        left = deadline - time.time()
        if left <= 0:
            fail("no %r on the terminal within %ds (saw %r)" % (needle, seconds, seen))
        ready, _, _ = select.select([master], [], [], left)
        if ready:
            try:
                chunk = os.read(master, 1024)
            except OSError:
                fail("terminal closed before %r (saw %r)" % (needle, seen))
            seen += chunk
    return seen


def drain(master):
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            return seen
        try:
            chunk = os.read(master, 1024)
        except OSError:
            return seen
        if not chunk:
            return seen
        seen += chunk


def wait_echo_off(slave, seconds=10):
    deadline = time.time() + seconds
    while echo_on(slave):
        if time.time() > deadline:
            fail("echo still on at the prompt")
        time.sleep(0.05)


def answer(binary, profile, passphrase):
    child, master, slave = spawn(binary, profile)
    shown = read_until(master, b"assphrase")
    wait_echo_off(slave)
    print("ok prompt on the terminal, echo off")
    os.write(master, passphrase.encode() + b"\n")
    out, err = child.communicate(timeout=60)
    shown += drain(master)
    if child.returncode != 0:
        fail("exit %d: %s" % (child.returncode, err.decode(errors="replace")))
    if b'"deviceId"' not in out:
        fail("no device id on standard output: %r" % out)
    print("ok the passphrase typed on the terminal opened the profile")
    if passphrase.encode() in shown or passphrase.encode() in out or passphrase.encode() in err:
        fail("the passphrase was echoed or printed")
    print("ok never echoed")
    if not echo_on(slave):
        fail("echo left off")
    print("ok echo on again")


def interrupt(binary, profile):
    child, master, slave = spawn(binary, profile)
    read_until(master, b"assphrase")
    wait_echo_off(slave)
    os.write(master, b"\x03")  # Ctrl-C, as typed
    try:
        child.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        fail("Ctrl-C did not end the process")
    if child.returncode != -signal.SIGINT:
        fail("ended with %d, not by SIGINT" % child.returncode)
    print("ok Ctrl-C ended it by SIGINT")
    if not echo_on(slave):
        fail("echo left off after Ctrl-C")
    print("ok echo on again after Ctrl-C")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    answer(sys.argv[1], sys.argv[2], sys.argv[3])
    interrupt(sys.argv[1], sys.argv[2])
