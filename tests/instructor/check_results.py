#!/usr/bin/env python3
"""Checks a results.json against Gradescope's autograder schema, and what we expect of it.

    check_results.py RESULTS.json [--score X] [--lab NN=X]... [--min-tests N]
                     [--contains TEXT]... [--absent TEXT]... [--tsv FILE] [--log FILE]

Gradescope's format: a top-level "score" (number) or per-test scores, optional "output",
"visibility", "stdout_visibility", "extra_data", and "tests": a list of objects with
"score" and "max_score" (numbers), "name", "number", "output" (strings), "status"
("passed" or "failed"), "visibility" ("visible", "hidden", "after_due_date",
"after_published") and "execution_time" (a number). On top of the schema, gradlab's own
rules: with --log (the grader's report, which marks hidden tests) hidden tests are
"after_published" and public ones "visible"; the top-level score is
the sum of the tests' scores, no score is above its max_score, and --tsv FILE (the
grader's TSV) agrees test by test. Prints one line per problem; exits 1 when any.
"""
import json
import re
import sys

VIS = {"visible", "hidden", "after_due_date", "after_published"}


def main(argv):
    path = argv[0]
    opts = {"score": None, "lab": {}, "min_tests": 0, "contains": [], "absent": [], "tsv": None, "log": None}
    i = 1
    while i < len(argv):
        a, v = argv[i], argv[i + 1]
        if a == "--score":
            opts["score"] = float(v)
        elif a == "--lab":
            n, s = v.split("=")
            opts["lab"][n] = s
        elif a == "--min-tests":
            opts["min_tests"] = int(v)
        elif a == "--contains":
            opts["contains"].append(v)
        elif a == "--absent":
            opts["absent"].append(v)
        elif a == "--log":
            opts["log"] = v
        elif a == "--tsv":
            opts["tsv"] = v
        else:
            print(f"check_results: unknown option {a}")
            return 2
        i += 2

    problems = []
    raw = open(path, "rb").read()
    try:
        d = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        print(f"{path}: not valid JSON: {e}")
        return 1
    if not isinstance(d, dict):
        print(f"{path}: the top level is not an object")
        return 1
    num = (int, float)
    if not isinstance(d.get("score"), num) or isinstance(d.get("score"), bool):
        problems.append("no numeric top-level score")
    for k in ("output", "visibility", "stdout_visibility"):
        if k in d and not isinstance(d[k], str):
            problems.append(f"top-level {k} is not a string")
    for k in ("visibility", "stdout_visibility"):
        if k in d and d[k] not in VIS:
            problems.append(f"top-level {k} '{d[k]}' is not one of {sorted(VIS)}")
    tests = d.get("tests")
    if not isinstance(tests, list):
        problems.append("'tests' is not a list")
        tests = []
    total = 0.0
    per_lab = {}
    for t in tests:
        name = t.get("name", "?") if isinstance(t, dict) else "?"
        if not isinstance(t, dict):
            problems.append("a test is not an object")
            continue
        for k in ("score", "max_score", "execution_time"):
            if not isinstance(t.get(k), num) or isinstance(t.get(k), bool):
                problems.append(f"{name}: {k} is missing or not a number")
        for k in ("name", "number", "output"):
            if not isinstance(t.get(k), str):
                problems.append(f"{name}: {k} is missing or not a string")
        if t.get("status") not in ("passed", "failed"):
            problems.append(f"{name}: status '{t.get('status')}' is not passed/failed")
        if t.get("visibility") not in VIS:
            problems.append(f"{name}: visibility '{t.get('visibility')}' is not valid")
        if not isinstance(t.get("score"), num) or not isinstance(t.get("max_score"), num):
            continue
        if t["score"] > t["max_score"] + 1e-9 or t["score"] < 0:
            problems.append(f"{name}: score {t['score']} outside 0..{t['max_score']}")
        if (t.get("status") == "passed") != (t["score"] == t["max_score"]):
            problems.append(f"{name}: status {t.get('status')} with score {t['score']}/{t['max_score']}")
        total += t["score"]
        lab = name.split(" ", 1)[0]
        per_lab[lab] = per_lab.get(lab, 0.0) + t["score"]
    if isinstance(d.get("score"), num) and tests and abs(total - d["score"]) > 0.01:
        problems.append(f"score {d['score']} is not the sum of the tests' scores ({total})")
    if len(tests) < opts["min_tests"]:
        problems.append(f"{len(tests)} tests, expected at least {opts['min_tests']}")
    if opts["score"] is not None and abs(d.get("score", -1) - opts["score"]) > 0.01:
        problems.append(f"score {d.get('score')}, expected {opts['score']}")
    for lab, want in opts["lab"].items():
        got = per_lab.get(lab, 0.0)
        if want.startswith("<"):
            ok = got < float(want[1:])
        elif want.startswith(">"):
            ok = got > float(want[1:])
        else:
            ok = abs(got - float(want)) <= 0.01
        if not ok:
            problems.append(f"lab {lab} scored {got}, expected {want}")
    text = raw.decode("utf-8", "replace")
    for s in opts["contains"]:
        if s not in text:
            problems.append(f"does not mention '{s}'")
    for s in opts["absent"]:
        if s in text:
            problems.append(f"mentions '{s}', which must not be there")

    if opts["tsv"]:
        rows = [line.rstrip("\n").split("\t") for line in open(opts["tsv"], encoding="utf-8", errors="replace")]
        if len(rows) != len(tests):
            problems.append(f"{len(rows)} TSV lines but {len(tests)} tests")
        for r, t in zip(rows, tests):
            if len(r) < 5 or r[4] != t.get("name"):
                problems.append(f"TSV line {r[4:5]} does not match test {t.get('name')}")
                continue
            if abs(float(r[2]) - t.get("score", -1)) > 1e-6:
                problems.append(f"{r[4]}: TSV score {r[2]} vs JSON {t.get('score')}")
    if opts["log"]:
        # The grader's terminal report marks hidden tests "(hidden)": hidden tests must be
        # after_published, public ones visible.
        hidden = {}
        row = re.compile(r"^  ([A-Z]+) +(.*?) +[0-9.]+/[0-9.]+( \(hidden\))?( +[0-9.]+s)?$")
        for line in open(opts["log"], encoding="utf-8", errors="replace"):
            m = row.match(line.rstrip("\n"))
            if m:
                hidden[m.group(2)] = m.group(3) is not None
        nhidden = 0
        for t in tests:
            name = t.get("name")
            if name not in hidden:
                problems.append(f"{name}: not in the grader's report {opts['log']}")
                continue
            want = "after_published" if hidden[name] else "visible"
            nhidden += hidden[name]
            if t.get("visibility") != want:
                problems.append(f"{name}: visibility {t.get('visibility')}, expected {want}")
        if tests and nhidden == 0:
            problems.append("no hidden test ran")
    for p in problems:
        print(f"{path}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
