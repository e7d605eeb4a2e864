#!/usr/bin/env python3
"""Drives the built `relais` binary through a real pseudo-terminal (issue 16, guided mode):

    guided.py SCENARIO.json

SCENARIO is {"argv": [binary, args...], "env": {...}, "steps": [[verb, text], ...], "timeout": s}
with the verbs
  expect   wait until TEXT (exact, not a pattern) is on the terminal
  send     type TEXT and Enter
  eof      type Ctrl-D (end of input at the start of a line)
The child's standard input, output and error are the pseudo-terminal (pexpect.spawn), so it sees
a terminal as a person's shell gives it. Prints one JSON object: {"ok", "failed", "status",
"transcript"}; "failed" says which step timed out or met the end of the output, "status" is the
exit status (null when a signal ended it). Never fails itself: the Swift test reads the result.
"""
import json
import sys

import pexpect


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        scenario = json.load(f)
    argv = scenario["argv"]
    child = pexpect.spawn(argv[0], argv[1:], env=scenario["env"], encoding="utf-8",
                          timeout=scenario.get("timeout", 60), dimensions=(50, 200))
    transcript = []
    child.logfile_read = Log(transcript)
    failed = None
    for index, (verb, text) in enumerate(scenario["steps"]):
        try:
            if verb == "expect":
                child.expect_exact(text)
            elif verb == "send":
                child.sendline(text)
            elif verb == "eof":
                child.sendeof()
            else:
                failed = "step %d: unknown verb %r" % (index, verb)
                break
        except pexpect.TIMEOUT:
            failed = "step %d: no %r within %ss" % (index, text, child.timeout)
            break
        except pexpect.EOF:
            failed = "step %d: the program ended before %r" % (index, text)
            break
    if failed is not None:
        child.terminate(force=True)
    try:
        child.expect(pexpect.EOF, timeout=scenario.get("timeout", 60))
    except pexpect.TIMEOUT:
        failed = failed or "the program did not end"
        child.terminate(force=True)
    child.close()
    print(json.dumps({"ok": failed is None, "failed": failed, "status": child.exitstatus,
                      "transcript": "".join(transcript)}, ensure_ascii=False))


class Log:
    """pexpect's logfile_read: keeps what the terminal showed."""

    def __init__(self, parts):
        self.parts = parts

    def write(self, text):
        self.parts.append(text)

    def flush(self):
        pass


if __name__ == "__main__":
    main()
