# tests/hostile/checks.sh - hostile inputs too big to commit, made at test
# time in $T; sourced by tests/run (uses its check and $T). The small ones
# are golden tests beside this file.

# A line of 100 MB is over --max-record (32 MiB of text): every stage makes
# it an error record that keeps the whole line, says so on stderr with
# file:line, and goes on; the error record then passes the next stages
# unchanged.
awk 'BEGIN { printf "{\"id\":\"huge\",\"text\":\""; s = "Word said so. "; while (length(s) < 1000000) s = s s;
	for (i = 0; i < 100; i++) printf "%s", substr(s, 1, 1000000); printf "\"}\n{\"id\":\"next\",\"text\":\"Fine.\"}\n" }' > "$T/huge"
hsize=100000000
quoth-normalize "$T/huge" > "$T/huge.n" 2> "$T/err"; rc=$?
check "100 MB line: normalize records in = records out" '[ $rc = 0 ] && [ $(wc -l < "$T/huge.n") = 2 ]'
check "100 MB line: normalize error record" '[ "$(head -n 1 "$T/huge.n" | jq -r .error.message)" = "text of $hsize bytes is over the limit of 32 MiB (--max-record)" ]'
check "100 MB line: error record keeps the line" '[ "$(head -n 1 "$T/huge.n" | jq -r .raw | cmp - "$T/huge" 2>&1 | grep -c "EOF on -")" = 1 ]'
check "100 MB line: stderr says file:line" 'grep -qx "quoth-normalize: $T/huge:1: text of $hsize bytes is over the limit of 32 MiB (--max-record)" "$T/err"'
check "100 MB line: next record fine" '[ "$(tail -n 1 "$T/huge.n" | jq -r .text)" = Fine. ]'
for s in tokenize entities quotes; do
	quoth-$s "$T/huge" 2> "$T/err" | head -n 1 | jq -r .error.message > "$T/out"
	check "100 MB line: $s error record" '[ "$(cat "$T/out")" = "text of $hsize bytes is over the limit of 32 MiB (--max-record)" ] && grep -q "^quoth-$s: $T/huge:1: text of $hsize bytes" "$T/err"'
done
quoth-tokenize "$T/huge.n" 2> "$T/err" | quoth-entities 2>> "$T/err" | quoth-quotes > "$T/out" 2>> "$T/err"
check "100 MB line: error record passes the chain unchanged" '[ "$(head -n 1 "$T/out" | cmp - "$T/huge.n" 2>&1 | grep -c "EOF on -")" = 1 ] && [ ! -s "$T/err" ]'
check "100 MB line: the record after it is done" '[ "$(tail -n 1 "$T/out" | jq -c .quotes)" = "[]" ]'
rm -f "$T/huge" "$T/huge.n" "$T/out"

# --max-record: 0 lifts the limit; the limit also holds for text files.
head -c 2500000 /dev/zero | tr '\0' a | sed 's/aaaaa/Word. /g' > "$T/big.txt"
quoth-normalize --max-record 1 "$T/big.txt" 2> "$T/err" | jq -r .error.message > "$T/out"
check "--max-record 1: a 3 MB text file is an error record" '[ "$(cat "$T/out")" = "text of 3000000 bytes is over the limit of 1 MiB (--max-record)" ]'
printf '{"text":"%s"}\n' "$(head -c 1100000 "$T/big.txt" | tr -d '\n')" > "$T/big.jsonl"
quoth-tokenize --max-record 1 "$T/big.jsonl" 2> /dev/null | jq -r .error.message > "$T/out"
check "--max-record 1: 1.1 MB of text in a JSON line" '[ "$(cat "$T/out")" = "text of 1100000 bytes is over the limit of 1 MiB (--max-record)" ]'
{ printf '{"text":"Small.","junk":"'; head -c 17000000 /dev/zero | tr '\0' a; printf '"}\n'; } | quoth-tokenize --max-record 1 2> /dev/null | jq -r .error.message > "$T/out"
check "--max-record 1: a line over 16 MiB is not parsed" '[ "$(cat "$T/out")" = "line of 17000027 bytes is over the limit of 16 MiB (16 times --max-record)" ]'
quoth-normalize --max-record 0 "$T/big.txt" | quoth-tokenize --max-record 0 | jq '.tokens | length' > "$T/out"
check "--max-record 0: no limit" '[ "$(cat "$T/out")" = 1000000 ]'
quoth-tokenize --max-record x < /dev/null 2> /dev/null; rc=$?
check "--max-record x: usage error" '[ $rc = 2 ]'

# A million-word paragraph with no sentence end: one sentence, a million
# tokens, and every stage done in time linear in the line.
awk 'BEGIN { printf "{\"id\":\"words\",\"text\":\""; for (i = 0; i < 1000000; i++) printf "word%d ", i % 7; printf "\"}\n" }' > "$T/words"
quoth-normalize "$T/words" | quoth-tokenize | quoth-entities | quoth-quotes > "$T/out"
check "million words: one sentence, a million tokens" '[ "$(jq -c "[(.sentences | length), (.tokens | length), (.quotes | length)]" "$T/out")" = "[1,1000000,0]" ]'

# 100,000 straight quotation marks, and 100,000 curly pairs, in one paragraph.
awk 'BEGIN { printf "{\"text\":\""; for (i = 0; i < 100000; i++) printf "Ann said \\\" so "; printf "end.\"}\n" }' > "$T/marks"
awk 'BEGIN { printf "{\"text\":\""; for (i = 0; i < 100000; i++) printf "\\u201cYes,\\u201d Ann said. "; printf "\"}\n" }' >> "$T/marks"
quoth-normalize "$T/marks" | quoth-tokenize | quoth-entities | quoth-quotes > "$T/out"
check "100,000 marks: records in = records out, no error" '[ $(wc -l < "$T/out") = 2 ] && ! grep -q "^{\"error\"" "$T/out"'
check "100,000 marks: straight marks never pair into one quote" '[ "$(head -n 1 "$T/out" | jq "[.quotes[] | select(.end - .start > 100)] | length")" = 0 ]'
check "100,000 curly pairs: 100,000 quotes" '[ "$(tail -n 1 "$T/out" | jq ".quotes | length")" = 100000 ]'
rm -f "$T/words" "$T/marks" "$T/out" "$T/big.txt" "$T/big.jsonl"

# Every rule file empty: each stage still loads and runs (entities crashed
# on an empty gazetteer table).
mkdir -p "$T/empty-rules" && (cd rules && find . -type d -exec mkdir -p "$T/empty-rules/{}" \; && find . -type f -exec touch "$T/empty-rules/{}" \;)
echo '{"text":"Ann Lee said: \u201cWe won.\u201d"}' | quoth-normalize --rules "$T/empty-rules" | quoth-tokenize --rules "$T/empty-rules" |
	quoth-entities --rules "$T/empty-rules" | quoth-quotes --rules "$T/empty-rules" > "$T/out"; rc=$?
check "empty rule files: every stage runs" '[ $rc = 0 ] && [ "$(jq -c "[(.tokens | length), .entities, (.quotes | length)]" "$T/out")" = "[9,[],1]" ]'
rm -rf "$T/empty-rules"
