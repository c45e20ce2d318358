# tests/quoth/checks.sh - the quoth command, sourced by tests/run (uses its
# check, $T and $SHARED): one chain, several chains, GNU parallel and the
# plain stage pipe must give byte-identical output; folders, --until,
# exit codes and records in = records out.

mkdir -p "$T/tree/b" "$T/tree/a" "$T/tree/.hid"
printf 'Second story.\n' > "$T/tree/b/2.txt"
printf 'First story.\n' > "$T/tree/a/1.txt"
printf '{"id":"j1","text":"One."}\n{"id":"j2","text":"Two."}\n' > "$T/tree/c.jsonl"
printf 'skipped\n' > "$T/tree/notes.md"
printf 'hidden\n' > "$T/tree/.hid/h.txt"
quoth -j 1 --until normalize "$T/tree" > "$T/out" 2> "$T/err"
check "quoth: folder order" '[ "$(jq -r .id "$T/out" | tr "\n" " ")" = "1 2 j1 j2 " ]'
quoth -j 3 --until tokenize "$T/tree/c.jsonl" "$T/tree/a" > "$T/out"
check "quoth: --until tokenize" '[ "$(jq -c "[.id, has(\"tokens\"), has(\"mentions\")]" "$T/out" | tr "\n" " ")" = "[\"j1\",true,false] [\"j2\",true,false] [\"1\",true,false] " ]'
quoth --until entities < "$T/tree/c.jsonl" | jq -c 'has("mentions") and (has("quotes") | not)' | sort -u > "$T/out"
check "quoth: stdin, --until entities" '[ "$(cat "$T/out")" = true ]'
quoth --help | grep -q '^usage: quoth ' && quoth --version | grep -q '^quoth [0-9]'
check "quoth: --help, --version" '[ $? = 0 ]'
quoth /nonexistent > /dev/null 2>&1; rc=$?
check "quoth: missing input exits 2" '[ $rc = 2 ]'
quoth -j 0 < /dev/null > /dev/null 2>&1; rc=$?
check "quoth: -j 0 exits 2" '[ $rc = 2 ]'
quoth --until tokenize --format csv < /dev/null > /dev/null 2>&1; rc=$?
check "quoth: csv needs quotes" '[ $rc = 2 ]'

# Bad lines become error records in every chain; --strict stops with 1.
printf '%s\n' '{"text":"ok"}' 'not json' '[1,2]' '{"text":5}' '' '{"id":"e","text":"fine"}' '{"text":"last"}' > "$T/mixed"
quoth -j 3 "$T/mixed" > "$T/out" 2> /dev/null; rc=$?
check "quoth -j 3: records in = records out" '[ $rc = 0 ] && [ $(wc -l < "$T/out") = 7 ] && [ $(grep -c "^{\"error\"" "$T/out") = 4 ]'
check "quoth -j 3: error records in place" '[ "$(jq -r ".id // .error.line" "$T/out" | tr "\n" " ")" = "$T/mixed:1 2 3 4 5 e $T/mixed:7 " ]'
quoth -j 3 --strict "$T/mixed" > "$T/out" 2> /dev/null; rc=$?
check "quoth --strict exits 1" '[ $rc = 1 ] && [ $(wc -l < "$T/out") = 1 ]'

if [ -d "$SHARED/corpus/polnear" ]; then
	in=$SHARED/corpus/polnear/dev-input.jsonl
	quoth-normalize "$in" | quoth-tokenize | quoth-entities | quoth-quotes > "$T/pipe"
	quoth -j 1 "$in" > "$T/j1"
	quoth -j 3 "$in" > "$T/j3"
	check "quoth -j 1 = the stage pipe" 'cmp -s "$T/pipe" "$T/j1"'
	check "quoth -j 3 = quoth -j 1" 'cmp -s "$T/j1" "$T/j3"'
	quoth --format tsv -j 2 "$in" > "$T/tsv"
	check "quoth --format tsv: one row per quote" '[ $(($(wc -l < "$T/tsv") - 1)) = $(jq ".quotes | length" "$T/j1" | paste -sd+ | bc) ]'
	if command -v parallel > /dev/null; then
		parallel --will-cite --pipe -j 4 --keep-order --block 40k quoth -j 1 < "$in" > "$T/par"
		check "GNU parallel --pipe -j 4 = one chain" 'cmp -s "$T/j1" "$T/par"'
	else
		bad "GNU parallel is not installed (make deps)"
	fi
	quoth -j 2 "$SHARED"/corpus/seeds/*.txt > "$T/seeds2"
	quoth-normalize "$SHARED"/corpus/seeds/*.txt | quoth-tokenize | quoth-entities | quoth-quotes > "$T/seeds1"
	check "quoth -j 2 on the seeds = the stage pipe" 'cmp -s "$T/seeds1" "$T/seeds2"'
fi

# A man page for every program, naming every option its --help names.
for b in quoth quoth-normalize quoth-tokenize quoth-entities quoth-quotes; do
	m=man/$b.1
	check "man page $m" '[ -f "$m" ]'
	for opt in $("$b" --help | grep -o -- '--[a-z0-9-]*' | sort -u); do
		check "$m names $opt" 'sed "s/\\\\-/-/g" "$m" | grep -q -- "$opt"'
	done
	if command -v groff > /dev/null; then
		check "$m renders without warnings" '[ -z "$(groff -man -Tutf8 -ww -z "$m" 2>&1)" ]'
	fi
done
