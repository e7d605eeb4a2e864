#!/usr/bin/env python3
"""Writes the relais(1) man page from the binary's own argument definitions (issue 16):

    relais-man.py RELAIS_BINARY > relais.1

It reads `relais --experimental-dump-help` (ArgumentParser's JSON of the whole command tree: the
same definitions the help and the completion scripts come from) and writes roff: NAME, SYNOPSIS,
DESCRIPTION, one subsection per command with its options (and their accepted values), EXIT STATUS
(from the root command's discussion) and ENVIRONMENT. Standard library only.
"""
import json
import os
import re
import subprocess
import sys


def roff(text):
    text = (text or "").replace("\\", "\\e")
    return "\n".join(("\\&" + line) if line.startswith((".", "'")) else line for line in text.split("\n"))


def names(arg):
    out = []
    for n in arg.get("names", []):
        out.append(("-" if n["kind"] == "short" else "--") + n["name"])
    return ", ".join(out)


def option_lines(arg):
    if arg.get("shouldDisplay") is False:
        return []
    label = names(arg)
    value = arg.get("valueName")
    if arg["kind"] == "positional":
        label = "<" + (value or "value") + ">"
    elif arg["kind"] == "option" and value:
        label += " <" + value + ">"
    lines = [".TP", "\\fB" + roff(label) + "\\fR"]
    text = arg.get("abstract", "")
    values = arg.get("allValueStrings") or arg.get("allValues")
    if values:
        text += " Values: " + ", ".join(values) + "."
    if arg.get("defaultValue"):
        text += " Default: " + arg["defaultValue"] + "."
    lines.append(roff(text.strip()))
    return lines


def command(cmd, path, out):
    full = " ".join(path)
    if len(path) > 1:
        out += [".SS " + roff(full), roff(cmd.get("abstract", ""))]
        if cmd.get("discussion"):
            out += [".PP", roff(cmd["discussion"])]
        args = [a for a in cmd.get("arguments", []) if a.get("shouldDisplay", True)
                and not any(n["name"] in ("help", "version") for n in a.get("names", []))]
        if args:
            out.append(".RS")
            for a in args:
                out += option_lines(a)
            out.append(".RE")
    for sub in cmd.get("subcommands", []):
        command(sub, path + [sub["commandName"]], out)


def main():
    binary = sys.argv[1]
    env = dict(os.environ, LANG="C")
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    tree = json.loads(subprocess.run([binary, "--experimental-dump-help"], capture_output=True, check=True, env=env).stdout)
    root = tree["command"]
    version = subprocess.run([binary, "--version"], capture_output=True, env=env).stdout.decode().strip()
    out = ['.TH RELAIS 1 "" "relais %s" "User Commands"' % roff(version),
           ".SH NAME", "relais \\- " + roff(root.get("abstract", "")),
           ".SH SYNOPSIS", "\\fBrelais\\fR \\fIcommand\\fR [\\fIoptions\\fR]",
           ".SH DESCRIPTION",
           roff("Every command that opens a profile takes --profile DIR, --passphrase-file FILE, --json and --lang fr|en. "
                "Organisations may be named by their name or a unique part of it; envelope, consent and declaration ids "
                "by their first 6 hex digits or more."),
           ".SH COMMANDS"]
    command(root, ["relais"], out)
    discussion = root.get("discussion", "")
    # "Exit status: 0 success, 64 usage error, 65 verification failure (a signature, ...), ...": one entry per number.
    items = re.split(r",\s*(?=\d+ )", discussion.split(":", 1)[-1].strip().rstrip("."))
    statuses = [m.groups() for m in (re.match(r"(\d+) (.+)", i.strip()) for i in items) if m]
    out.append(".SH EXIT STATUS")
    if statuses:
        for code, meaning in statuses:
            out += [".TP", "\\fB%s\\fR" % code, roff(meaning.strip())]
    else:
        out.append(roff(discussion))
    out += [".SH ENVIRONMENT",
            ".TP", "\\fBXDG_CONFIG_HOME\\fR, \\fBXDG_DATA_HOME\\fR",
            roff("Where a profile lives: keystore and settings in $XDG_CONFIG_HOME/relais, opened referrals in "
                 "$XDG_DATA_HOME/relais (~/.config and ~/.local/share when unset)."),
            ".TP", "\\fBRELAIS_HOME\\fR", roff("One directory for the whole profile, as --profile."),
            ".TP", "\\fBRELAIS_PASSPHRASE\\fR", roff("The passphrase, for tests and demos only; people are asked on the terminal, scripts use --passphrase-file."),
            ".TP", "\\fBLC_ALL\\fR, \\fBLC_MESSAGES\\fR, \\fBLANG\\fR", roff("French for fr*, English otherwise (unless --lang)."),
            ".TP", "\\fBTZ\\fR", roff("The time zone of dates shown (Europe/Paris when unset).")]
    print("\n".join(out))


if __name__ == "__main__":
    main()
