#!/usr/bin/env bash
# figures.sh - every lecture figure, from the reference solutions (make figures).
#
#   scripts/figures.sh [B=DIR] [QUICK=1] [--quick] [--lab NN]... [--out DIR]
#
# Runs each lab's experiment on solutions/ with the full Fashion-MNIST (the experiments
# fall back to the committed mini subset when the full set is missing, and this script
# says so loudly), through make run, so each lab's figures go into a folder of its own
# under figures/ (--out DIR or FIGURES_DIR=DIR for another folder): figures/NN-name/,
# or figures/NN-name-quick/ with --quick, under the names the experiment gives them.
# Each folder holds the experiment's index.md (its figures with captions, the data set,
# the values in use) and plots/, the gnuplot scripts and data (`gnuplot plots/NAME.gp`
# in that folder draws a figure again). The script then prints one line per figure,
# collects every lab's index.md into one page, figures/index.md, and the same as
# figures/index.html with the images inline, and gives the time each lab took.
#
# QUICK=1 (or --quick) passes --quick to the experiments: small sizes, seconds instead of
# minutes, for tests. --lab NN runs only that lab (repeat for several) and leaves the other
# labs' folders alone; without it the old lab folders are removed first.
#
# Line plots go through gnuplot. Without gnuplot the experiments keep each plot's .dat and
# .gp files in plots/ and still write every libpng image; this script then names the
# package to install. Exit status: 0 when every experiment ran, 1 otherwise (the other
# labs still run), 2 on a usage error.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

B=build
quick=${QUICK:-0}
out=${FIGURES_DIR:-figures}
only=()
while [[ $# -gt 0 ]]; do
    case $1 in
        B=*) B=${1#B=}; shift ;;
        QUICK=*) quick=${1#QUICK=}; shift ;;
        --quick) quick=1; shift ;;
        --out) out=${2:?--out needs a directory}; shift 2 ;;
        --lab) only+=("${2:?--lab needs a lab number}"); shift 2 ;;
        -h|--help) sed -n '2,24s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "figures.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[[ $quick == 1 ]] && args=--quick || args=
suffix=${args:+-quick}   # make run's folder for a quick run: NN-name-quick

# The labs, in order: labs/NN-name/ holding an experiment.c.
labs=()
for d in labs/[0-9][0-9]-*/; do
    d=${d%/}
    [[ -f $d/experiment.c ]] || continue
    n=$(basename "$d"); n=${n%%-*}
    if [[ ${#only[@]} -gt 0 ]]; then
        keep=0
        for o in "${only[@]}"; do [[ $o == "$n" ]] && keep=1; done
        [[ $keep == 1 ]] || continue
    fi
    labs+=("$(basename "$d")")
done
if [[ ${#labs[@]} -eq 0 ]]; then
    echo "figures.sh: no lab matches${only[*]:+ (--lab ${only[*]})}" >&2
    exit 2
fi

mkdir -p "$out"
# Stale figures would pass for fresh ones: a full run starts from an empty folder (the
# folder is this script's alone), and a lab run again starts from an empty lab folder.
if [[ ${#only[@]} -eq 0 ]]; then
    find "$out" -mindepth 1 -maxdepth 1 \( -type d -name '[0-9][0-9]-*' -o -type f \( -name '*.png' -o -name '*.dat' \
         -o -name '*.gp' -o -name '*.log' -o -name 'index.md' -o -name 'index.html' -o -name 'README.md' \) \) \
         -exec rm -rf {} +
else
    for lab in "${labs[@]}"; do rm -rf "${out:?}/$lab$suffix"; done
fi
# Each experiment's full output, kept with the other build output (not beside the figures,
# which are what an instructor copies into slides; figures/ is not in git).
logs=$B/figures-logs
mkdir -p "$logs"

have_gnuplot=1
command -v gnuplot >/dev/null 2>&1 || have_gnuplot=0
echo "figures: ${#labs[@]} experiments on the reference solutions${args:+ ($args)} into $out/"
[[ $have_gnuplot == 1 ]] || echo "figures: gnuplot is not installed: line plots are kept as .dat + .gp files (apt-get install gnuplot-nox)"

start=$SECONDS
failed=()
mini=0
list=()                  # "file<TAB>lab<TAB>what<TAB>kind", file relative to $out
times=()
for lab in "${labs[@]}"; do
    n=${lab%%-*}
    log=$logs/$lab.log
    t0=$SECONDS
    nice make --no-print-directory -s B="$B" _run LAB="$n" SOLUTIONS=1 OUT="$out" ARGS="$args" >"$log" 2>&1
    rc=$?
    dt=$((SECONDS - t0))
    times+=("$lab ${dt}s")
    grep -q 'NOTE: this is the small committed subset' "$log" && mini=1
    nfig=0
    while IFS= read -r line; do
        if [[ $line =~ ^\ \ wrote\ ([^:]+):\ (.*)$ ]]; then
            file=${BASH_REMATCH[1]} what=${BASH_REMATCH[2]} kind=png
        elif [[ $line =~ ^\ \ gnuplot\ not\ found:\ wrote\ the\ data\ and\ script\ for\ (.+\.png)\ \((.*)\)\.$ ]]; then
            file=${BASH_REMATCH[1]} what=${BASH_REMATCH[2]} kind=gp
        else
            continue
        fi
        name=${file#"$out"/}
        list+=("$name"$'\t'"$lab"$'\t'"$what"$'\t'"$kind")
        nfig=$((nfig + 1))
    done <"$log"
    if [[ $rc -ne 0 ]]; then
        failed+=("$lab")
        printf '  %-14s FAILED after %ss (status %s); the last lines of %s:\n' "$lab" "$dt" "$rc" "$log"
        tail -n 8 "$log" | sed 's/^/      /'
    else
        printf '  %-14s %2d figures in %ss\n' "$lab" "$nfig" "$dt"
    fi
done

if [[ $mini == 1 ]]; then
    echo
    echo "*** figures: the full Fashion-MNIST was not found, so these figures come from the SMALL"
    echo "*** committed subset (data/fashion-mnist-mini): not for slides. Install it with"
    echo "*** make deps (package dataset-fashion-mnist) and run make figures again."
fi

# The list: printed, and collected into one page for whoever picks figures for slides.
echo
echo "figures written into $out/:"
for row in "${list[@]+"${list[@]}"}"; do
    IFS=$'\t' read -r name lab what kind <<<"$row"
    if [[ $kind == gp ]]; then
        printf '  %-40s %s  [not drawn: gnuplot missing; plots/%s.dat + .gp kept]\n' "$name" "$what" "$(basename "${name%.png}")"
    else
        printf '  %-40s %s\n' "$name" "$what"
    fi
done

# html TEXT: TEXT with &, < and > escaped
html() { local s=${1//&/&amp;}; s=${s//</&lt;}; printf '%s' "${s//>/&gt;}"; }
if [[ $mini == 1 ]]; then source_line="the **mini subset** of Fashion-MNIST (the full set was not installed): not for slides."
else source_line="Fashion-MNIST${args:+ (quick mode: small subsets, not for slides)}."; fi
{
    echo "# Lecture figures"
    echo
    echo "Made by \`make figures\` (scripts/figures.sh) from the reference solutions on $source_line"
    echo "Each lab's figures are in a folder of its own, with the experiment's own index.md; a line"
    echo "plot or heat map is drawn again (after editing its script, say) by \`gnuplot plots/NAME.gp\`"
    echo "in that folder. Students make the same figures from their own code with \`make run LAB=NN\`."
    echo
    echo "| figure | lab | what it shows |"
    echo "|---|---|---|"
    for row in "${list[@]+"${list[@]}"}"; do
        IFS=$'\t' read -r name lab what kind <<<"$row"
        if [[ $kind == gp ]]; then printf '| %s (not drawn: gnuplot missing) | %s | %s |\n' "$name" "$lab" "$what"
        else printf '| [%s](%s) | %s | %s |\n' "$name" "$name" "$lab" "$what"; fi
    done
    # Each lab's index.md, its headings one level down and its links made relative to $out.
    for d in "$out"/[0-9][0-9]-*/; do
        d=${d%/}
        [[ -s $d/index.md ]] || continue
        sub=$(basename "$d")
        echo
        sed -e 's/^#/##/' -e "s#](\\([^)/][^)]*\\))#]($sub/\\1)#g" \
            -e "s#^Redraw: \`gnuplot plots/#Redraw: \`cd $sub \\&\\& gnuplot plots/#" "$d/index.md"
    done
} >"$out/index.md.tmp" && mv -f "$out/index.md.tmp" "$out/index.md"

{
    echo '<!DOCTYPE html>'
    echo '<html lang="en"><head><meta charset="utf-8"><title>gradlab: lecture figures</title>'
    echo '<style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}img{max-width:100%;border:1px solid #ddd}'
    echo 'figure{margin:1.5em 0}figcaption{color:#333;margin-top:.3em}code{background:#f4f4f4}.meta{color:#555;font-size:90%}</style>'
    echo '</head><body>'
    echo '<h1>Lecture figures</h1>'
    printf '<p>Made by <code>make figures</code> from the reference solutions on %s Redraw a plot with <code>gnuplot plots/NAME.gp</code> in its lab folder.</p>\n' \
        "$(html "${source_line//\*\*/}")"
    for d in "$out"/[0-9][0-9]-*/; do
        d=${d%/}
        [[ -s $d/index.md ]] || continue
        sub=$(basename "$d")
        printf '<h2 id="%s">%s</h2>\n<p class="meta">' "$sub" "$(html "$sub")"
        grep -E '^- (data|values in use|run):' "$d/index.md" | sed 's/^- //' | while IFS= read -r l; do printf '%s<br>' "$(html "$l")"; done
        printf '</p>\n'
        for row in "${list[@]+"${list[@]}"}"; do
            IFS=$'\t' read -r name lab what kind <<<"$row"
            [[ $name == "$sub"/* ]] || continue
            if [[ $kind == gp ]]; then
                printf '<figure><figcaption><b>%s</b>: %s (not drawn: gnuplot is missing)</figcaption></figure>\n' \
                    "$(html "${name#*/}")" "$(html "$what")"
            else
                printf '<figure><img src="%s" alt="%s" loading="lazy"><figcaption><b>%s</b>: %s</figcaption></figure>\n' \
                    "$(html "$name")" "$(html "$what")" "$(html "${name#*/}")" "$(html "$what")"
            fi
        done
    done
    echo '</body></html>'
} >"$out/index.html.tmp" && mv -f "$out/index.html.tmp" "$out/index.html"

total=$((SECONDS - start))
echo
echo "figures: ${#list[@]} figures from ${#labs[@]} experiments in ${total}s (${times[*]}); one page: $out/index.md and $out/index.html, logs in $logs/"
if printf '%s\n' "${list[@]+"${list[@]}"}" | grep -q $'\tgp$'; then
    echo "figures: gnuplot is missing, so the line plots were not drawn: apt-get install gnuplot-nox (or make deps)," \
         "then make figures again (or run gnuplot plots/NAME.gp in each lab folder of $out/)"
fi
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "figures: FAILED: ${failed[*]}" >&2
    exit 1
fi
exit 0
