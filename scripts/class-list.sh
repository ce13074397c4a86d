# class-list.sh - the students in a submissions folder, as make grade-all and make
# similarity both name them (sourced, not run).
#
#   class_list DIR     fills class_ids[] and class_paths[] (one entry per student, in name
#                      order) and calls back, for the caller to word its own messages:
#                        class_skipped NAME REASON       an entry that is not a submission
#                        class_renamed NAME OTHER ID     two entries with the same id
#                        class_from_gradescope COUNT     DIR is Gradescope's export
#
# A student is a folder (the lab files anywhere in it) or an archive (.tar.gz, .tgz, .tar,
# .tar.xz, .txz, .zip); the id is the entry's name without the archive extension. In
# Gradescope's export (folders submission_NNN beside submission_metadata.yml) the id is the
# submitter's SID, else e-mail, else name, several submitters joined with +. An id names a
# folder and a CSV cell, so it is kept to a safe alphabet.

class_list() {
    local dir=$1 entry name id who folder
    local -A gs_id=() seen=()
    class_ids=() class_paths=()
    # submission_metadata.yml: "submission_NNN:" then "- :name: ...", ":sid: ...",
    # ":email: ..." lines beneath.
    if [[ -f $dir/submission_metadata.yml ]]; then
        while IFS=$'\t' read -r folder who; do
            [[ -n $folder && -n $who ]] && gs_id[$folder]=$who
        done < <(awk '
            function val(s) { sub(/^[^:]*:[a-z_]+:[[:space:]]*/, "", s); gsub(/^["\047]|["\047][[:space:]]*$/, "", s); return s }
            function flush() { if (folder != "") print folder "\t" (sid != "" ? sid : email != "" ? email : name) }
            /^[^[:space:]#-][^:]*:[[:space:]]*$/ { flush(); folder = $0; sub(/:[[:space:]]*$/, "", folder); sid = email = name = ""; next }
            /^[[:space:]-]*:sid:/   { v = val($0); if (v != "") sid = sid (sid != "" ? "+" : "") v }
            /^[[:space:]-]*:email:/ { v = val($0); if (v != "") email = email (email != "" ? "+" : "") v }
            /^[[:space:]-]*:name:/  { v = val($0); if (v != "") name = name (name != "" ? "+" : "") v }
            END { flush() }' "$dir/submission_metadata.yml")
        [[ ${#gs_id[@]} -gt 0 ]] && class_from_gradescope "${#gs_id[@]}"
    fi
    for entry in "$dir"/*; do
        [[ -e $entry || -L $entry ]] || continue
        name=$(basename "$entry")
        if [[ $name == submission_metadata.yml && ${#gs_id[@]} -gt 0 ]]; then
            continue
        elif [[ -L $entry ]]; then
            class_skipped "$name" "a symbolic link"
            continue
        elif [[ -d $entry ]]; then
            id=${gs_id[$name]:-$name}
        elif [[ -f $entry ]]; then
            case $name in
                *.tar.gz) id=${name%.tar.gz} ;;  *.tgz) id=${name%.tgz} ;;
                *.tar.xz) id=${name%.tar.xz} ;;  *.txz) id=${name%.txz} ;;
                *.tar) id=${name%.tar} ;;        *.zip) id=${name%.zip} ;;
                *) class_skipped "$name" "not a folder or an archive"; continue ;;
            esac
        else
            continue
        fi
        id=$(LC_ALL=C tr -c 'A-Za-z0-9._@+=-' '_' <<<"$id" | sed 's/_$//')
        [[ $id == .* || -z $id ]] && id=_$id
        if [[ -n ${seen[$id]:-} ]]; then
            class_renamed "$name" "${seen[$id]}" "$id-2"
            id=$id-2
        fi
        seen[$id]=$name
        class_ids+=("$id")
        class_paths+=("$entry")
    done
}
