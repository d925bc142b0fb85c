#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The dpdk-tcpcopy authors
"""The option tables of docs/usage.md, generated from the apps' own --help.

    help_table.py BUILD_DIR DOC --check    exit 1 when the tables in DOC differ from --help
    help_table.py BUILD_DIR DOC --update   rewrite the tables in DOC

Each table sits between "<!-- options: APP -->" and "<!-- end options: APP -->" in DOC.
"""

import re
import subprocess
import sys

APPS = {
    "dpdk-tcpcopy": "app/copy/dpdk-tcpcopy",
    "dpdk-intercept": "app/intercept/dpdk-intercept",
}


def help_text(build, app):
    r = subprocess.run([build + "/" + APPS[app], "--", "--help"], capture_output=True,
                       text=True, timeout=30)
    if r.returncode != 0:
        raise RuntimeError("%s --help exited %d" % (app, r.returncode))
    return r.stdout


def parse(text):
    """[(section, option, description)] from the help's layout: "Section:" at column 0,
    options indented by 2 (or 6 without a short form), descriptions by 8."""
    rows, section = [], None
    for line in text.splitlines():
        if re.match(r"^[A-Z][^:]*:$", line):
            section = line[:-1]
        elif re.match(r"^ {2,6}-", line) and section is not None:
            rows.append([section, line.strip(), ""])
        elif line.startswith("        ") and rows and section is not None:
            rows[-1][2] = (rows[-1][2] + " " + line.strip()).strip()
        elif not line.strip():
            section = None if not rows or rows[-1][0] != section else section
    return rows


def md_escape(s):
    return s.replace("|", "\\|")


def table(app, rows):
    out = ["| %s option | meaning (from `%s -- --help`) |" % (app, app), "|---|---|"]
    last = None
    for section, opt, desc in rows:
        if section != last:
            out.append("| **%s** | |" % section)
            last = section
        out.append("| `%s` | %s |" % (md_escape(opt), md_escape(desc)))
    return "\n".join(out)


def long_options(text):
    return set(re.findall(r"--([a-z][a-z0-9-]*)", text))


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("--check", "--update"):
        sys.stderr.write(__doc__)
        return 2
    build, doc, mode = sys.argv[1:]
    content = open(doc).read()
    ok = True
    for app in APPS:
        begin, end = "<!-- options: %s -->" % app, "<!-- end options: %s -->" % app
        m = re.search(re.escape(begin) + r"\n(.*?)" + re.escape(end), content, re.S)
        if m is None:
            print("%s: no %s ... %s section" % (doc, begin, end))
            ok = False
            continue
        text = help_text(build, app)
        rows = parse(text)
        want = table(app, rows) + "\n"
        if mode == "--update":
            content = content[:m.start(1)] + want + content[m.end(1):]
            continue
        have_opts = long_options(m.group(1))
        help_opts = long_options("\n".join(r[1] for r in rows))
        all_help = long_options("\n".join(l for l in text.splitlines()
                                          if re.match(r"^ {2,6}-", l)))
        missing = sorted(all_help - have_opts)
        extra = sorted(have_opts - help_opts)
        print("%s: %d options in --help, %d in the table of %s" % (app, len(all_help),
                                                                 len(have_opts), doc))
        if missing or extra:
            print("  missing from the doc: %s; not in --help: %s"
                  % (" ".join(missing) or "none", " ".join(extra) or "none"))
            ok = False
        if m.group(1) != want:
            print("  the table's text differs from --help: run "
                  "tests/e2e/help_table.py BUILD %s --update" % doc)
            ok = False
    if mode == "--update":
        open(doc, "w").write(content)
        return 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
