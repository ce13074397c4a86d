#!/usr/bin/env bash
# class-report.sh - what a graded class got right and wrong, from make grade-all's output
# (make class-report).
#
#   scripts/class-report.sh [--out DIR] GRADE_ALL_DIR_OR_GRADEBOOK_CSV
#
# Reads the folder make grade-all wrote (gradebook.csv, and one folder per student with
# results/results.json and results/gradlab.tsv), or the path of its gradebook.csv. The
# students are the gradebook's rows; other folders are ignored. Writes DIR/class-report.md
# (DIR defaults to class-report/ beside the gradebook) with:
#   - how many students were graded (ok), graded with a lab that does not build
#     (build-error) or not graded (error); the mean and median total;
#   - per lab: mean, median, min and max score, how many got full marks and how many zero;
#   - every test, worst pass rate first, over the graded students (ok and build-error):
#     its points, public or hidden, how many fail it, and the most frequent failure: the
#     verdict and the first line of the grader's message (after its "called f(...)" line,
#     which says how the test called the function), with every number replaced by # (so
#     "expected 5, got 25" and "expected 5, got 26" count as one) and paths cut to the
#     file's name, with a real example; BUILD (the lab did not compile) counts as a
#     failure but is left out of the messages;
#   - per lab, how many test results were FAIL, TODO, CRASH, TIMEOUT, EXIT, FORBIDDEN,
#     BUILD and MISSING, and in how many students;
#   - the students not graded and those with a lab that does not build, with the
#     gradebook's detail;
#   - a grade-distribution histogram per lab (ten bins of a tenth of the lab's points)
#     and one for the total (bins of 10 points): DIR/figures/NAME.png drawn by gnuplot
#     from NAME.dat and NAME.gp, kept beside it (cd DIR/figures && gnuplot NAME.gp draws
#     it again). Without gnuplot the .dat and .gp files are still written and the report
#     says so.
# Everything comes from the grader's own files, never from what a student's code printed:
# of each test's output only the grader's message is read, up to "what the test printed".
# A re-run rewrites the report and the figures; the same input gives the same report.
# Exit status: 0 when the report was written, 1 when it could not be, 2 on a usage error.
set -euo pipefail

out=
usage() { sed -n '5p' "$0" | sed 's/^# *//'; }
while [[ $# -gt 0 ]]; do
    case $1 in
        --out) out=${2:?--out needs a directory}; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
        -*) echo "class-report: unknown option '$1'" >&2; usage >&2; exit 2 ;;
        *) break ;;
    esac
done
if [[ $# -ne 1 ]]; then
    echo "class-report: say which grade-all folder (or gradebook.csv) to read" >&2
    usage >&2
    exit 2
fi
src=$1
if [[ -d $src ]]; then
    csv=$src/gradebook.csv
else
    csv=$src
fi
if [[ ! -f $csv ]]; then
    echo "class-report: no gradebook in $src (make grade-all writes DIR/gradebook.csv)" >&2
    usage >&2
    exit 2
fi
if [[ -z $out ]]; then
    out=$(dirname "$csv")/class-report
fi
command -v python3 >/dev/null 2>&1 || { echo "class-report: python3 is needed" >&2; exit 1; }

exec python3 - "$csv" "$out" <<'PY'
import csv, json, math, os, re, shutil, statistics, subprocess, sys

csv_path, out_dir = sys.argv[1], sys.argv[2]
grade_dir = os.path.dirname(os.path.abspath(csv_path))
fig_dir = os.path.join(out_dir, "figures")
VERDICTS = ["FAIL", "TODO", "CRASH", "TIMEOUT", "EXIT", "FORBIDDEN", "BUILD", "MISSING"]


def die(msg, code=1):
    print(f"class-report: {msg}", file=sys.stderr)
    sys.exit(code)


# ---- the gradebook ----
try:
    with open(csv_path, newline="", encoding="utf-8", errors="replace") as f:
        rows = list(csv.reader(f))
except OSError as e:
    die(f"cannot read {csv_path}: {e}")
if not rows or rows[0][:1] != ["student"] or rows[0][-4:] != ["total", "max", "status", "detail"]:
    die(f"{csv_path} is not a grade-all gradebook (its first line should be "
        "student,<labs...>,total,max,status,detail)", 2)
header = rows[0]
labs = header[1:-4]                    # "01-knn", ...
lab_of_num = {l.split("-", 1)[0]: l for l in labs}
students = []
for r in rows[1:]:
    if not r:
        continue
    if len(r) != len(header):
        die(f"{csv_path}: the row of {r[0]!r} has {len(r)} cells, not {len(header)}")
    students.append(dict(zip(header, r)))
students.sort(key=lambda s: s["student"])


def num(s):
    try:
        v = float(s)
        return v if math.isfinite(v) else None
    except (TypeError, ValueError):
        return None


def fmt(x):
    """A score: at most two decimals, no trailing zeros."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


# ---- Markdown: text from the grader's files goes into table cells ----
def clean(s, limit=200):
    s = "".join(c if c.isprintable() else "?" for c in s)
    return s if len(s) <= limit else s[:limit - 3] + "..."


def md(s, limit=200):
    """Text for a table cell: no HTML, no cell border, no code span or emphasis, no link."""
    s = clean(s, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace("*", "\\*")
    s = s.replace("](", "]\\(")
    return re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", s)


def code(s, limit=200):
    s = clean(s, limit).replace("`", "'").replace("|", "\\|")
    return f"`{s}`" if s.strip() else "(no message)"


# A message's numbers (integers, decimals, exponents, nan, inf; shapes like 3x16) become #,
# and a file's path its name: "knn.c:88" for "/.../alice/work/labs/01-knn/knn.c:88".
SHAPE = re.compile(r"(?<![A-Za-z0-9_.])\d+(?:x\d+)+(?![A-Za-z0-9_])")
NUMBER = re.compile(r"(?<![A-Za-z0-9_.])[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?(?![A-Za-z0-9_])"
                    r"|(?<![A-Za-z0-9_])[-+]?(?:nan|inf(?:inity)?)(?![A-Za-z0-9_])", re.IGNORECASE)
PATH = re.compile(r"(?<![A-Za-z0-9_.~-])(?:~|\.{1,2})?(?:/[A-Za-z0-9_.@+=~-]+)+/(?=[A-Za-z0-9_.@+=~-])")


def short_paths(msg):
    return PATH.sub("", msg)


def normalise(msg):
    return NUMBER.sub("#", SHAPE.sub(lambda m: "x".join("#" for _ in m.group(0).split("x")), msg))


def failure_line(status, output):
    """The grader's message for a test, as one line. A test's output is "STATUS: message",
    then "\n\nwhat the test printed:\n" and what the student's code printed, which is cut
    off unread. A message that starts with the call the test made ("called f(...)", the
    same for everyone) is followed by what went wrong: that second line is the one kept.
    The lines after it (HINT, NOTE, while it ran) are left out."""
    text = (output or "").split("\n\nwhat the test printed:", 1)[0]
    lines = text.split("\n")
    first = lines[0].strip()
    if first.startswith(status + ":"):
        first = first[len(status) + 1:].strip()
    elif first == status:
        first = ""
    if first.startswith("called ") and len(lines) > 1 and lines[1].strip() and \
            not lines[1].startswith(("HINT: ", "NOTE: ", "while it ran: ")):
        return lines[1].strip()
    return first


# ---- each graded student's tests ----
notes = []
tests = {}        # (lab, name) -> {"lab", "name", "number", "order", "points", "visibility", "results": {student: (status, msg)}}
graded, build_error, errors = [], [], []
for s in students:
    sid, status = s["student"], s["status"]
    if status not in ("ok", "build-error"):
        errors.append(s)
        continue
    (build_error if status == "build-error" else graded).append(s)
    if "/" in sid or sid.startswith(".") or not sid:
        notes.append(f"{md(sid)}: not a folder name grade-all writes; its tests are left out")
        continue
    res = os.path.join(grade_dir, sid, "results")
    entries, json_error = [], None
    try:
        with open(os.path.join(res, "results.json"), encoding="utf-8", errors="replace") as f:
            data = json.load(f)
        for t in data.get("tests", []):
            number = str(t.get("number", ""))
            entries.append({
                "lab": number.split(".", 1)[0] if "." in number else "",
                "number": number,
                "name": str(t.get("name", "")),
                "points": num(t.get("max_score")) or 0.0,
                "status": str(t.get("gradlab_status", "")),
                "visibility": "public" if t.get("visibility", "visible") == "visible" else "hidden",
                "message": short_paths(failure_line(str(t.get("gradlab_status", "")), str(t.get("output", "")))),
            })
    except (OSError, ValueError, AttributeError, TypeError) as e:
        json_error = "missing" if isinstance(e, FileNotFoundError) else "unreadable"
        entries = []
    # The TSV (status, lab, score, max, name; the same order) gives the lab when the JSON
    # has no test number, and every test when the JSON cannot be read.
    tsv = []
    try:
        with open(os.path.join(res, "gradlab.tsv"), encoding="utf-8", errors="replace") as f:
            for line in f:
                c = line.rstrip("\n").split("\t")
                if len(c) >= 5:
                    tsv.append(c)
    except OSError:
        pass
    if json_error and tsv:
        notes.append(f"{md(sid)}: results/results.json is {json_error}: the tests come from results/gradlab.tsv, "
                     "without messages")
        for c in tsv:
            entries.append({"lab": c[1], "number": "", "name": c[4], "points": num(c[3]) or 0.0,
                            "status": c[0], "visibility": "?", "message": ""})
    elif json_error:
        notes.append(f"{md(sid)}: no readable results/results.json or results/gradlab.tsv: the tests leave "
                     "this student out (the scores, from the gradebook, count)")
    for i, e in enumerate(entries):
        if not e["lab"] and i < len(tsv) and tsv[i][4] == e["name"]:
            e["lab"] = tsv[i][1]
        lab = lab_of_num.get(e["lab"], e["lab"] or "?")
        key = (lab, e["name"])
        t = tests.get(key)
        if t is None:
            try:
                order = int(e["number"].split(".", 1)[1])
            except (IndexError, ValueError):
                order = 10 ** 6 + i
            t = tests[key] = {"lab": lab, "name": e["name"], "number": e["number"], "order": order,
                              "points": e["points"], "visibility": e["visibility"], "results": {}}
        if t["visibility"] == "?":
            t["visibility"] = e["visibility"]
        if not t["number"] and e["number"]:
            t["number"] = e["number"]
            try:
                t["order"] = int(e["number"].split(".", 1)[1])
            except (IndexError, ValueError):
                pass
        t["results"][sid] = (e["status"], e["message"])

counted = sorted(graded + build_error, key=lambda s: s["student"])
n_counted = len(counted)
counted_ids = {s["student"] for s in counted}
lab_index = {l: i for i, l in enumerate(labs)}


def lab_key(lab):
    return (lab_index.get(lab, len(labs)), lab)


lab_max = {}
for t in tests.values():
    lab_max[t["lab"]] = lab_max.get(t["lab"], 0.0) + t["points"]
total_max = max([num(s["max"]) or 0.0 for s in counted] or [0.0]) or sum(lab_max.values())


def stats(values):
    if not values:
        return None
    return {"mean": statistics.mean(values), "median": statistics.median(values),
            "min": min(values), "max": max(values)}


# ---- figures: a histogram per lab and one for the total ----
os.makedirs(fig_dir, exist_ok=True)
for f in os.listdir(fig_dir):       # this folder is the report's own: no stale figure stays
    if f.endswith((".png", ".dat", ".gp", ".log")):
        os.remove(os.path.join(fig_dir, f))
have_gnuplot = shutil.which("gnuplot") is not None


def gp_quote(s):
    return "'" + clean(s, 300).replace("'", "''") + "'"


def histogram(name, title, xlabel, values, top, width):
    """Writes figures/NAME.dat and NAME.gp and, with gnuplot, NAME.png. Returns the
    Markdown that shows the figure (or says why it is not drawn)."""
    nbins = max(1, math.ceil(top / width - 1e-9)) if top > 0 else 1
    counts = [0] * nbins
    for v in values:
        counts[min(nbins - 1, max(0, int(math.floor(v / width + 1e-9))))] += 1
    with open(os.path.join(fig_dir, name + ".dat"), "w") as f:
        f.write(f"# {title}\n# bin  from  to  students (the last bin includes its upper end)\n")
        for i, c in enumerate(counts):
            lo, hi = i * width, min(top, (i + 1) * width) if top > 0 else width
            f.write(f"{fmt(lo)}-{fmt(hi)}\t{fmt(lo)}\t{fmt(hi)}\t{c}\n")
    ymax = max(counts + [1])
    step = max(1, math.ceil(ymax / 10))
    with open(os.path.join(fig_dir, name + ".gp"), "w") as f:
        f.write(f"# Written by scripts/class-report.sh. To draw it again: cd into this folder, then gnuplot {name}.gp\n"
                "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
                "    set terminal pngcairo size 720,420 noenhanced font 'Sans,11'\n"
                "} else {\n"
                "    set terminal png size 720,420 noenhanced\n"
                "}\n"
                f"set output {gp_quote(name + '.png')}\n"
                f"set title {gp_quote(title)}\n"
                f"set xlabel {gp_quote(xlabel)}\n"
                "set ylabel 'students'\n"
                f"set yrange [0:{ymax * 1.15 + 0.5:.2f}]\n"
                f"set ytics {step}\n"
                f"set xrange [-0.6:{nbins - 1}.6]\n"
                "set style fill solid 0.7 border -1\n"
                "set boxwidth 0.85\n"
                "set grid ytics\n"
                "set xtics nomirror\n"
                "set ytics nomirror\n"
                f"plot {gp_quote(name + '.dat')} using 0:4:xtic(1) with boxes lc rgb '#3b75af' notitle, \\\n"
                "     '' using 0:4:(($4 > 0) ? sprintf('%d', $4) : '') with labels offset 0,0.8 notitle\n")
    where = f"figures/{name}"
    if not have_gnuplot:
        return (f"*{md(title)}: not drawn, gnuplot is not installed; its data and script are "
                f"`{where}.dat` and `{where}.gp` (`cd figures && gnuplot {name}.gp` draws it).*")
    log = os.path.join(fig_dir, name + ".log")
    with open(log, "w") as lf:
        try:
            rc = subprocess.run(["gnuplot", name + ".gp"], cwd=fig_dir, stdin=subprocess.DEVNULL,
                                stdout=lf, stderr=lf, timeout=120).returncode
        except (OSError, subprocess.TimeoutExpired) as e:
            rc = str(e)
    png = os.path.join(fig_dir, name + ".png")
    if rc != 0 or not os.path.isfile(png) or os.path.getsize(png) == 0:
        return f"*{md(title)}: gnuplot failed ({md(str(rc))}); see `{where}.log`, data in `{where}.dat`, script in `{where}.gp`.*"
    if os.path.getsize(log) == 0:
        os.remove(log)
    return f"![{md(title)}]({where}.png)"


# ---- the report ----
L = []
w = L.append
w("# Class report")
w("")
w(f"Made by `make class-report` (scripts/class-report.sh) from `{clean(os.path.basename(csv_path))}` "
  "and each student's `results/results.json` and `results/gradlab.tsv`, as make grade-all wrote them. "
  "Scores, verdicts and messages are the grader's; nothing a student's code printed is read.")
w("")
w(f"**{len(students)} students**: {len(graded)} graded (ok), {len(build_error)} graded with a lab that does "
  f"not build (build-error, that lab scores 0), {len(errors)} not graded (error).")
w("")
totals = [num(s["total"]) or 0.0 for s in counted]
st = stats(totals)
if st:
    w(f"Total over the {n_counted} graded students, out of {fmt(total_max)}: mean {fmt(st['mean'])}, "
      f"median {fmt(st['median'])}, min {fmt(st['min'])}, max {fmt(st['max'])}.")
else:
    w("No student was graded: there are no scores to summarise.")
w("")
figures = []     # (heading, markdown)
tw = 10.0 if total_max > 20 else max(total_max / 10, 0.01)
figures.append(("Total", histogram("total", f"total score, {n_counted} graded students",
                                   f"total (out of {fmt(total_max)}), bins of {fmt(tw)}", totals, total_max, tw)))

w("## Labs")
w("")
w(f"Over the {n_counted} graded students (a lab that does not build scores 0 and counts).")
w("")
w("| lab | out of | mean | median | min | max | full marks | zero |")
w("|---|--:|--:|--:|--:|--:|--:|--:|")
for lab in labs:
    vals = [num(s[lab]) or 0.0 for s in counted]
    top = lab_max.get(lab, 0.0) or max(vals or [0.0])
    st = stats(vals)
    if st:
        full = sum(1 for v in vals if top > 0 and v >= top - 1e-6)
        zero = sum(1 for v in vals if abs(v) < 1e-6)
        w(f"| {md(lab)} | {fmt(top)} | {fmt(st['mean'])} | {fmt(st['median'])} | {fmt(st['min'])} | "
          f"{fmt(st['max'])} | {full} | {zero} |")
    else:
        w(f"| {md(lab)} | {fmt(top)} | - | - | - | - | 0 | 0 |")
    width = top / 10 if top > 0 else 1.0
    figures.append((lab, histogram(f"lab-{lab}", f"{lab}: lab score, {n_counted} graded students",
                                   f"score (out of {fmt(top)}), bins of {fmt(width)}", vals, top, width)))
w("")

w("## Tests, worst first")
w("")
w(f"Pass rate over the graded students who ran the test (normally all {n_counted}), lowest first. "
  "\"Most frequent failure\" is the verdict and the grader's message most often given for it: its first "
  "line (after the line saying how the test called the function, when there is one), with every number "
  "replaced by `#` (so that `expected 5, got 25` and `expected 5, got 26` count as one) and file paths cut "
  "to the file's name; then how many students got it, and one real example; then how many failed the test "
  "with another message (\"other\") and how many because the lab did not compile (BUILD), which counts as "
  "a failure but never as the message.")
w("")
w("| # | test | lab | points | visibility | passed | pass rate | failing | most frequent failure |")
w("|---|---|---|--:|---|--:|--:|--:|---|")
order = []
for t in tests.values():
    ran = [sid for sid in t["results"] if sid in counted_ids]
    passed = sum(1 for sid in ran if t["results"][sid][0] == "PASS")
    t["ran"], t["passed"] = len(ran), passed
    t["rate"] = passed / len(ran) if ran else 1.0
    order.append(t)
order.sort(key=lambda t: (t["rate"], lab_key(t["lab"]), t["order"], t["name"]))
for t in order:
    failing = t["ran"] - t["passed"]
    groups = {}    # (verdict, normalised message) -> [count, first student's message]
    builds = 0
    for sid in sorted(t["results"]):
        status, msg = t["results"][sid]
        if status == "PASS":
            continue
        if status == "BUILD":
            builds += 1
            continue
        g = groups.setdefault((status, normalise(msg)), [0, msg])
        g[0] += 1
    if groups:
        # the most students; on a tie, the group met first in the students' order
        (status, pattern), (count, example) = max(groups.items(), key=lambda kv: kv[1][0])
        cell = f"{status} ({count}): {code(pattern)}"
        if pattern != example:
            cell += f", e.g. {code(example)}"
        others = sum(c for c, _ in groups.values()) - count
        if others:
            cell += f"; {others} other"
        if builds:
            cell += f"; BUILD ({builds})"
    elif builds:
        cell = f"BUILD ({builds}): the lab did not compile"
    else:
        cell = "-"
    rate = f"{100 * t['rate']:.0f} %" if t["ran"] else "-"
    w(f"| {md(t['number'] or '?')} | {md(t['name'])} | {md(t['lab'])} | {fmt(t['points'])} | {t['visibility']} | "
      f"{t['passed']}/{t['ran']} | {rate} | {failing} | {cell} |")
if not order:
    w("| - | no test results | | | | | | | |")
w("")

w("## Verdicts per lab")
w("")
w("Test results other than PASS over the graded students, by the grader's verdict: each cell is the number "
  "of test results, with the number of students in parentheses. FAIL: a wrong answer; TODO: the function "
  "is still the stub; CRASH, TIMEOUT, EXIT: the code crashed, did not finish in time, ended the process; "
  "FORBIDDEN: it tried something the sandbox forbids; BUILD: the lab did not compile; MISSING: a function "
  "is not defined.")
w("")
w("| lab | " + " | ".join(VERDICTS) + " |")
w("|---|" + "--:|" * len(VERDICTS))
allrow = {v: [0, set()] for v in VERDICTS}
for lab in sorted({t["lab"] for t in tests.values()} | set(labs), key=lab_key):
    row = {v: [0, set()] for v in VERDICTS}
    for t in tests.values():
        if t["lab"] != lab:
            continue
        for sid, (status, _) in t["results"].items():
            if sid in counted_ids and status in row:
                for r in (row, allrow):
                    r[status][0] += 1
                    r[status][1].add(sid)
    w(f"| {md(lab)} | " + " | ".join(f"{c} ({len(s)})" if c else "0" for c, s in row.values()) + " |")
w("| all labs | " + " | ".join(f"{c} ({len(s)})" if c else "0" for c, s in allrow.values()) + " |")
w("")

w("## Students not graded")
w("")
if errors:
    w(f"{len(errors)} student{'' if len(errors) == 1 else 's'} with the status error: not graded (see "
      "`<student>/run.log` and `<student>/results/gradlab.log` beside the gradebook). They are left out of "
      "everything above.")
    w("")
    w("| student | detail |")
    w("|---|---|")
    for s in errors:
        w(f"| {md(s['student'])} | {md(s['detail'] or '(none)', 400)} |")
else:
    w("None: every student was graded.")
w("")
w("## Students with a lab that does not build")
w("")
if build_error:
    w("| student | total | detail |")
    w("|---|--:|---|")
    for s in build_error:
        w(f"| {md(s['student'])} | {fmt(num(s['total']) or 0.0)} | {md(s['detail'] or '(none)', 400)} |")
else:
    w("None.")
w("")

w("## Grade distributions")
w("")
if have_gnuplot:
    w("Histograms drawn by gnuplot; each figure's data (`figures/NAME.dat`) and script (`figures/NAME.gp`) "
      "are kept beside it. To draw one again, after editing its script say: `cd figures && gnuplot NAME.gp`.")
else:
    w("**gnuplot is not installed, so the figures were not drawn.** Their data (`figures/NAME.dat`) and "
      "scripts (`figures/NAME.gp`) are written: install gnuplot (`apt-get install gnuplot-nox`, or make deps), "
      "then `cd figures && gnuplot *.gp`.")
w("")
for heading, fig in figures:
    w(f"### {md(heading)}")
    w("")
    w(fig)
    w("")
if notes:
    w("## Notes")
    w("")
    for n in notes:
        w(f"- {n}")
    w("")

os.makedirs(out_dir, exist_ok=True)
report = os.path.join(out_dir, "class-report.md")
with open(report + ".tmp", "w", encoding="utf-8") as f:
    f.write("\n".join(L).rstrip("\n") + "\n")
os.replace(report + ".tmp", report)

print(f"class-report: {len(students)} students: {len(graded)} ok, {len(build_error)} build-error, "
      f"{len(errors)} error; {len(tests)} tests")
print(f"class-report: wrote {report} and {len(figures)} figures in {fig_dir}/")
if not have_gnuplot:
    print(f"class-report: gnuplot is not installed: the figures were not drawn; their .dat and .gp files are in "
          f"{fig_dir}/ (apt-get install gnuplot-nox, then cd {fig_dir} && gnuplot *.gp)")
PY
