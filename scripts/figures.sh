#!/usr/bin/env bash
# figures.sh - every lecture figure, from the reference solutions (make figures).
#
#   scripts/figures.sh [B=DIR] [QUICK=1] [--quick] [--lab NN]... [--out DIR]
#
# Runs each lab's experiment on solutions/ with the full Fashion-MNIST (the experiments
# fall back to the committed mini subset when the full set is missing, and this script
# says so loudly), writing every figure into figures/ (--out DIR or FIGURES_DIR=DIR for
# another folder) under the name the experiment gives it, so the names stay the same
# from run to run. It then prints one line per figure saying what it shows, writes the
# same list to figures/README.md, and gives the time each lab took.
#
# QUICK=1 (or --quick) passes --quick to the experiments: small sizes, seconds instead of
# minutes, for tests. --lab NN runs only that lab (repeat for several) and leaves the other
# labs' figures alone; without it the folder is emptied of old figures first.
#
# Line plots go through gnuplot. Without gnuplot the experiments keep each plot's .dat and
# .gp files (run `gnuplot NAME.gp` later) and still write every libpng image; this script
# then names the package to install. Exit status: 0 when every experiment ran, 1 otherwise
# (the other labs still run), 2 on a usage error.
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
        -h|--help) sed -n '2,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) echo "figures.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[[ $quick == 1 ]] && args=--quick || args=

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
# Stale figures would pass for fresh ones: a full run starts from an empty folder
# (the folder is this script's alone).
if [[ ${#only[@]} -eq 0 ]]; then
    find "$out" -maxdepth 1 -type f \( -name '*.png' -o -name '*.dat' -o -name '*.gp' -o -name '*.log' \) -delete
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
declare -A owner=()      # figure file -> the lab that wrote it (two labs must not share a name)
list=()                  # "file<TAB>lab<TAB>what<TAB>kind"
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
        name=$(basename "$file")
        if [[ -n ${owner[$name]:-} && ${owner[$name]} != "$lab" ]]; then
            echo "figures.sh: $lab and ${owner[$name]} both write $name: one overwrote the other" >&2
            failed+=("$lab (figure name clash: $name)")
        fi
        owner[$name]=$lab
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

# The list: printed, and kept beside the figures for whoever picks them for slides.
echo
echo "figures written into $out/:"
{
    echo "# Lecture figures"
    echo
    echo "Made by \`make figures\` (scripts/figures.sh) from the reference solutions on"
    if [[ $mini == 1 ]]; then echo "the **mini subset** of Fashion-MNIST (the full set was not installed)."
    else echo "the full Fashion-MNIST${args:+ (quick mode: small subsets, not for slides)}."; fi
    echo "Each experiment is in labs/NN-name/experiment.c; students make the same figures from"
    echo "their own code with \`make run LAB=NN\`."
    echo
    echo "| figure | lab | what it shows |"
    echo "|---|---|---|"
} >"$out/README.md.tmp"
for row in "${list[@]+"${list[@]}"}"; do
    IFS=$'\t' read -r name lab what kind <<<"$row"
    if [[ $kind == gp ]]; then
        printf '  %-28s %s  [not drawn: gnuplot missing; %s.dat + %s.gp kept]\n' "$name" "$what" "${name%.png}" "${name%.png}"
        printf '| %s (not drawn: run `gnuplot %s.gp`) | %s | %s |\n' "$name" "${name%.png}" "$lab" "$what" >>"$out/README.md.tmp"
    else
        printf '  %-28s %s\n' "$name" "$what"
        printf '| [%s](%s) | %s | %s |\n' "$name" "$name" "$lab" "$what" >>"$out/README.md.tmp"
    fi
done
mv -f "$out/README.md.tmp" "$out/README.md"

total=$((SECONDS - start))
echo
echo "figures: ${#list[@]} figures from ${#labs[@]} experiments in ${total}s (${times[*]}); list in $out/README.md, logs in $logs/"
if printf '%s\n' "${list[@]+"${list[@]}"}" | grep -q $'\tgp$'; then
    echo "figures: gnuplot is missing, so the line plots were not drawn: apt-get install gnuplot-nox (or make deps)," \
         "then make figures again (or run gnuplot on each .gp file in $out/)"
fi
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "figures: FAILED: ${failed[*]}" >&2
    exit 1
fi
exit 0
